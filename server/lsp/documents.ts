/**
 * Live documents and results: a debounce per document, a scan of only the newest version, late results of older
 * versions dropped, and the latest findings per URI (open documents and workspace-scan files) kept for hovers,
 * code actions, exports and the tree view, and published as diagnostics plus a `FileFindings` notification.
 */
import type { CancellationToken, Connection, Diagnostic, Disposable, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { FileFindings, type FileFindingsParams } from '../../shared/protocol';
import { kindOfLanguageId } from '../../shared/languages';
import type { FileKind, Finding } from '../../shared/types';
import { classifyPath } from '../core/fileKinds';
import type { FileFacts } from '../engine/facts';
import type { ChangeLog } from './changes';
import { dependentsOfChange } from './dependents';
import { diagnosticsFor, skippedDiagnostic } from './diagnostics';
import { ruleDocHref } from './ruleDocs';
import type { PoolOutcome } from '../workers/pool';
import type { DocumentChanges } from '../workers/protocol';
import type { RestoredFrom } from '../workers/resultDeltas';
import type { Scanner, StampedOutcome } from './scanner';
import type { Located, Workspace, Workspaces } from './workspace';

/** The latest result for one URI. */
export interface FileResult {
  /** Document version, or null for a file read from disk. */
  version: number | null;
  /** The workspace that scanned it. */
  workspace: Workspace;
  /** Path relative to the workspace root. */
  file: string;
  /** The kind it was scanned as. */
  kind: FileKind | undefined;
  /** Every finding, suppressed ones marked. */
  findings: Finding[];
  /** Why it was not scanned, when it was not. */
  skipped?: string;
  /** Rules that threw on this text (the file's results are incomplete); kept for the report export. */
  errors?: { ruleId: string; message: string }[];
  /** The text that was scanned, kept only when it has findings (report excerpts come from it, never a re-read). */
  text?: string;
  /** Findings left out because the file is test, script or build code (counted in the report export's summary). */
  hiddenInTests?: number;
}

/**
 * An early scan holds its document's worker until it ends: when the document's last scan took longer than this, an
 * edit typed meanwhile would wait behind a scan of a version nobody will see, so only the re-parse runs early.
 */
const EARLY_SCAN_MAX_MS = 100;

/** A document's first scan analyses it whole: its time says nothing of an edit's (`Documents.lastScanMs`). */
export const FIRST_SCAN = -1;

/**
 * When the early scan of a version starts, in milliseconds after the version arrived; undefined when only the re-parse
 * runs early. It starts late enough that a typist's next key usually cancels it first (an early scan per keystroke
 * tripled the CPU time of typing into a 5,000-line server), and early enough to end before the debounce, with a
 * margin of its last time again plus 25 ms. A newly opened document is scanned at once, and its first edits half-way
 * through the debounce: their time is not known yet.
 */
export function earlyScanDelay(lastScanMs: number | undefined, debounceMs: number): number | undefined {
  if (lastScanMs === undefined) return 0;
  if (lastScanMs === FIRST_SCAN) return Math.floor(debounceMs / 2);
  if (lastScanMs > EARLY_SCAN_MAX_MS) return undefined;
  return Math.max(0, debounceMs - (2 * lastScanMs + 25));
}

/** A live scan started as soon as its version arrived, published by the debounce when its inputs still hold. */
interface EarlyScan {
  version: number;
  outcome: Promise<StampedOutcome>;
}

/** File kind of a document: from its path, or from the editor's language id for untitled or unusual names. */
export function kindOf(file: string, languageId: string | undefined): FileKind | undefined {
  return classifyPath(file) ?? (languageId ? kindOfLanguageId(languageId) : undefined);
}

/** Results by URI and the debounced live scans of open documents. */
export class Documents {
  /** The latest result per URI. */
  readonly results = new Map<string, FileResult>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** URIs whose `schedule` is reading settings, and URIs being scanned: a result for them is on its way. */
  private readonly scheduling = new Set<string>();
  private readonly running = new Set<string>();
  /** The early scan of each document's newest version, while its debounce runs (`scheduleNow`). */
  private readonly early = new Map<string, EarlyScan>();
  /** The timers that start the early scans (`earlyScanDelay`). */
  private readonly earlyTimers = new Map<string, NodeJS.Timeout>();
  /** How long each open document's last scan took in its worker, in milliseconds (`FIRST_SCAN` for its first). */
  private readonly lastScanMs = new Map<string, number>();
  /** How many `FileFindings` notifications were sent, and the last one's number and findings per URI. */
  private fileFindingsSent = 0;
  private readonly lastFileFindings = new Map<string, { seq: number; findings: readonly Finding[] }>();
  /** Requests waiting for a URI's current result (`settled`), woken whenever its state moves. */
  private readonly waiters = new Map<string, Set<() => void>>();
  /** Called after a URI's findings are published (the CodeLens refresher listens). */
  onPublished?: (uri: string, findings: readonly Finding[]) => void;
  /** The editor's changes per document, sent with live scans for the workers' incremental re-parse. */
  changes?: ChangeLog;

  constructor(
    private readonly connection: Connection,
    readonly open: TextDocuments<TextDocument>,
    private readonly workspaces: Workspaces,
    private readonly scanner: Scanner,
    /** Config-error diagnostics of a URI (project files), published together with its findings. */
    private readonly configDiagnostics: (uri: string) => Diagnostic[],
  ) {}

  /**
   * Publishes everything MCP Sentinel has to say about a URI in one notification (LSP replaces a URI's diagnostics
   * wholesale): the latest scan result's findings, and config errors when the URI is a project file.
   */
  sendDiagnostics(uri: string): Promise<void> {
    const r = this.results.get(uri);
    const diagnostics: Diagnostic[] = !r
      ? []
      : r.skipped
        ? [skippedDiagnostic(r.skipped)]
        : diagnosticsFor(
            r.findings,
            (f) => r.workspace.uriOf(f),
            (id) => ruleDocHref(id),
          );
    // One by one, never push(...spread): a project file can hold more errors than a call takes arguments.
    for (const d of this.configDiagnostics(uri)) diagnostics.push(d);
    return this.connection
      .sendDiagnostics(!r || r.version === null ? { uri, diagnostics } : { uri, version: r.version, diagnostics })
      .catch(() => undefined);
  }

  /**
   * Stores and publishes a result. Resolves once the diagnostics are written: what follows a publish and is not
   * for the user's eyes (the CodeLens refresh, the dependents' rescans) waits for that, so that it does not sit
   * between an edit and its squiggles.
   */
  publish(uri: string, r: FileResult, restoredFrom?: RestoredFrom): Promise<void> {
    this.results.set(uri, r);
    const sent = this.sendDiagnostics(uri);
    this.sendFileFindings(uri, r, restoredFrom);
    this.wake(uri);
    return sent.then(() => this.onPublished?.(uri, r.findings));
  }

  /**
   * Sends the client a URI's findings for its tree: as the changes the worker found to its previous result when the
   * client holds that very list (the worker's base was the result published last), else whole.
   */
  private sendFileFindings(uri: string, r: FileResult, restoredFrom?: RestoredFrom): void {
    const seq = ++this.fileFindingsSent;
    const last = this.lastFileFindings.get(uri);
    const note: FileFindingsParams =
      restoredFrom && last?.findings === restoredFrom.findings && last.findings.length && !r.skipped
        ? {
            uri,
            version: r.version,
            findings: [],
            seq,
            delta: { base: last.seq, shift: restoredFrom.delta.shift, findings: restoredFrom.delta.findings },
          }
        : { uri, version: r.version, findings: r.findings, seq };
    if (r.skipped) note.skipped = r.skipped;
    this.lastFileFindings.set(uri, { seq, findings: r.findings });
    void this.connection.sendNotification(FileFindings.type, note);
  }

  /** Forgets a URI's result and tells the client. */
  clear(uri: string): void {
    this.results.delete(uri);
    void this.sendDiagnostics(uri);
    this.lastFileFindings.delete(uri);
    void this.connection.sendNotification(FileFindings.type, {
      uri,
      version: null,
      findings: [],
    } satisfies FileFindingsParams);
  }

  /** The result of an open document, only when it belongs to the document's current version. */
  current(uri: string): FileResult | undefined {
    const r = this.results.get(uri);
    const doc = this.open.get(uri);
    if (!r || !doc) return undefined;
    // Positions of an older version's findings would point at the wrong text.
    return r.version === null || r.version === doc.version ? r : undefined;
  }

  /**
   * The result of an open document's current version, waiting for it when a scan of that version is scheduled or
   * running: an editor asks for code actions as soon as it shows a diagnostic, and the diagnostic it shows may
   * belong to the previous version while the new one is still in its debounce (on a loaded machine, for a while).
   * Answering from nothing then returns no action at all. Undefined when nothing will come (the document closed, was
   * never scanned, or the request was cancelled).
   */
  async settled(uri: string, token?: CancellationToken): Promise<FileResult | undefined> {
    for (;;) {
      const r = this.current(uri);
      if (r) return r;
      const pending = this.timers.has(uri) || this.scheduling.has(uri) || this.running.has(uri);
      if (!this.open.get(uri) || !pending || token?.isCancellationRequested) return undefined;
      let cancelled: Disposable | undefined;
      await new Promise<void>((resolve) => {
        let set = this.waiters.get(uri);
        if (!set) this.waiters.set(uri, (set = new Set()));
        set.add(resolve);
        cancelled = token?.onCancellationRequested(resolve);
      });
      cancelled?.dispose();
    }
  }

  /** Wakes the requests waiting on a URI; each re-checks what it waits for. */
  private wake(uri: string): void {
    const set = this.waiters.get(uri);
    if (!set) return;
    this.waiters.delete(uri);
    for (const resolve of set) resolve();
  }

  /** Schedules a scan of a document's current version after the debounce of its folder. */
  async schedule(doc: TextDocument): Promise<void> {
    this.scheduling.add(doc.uri);
    try {
      await this.scheduleNow(doc);
    } finally {
      this.scheduling.delete(doc.uri);
      this.wake(doc.uri);
    }
  }

  private async scheduleNow(doc: TextDocument): Promise<void> {
    const { uri, version } = doc;
    this.cancel(uri);
    const settings = await this.workspaces.settings.get(this.workspaces.scopeOf(uri));
    // A newer change arrived while settings were read: it schedules itself.
    if (this.open.get(uri)?.version !== version) return;
    if (!settings.enable) {
      if (this.results.has(uri)) this.clear(uri);
      return;
    }
    this.cancel(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.running.add(uri);
        void this.scanLive(uri, version).finally(() => {
          this.running.delete(uri);
          this.wake(uri);
        });
      }, settings.debounceMs),
    );
    // Meanwhile the worker that owns the document re-parses it, so that a scan starts from a ready tree, and scans
    // it before the debounce ends (`earlyScanDelay`): the debounce holds back the diagnostics of a version that is
    // about to change, not the work, and when no edit follows, the result is ready as the debounce ends.
    if (this.changes) {
      const loc = this.workspaces.locateAny(uri);
      const kind = kindOf(loc.file, doc.languageId);
      const delay = kind ? earlyScanDelay(this.lastScanMs.get(uri), settings.debounceMs) : undefined;
      if (delay !== 0) this.scanner.prepare(loc, doc.getText(), kind, this.changes.changesOf(doc));
      if (kind && delay !== undefined) {
        const start = (): void => {
          this.earlyTimers.delete(uri);
          const document = this.changes!.changesOf(doc);
          this.early.set(uri, { version, outcome: this.scanEarly(uri, loc, doc.getText(), kind, document) });
        };
        if (delay === 0) start();
        else this.earlyTimers.set(uri, setTimeout(start, delay));
      }
    }
  }

  /**
   * Scans a version during its debounce, without recording its facts: the other documents must not see the facts
   * of a version that may never be published (`scanLive` records them when it publishes this result).
   */
  private async scanEarly(
    uri: string,
    loc: Located,
    text: string,
    kind: FileKind,
    document: DocumentChanges,
  ): Promise<StampedOutcome> {
    const stamped = await this.scanner.scanUnrecorded(uri, loc, text, kind, document);
    this.scanned(uri, document.version, stamped.outcome);
    return stamped;
  }

  /** Notes that the document's worker scanned `version` (or gave up on it): its change steps and time are known. */
  private scanned(uri: string, version: number, outcome: PoolOutcome): void {
    if (outcome.kind === 'superseded') return;
    // The owner worker now holds this version (or, after a crash, nothing): older steps are of no more use.
    this.changes?.scanned(uri, version);
    if (!this.open.get(uri)) return;
    // A document's first scan parses and analyses it whole, while the edits after it re-run only what they changed:
    // its time says nothing of theirs.
    const ms = outcome.kind === 'done' ? outcome.result.ms : Infinity;
    this.lastScanMs.set(uri, this.lastScanMs.has(uri) || ms === Infinity ? ms : FIRST_SCAN);
  }

  /** Drops a pending debounced scan. */
  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    const e = this.earlyTimers.get(uri);
    if (e) clearTimeout(e);
    this.earlyTimers.delete(uri);
    this.early.delete(uri);
    this.wake(uri);
  }

  /** A document was closed: drop its pending scan, its change log and its worker's state. */
  closed(uri: string): void {
    this.cancel(uri);
    this.lastScanMs.delete(uri);
    this.changes?.forget(uri);
    this.scanner.forget(uri);
  }

  /** Drops every pending scan (shutdown). */
  cancelAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const t of this.earlyTimers.values()) clearTimeout(t);
    this.earlyTimers.clear();
    this.early.clear();
  }

  /**
   * Re-scans the open documents whose entry taints changed when `file`'s facts went from `previous` to the facts
   * its scan just recorded: a helper's finding follows the tool handler that feeds it, in another file. The edited
   * document is included when its own entry taints changed (its scan ran with the facts published before it). A
   * re-scan of an unchanged text yields the same facts, so this settles after one round.
   */
  private rescanDependents(workspace: Workspace, file: string, previous: FileFacts | undefined): void {
    const changed = dependentsOfChange(workspace.facts, file, previous);
    if (!changed.size) return;
    for (const doc of this.open.all()) {
      const loc = this.workspaces.locateAny(doc.uri);
      if (loc.workspace === workspace && changed.has(loc.file)) void this.schedule(doc);
    }
  }

  private async scanLive(uri: string, version: number): Promise<void> {
    const doc = this.open.get(uri);
    if (!doc || doc.version !== version) return;
    const loc = this.workspaces.locateAny(uri);
    const kind = kindOf(loc.file, doc.languageId);
    if (!kind) return;
    const previous = loc.workspace.facts.get(loc.file);
    const early = await this.earlyOutcome(uri, version, loc);
    // A version edited while its early scan ran is not scanned again: the newer version's debounce scans that one.
    if (!early && this.open.get(uri)?.version !== version) return;
    const outcome = early ?? (await this.scanLate(uri, doc, loc, kind));
    // Only the newest version is ever published: a result for an older version (or a closed document) is dropped.
    // The edited document's diagnostics go out first; then the documents that depend on its new facts are
    // re-scanned (the scan re-extracted the file's facts, whatever the version), a merge of the workspace's facts
    // that the user should not wait for.
    const now = this.open.get(uri);
    if (now && now.version === version && outcome.kind !== 'superseded')
      await this.publishOutcome(
        uri,
        { version, workspace: loc.workspace, file: loc.file, kind },
        doc.getText(),
        outcome,
      );
    this.rescanDependents(loc.workspace, loc.file, previous);
  }

  /**
   * The early scan's outcome for `version`, when there was one and a scan started now would run with the same
   * inputs (`Scanner.stillCurrent`): the same text under the same inputs gives the same result. Its facts are
   * recorded then, as a scan started now would record them.
   */
  private async earlyOutcome(uri: string, version: number, loc: Located): Promise<PoolOutcome | undefined> {
    const early = this.early.get(uri);
    if (early?.version !== version) return undefined;
    this.early.delete(uri);
    const { outcome, stamp } = await early.outcome;
    if (!stamp || this.open.get(uri)?.version !== version || !(await this.scanner.stillCurrent(loc, stamp)))
      return undefined;
    this.scanner.record(loc, outcome);
    return outcome;
  }

  /** Scans a version at the end of its debounce. */
  private async scanLate(uri: string, doc: TextDocument, loc: Located, kind: FileKind): Promise<PoolOutcome> {
    const outcome = await this.scanner.scan(uri, loc, doc.getText(), kind, 'scan', this.changes?.changesOf(doc));
    this.scanned(uri, doc.version, outcome);
    return outcome;
  }

  /** Publishes a live scan's outcome for the version it scanned. */
  private publishOutcome(
    uri: string,
    base: Pick<FileResult, 'version' | 'workspace' | 'file' | 'kind'>,
    text: string,
    outcome: Exclude<PoolOutcome, { kind: 'superseded' }>,
  ): Promise<void> {
    if (outcome.kind === 'skipped') return this.publish(uri, { ...base, findings: [], skipped: outcome.reason });
    for (const e of outcome.result.errors)
      this.connection.console.error(`MCP Sentinel: rule ${e.ruleId} failed on ${base.file}: ${e.message}`);
    const { findings, errors, hiddenInTests } = outcome.result;
    const extra = { ...(errors.length ? { errors } : {}), ...(hiddenInTests ? { hiddenInTests } : {}) };
    return this.publish(uri, withText({ ...base, findings, ...extra }, text), outcome.result.restoredFrom);
  }
}

/** A result that keeps its scanned text when it has findings, for report excerpts. */
export function withText(r: FileResult, text: string): FileResult {
  return r.findings.length ? { ...r, text } : r;
}
