/**
 * The workspace scan (`mcpSentinel/scanWorkspace`): discovery with each folder's project config (include,
 * exclude, size limit), a first pass that collects every file's MCP tools and servers, then the scan of every
 * file in the pool, with progress and cancel. The CLI walks the same files with the same options, collects the
 * same facts and scans with the same engine, so both report the same findings and skip the same files.
 */
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import type { ScanWorkspaceParams, ScanWorkspaceResult } from '../../shared/protocol';
import type { FileKind } from '../../shared/types';
import { classifyPath } from '../core/fileKinds';
import { discover } from '../discovery/discover';
import { readDiscovered } from '../discovery/read';
import { mayHoldFacts } from '../engine/facts';
import { withText, type Documents } from './documents';
import { messageOf } from './projectFiles';
import type { Scanner } from './scanner';
import type { Workspace, Workspaces } from './workspace';

interface Job {
  uri: string;
  workspace: Workspace;
  file: string;
  path: string;
  kind: FileKind;
  size: number;
}

/** Runs workspace scans; a new scan supersedes one that is still running. */
export class WorkspaceScan {
  private active: { cancelled: boolean } | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly workspaces: Workspaces,
    private readonly documents: Documents,
    private readonly scanner: Scanner,
  ) {}

  /** Scans the given folders (default: every workspace folder). */
  async run(params: ScanWorkspaceParams, token: CancellationToken): Promise<ScanWorkspaceResult> {
    if (this.active) this.active.cancelled = true;
    const me = { cancelled: false };
    this.active = me;
    const progress = this.connection.window.attachWorkDoneProgress(params.workDoneToken);
    progress.begin('MCP Sentinel: scanning', 0, 'discovering files…', true);
    const isCancelled = (): boolean => me.cancelled || token.isCancellationRequested;
    const skipped: ScanWorkspaceResult['skipped'] = [];
    const jobs = await this.discover(params, skipped);

    // First pass: the tools and servers of every file that can define any, so that the second pass scans each file
    // knowing the others' (the CLI collects the same facts over the same discovered files before it scans).
    progress.report(0, 'collecting MCP tool names…');
    const factJobs: Promise<unknown>[] = [];
    for (const j of jobs) {
      if (isCancelled()) break;
      const text = this.textOf(j);
      if (text === undefined || !mayHoldFacts(j.kind, text, j.file)) {
        j.workspace.facts.delete(j.file);
        continue;
      }
      factJobs.push(this.scanner.scan(j.uri, { workspace: j.workspace, file: j.file }, text, j.kind, 'facts'));
    }
    await Promise.all(factJobs);

    const total = jobs.length;
    let done = 0;
    let findings = 0;
    const report = (): void =>
      progress.report(total ? Math.round((done / total) * 100) : 100, `${done}/${total} files`);
    report();
    const scanOne = async (j: Job): Promise<void> => {
      const open = this.documents.open.get(j.uri);
      const base = { version: open ? open.version : null, workspace: j.workspace, file: j.file, kind: j.kind };
      const text = this.textOf(j, (reason) => {
        skipped.push({ uri: j.uri, reason });
        void this.documents.publish(j.uri, { ...base, findings: [], skipped: reason });
      });
      if (text === undefined) return;
      const outcome = await this.scanner.scan(j.uri, { workspace: j.workspace, file: j.file }, text, j.kind);
      if (me.cancelled && outcome.kind !== 'done') return;
      // An open document edited during the scan gets its live result from the debounced path instead.
      if (open && this.documents.open.get(j.uri)?.version !== base.version) return;
      if (outcome.kind === 'superseded') return;
      if (outcome.kind === 'skipped') {
        skipped.push({ uri: j.uri, reason: outcome.reason });
        void this.documents.publish(j.uri, { ...base, findings: [], skipped: outcome.reason });
        return;
      }
      findings += outcome.result.findings.filter((f) => !f.suppressed).length;
      const { findings: found, errors, hiddenInTests } = outcome.result;
      const extra = { ...(errors.length ? { errors } : {}), ...(hiddenInTests ? { hiddenInTests } : {}) };
      void this.documents.publish(j.uri, withText({ ...base, findings: found, ...extra }, text));
    };

    // Feed the pool a few jobs at a time so that a cancel stops promptly instead of draining a long queue.
    const poolSize = await this.scanner.size();
    const inFlight = new Set<Promise<void>>();
    let next = 0;
    while (next < jobs.length && !isCancelled()) {
      const job = jobs[next++]!;
      const run: Promise<void> = scanOne(job).finally(() => {
        inFlight.delete(run);
        done++;
        report();
      });
      inFlight.add(run);
      if (inFlight.size >= poolSize * 2) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const cancelled = isCancelled() && done < total;
    progress.done();
    if (this.active === me) this.active = undefined;
    return { scanned: done, total, skipped, findings, cancelled };
  }

  /** Discovers the files of every folder to scan; files left out at discovery are published as skipped. */
  private async discover(params: ScanWorkspaceParams, skipped: ScanWorkspaceResult['skipped']): Promise<Job[]> {
    const folders = params.folders
      ? params.folders.flatMap((u) => this.workspaces.folder(u) ?? [])
      : this.workspaces.all();
    const jobs: Job[] = [];
    for (const w of folders) {
      if (!(await w.settings()).enable) continue;
      try {
        const found = discover(w.root, [w.root], await w.discoveryOptions());
        for (const warning of found.warnings) this.connection.console.warn(`MCP Sentinel: ${warning}`);
        for (const f of found.files)
          jobs.push({ uri: w.uriOf(f.file), workspace: w, file: f.file, path: f.path, kind: f.kind, size: f.size });
        for (const s of found.skipped) {
          const uri = w.uriOf(s.file);
          skipped.push({ uri, reason: s.reason });
          void this.documents.publish(uri, {
            version: null,
            workspace: w,
            file: s.file,
            kind: classifyPath(s.file),
            findings: [],
            skipped: s.reason,
          });
        }
      } catch (e) {
        this.connection.console.error(`MCP Sentinel: cannot list ${w.root}: ${messageOf(e)}`);
      }
    }
    return jobs;
  }

  /**
   * The text to scan for a job: the open document's, else the file read from disk, or undefined when it cannot be
   * read as text (`onSkip` receives the reason).
   */
  private textOf(j: Job, onSkip?: (reason: string) => void): string | undefined {
    const open = this.documents.open.get(j.uri);
    if (open) return open.getText();
    const read = readDiscovered({ file: j.file, path: j.path, kind: j.kind, size: j.size });
    if (read.ok) return read.text;
    onSkip?.(read.reason);
    return undefined;
  }
}
