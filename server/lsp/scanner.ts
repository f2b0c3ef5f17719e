/**
 * Runs scans for the language server: the worker pool (sized by the project config's `workers`, else the
 * `mcpSentinel.workers` setting), and one `scan` call that turns a document of a workspace into a pool job with
 * that workspace's limits, severity overrides and cross-file facts.
 */
import { availableParallelism } from 'node:os';
import type { Connection } from 'vscode-languageserver/node';
import { ServerStatus, type ServerStatusParams } from '../../shared/protocol';
import { autoWorkerCount, type SentinelSettings } from '../../shared/settings';
import type { FileKind, RegexBackendName } from '../../shared/types';
import type { FileFacts } from '../engine/facts';
import type { ScanLimits } from '../engine/limits';
import { WorkerPool, workerScript, type PoolOutcome } from '../workers/pool';
import { grammarOfFile } from '../analysis/parse';
import { sameFileFacts, type DocumentChanges, type ProjectSpec } from '../workers/protocol';
import type { Located, Workspaces } from './workspace';

/**
 * What a scan's result depends on besides its text: the pool and project epoch it ran in, its project spec and
 * limits, and the version of the published facts it ran with (`Scanner.stillCurrent`).
 */
export interface ScanStamp {
  pool: WorkerPool;
  epoch: number;
  spec: string;
  factsVersion: number | undefined;
}

/** A scan's outcome and, when it ran, its stamp. */
export interface StampedOutcome {
  outcome: PoolOutcome;
  stamp?: ScanStamp;
}

/** The pool and the jobs it runs. */
export class Scanner {
  private pool: WorkerPool | undefined;
  private poolSize = 0;
  /** The facts index last published to the current pool, by workspace root. */
  private published = new Map<string, Map<string, FileFacts>>();
  /** What the workers run on, once the first one is ready. */
  status: ServerStatusParams | undefined;
  /** Bumped when a project file changes, so workers reopen their projects. */
  epoch = 0;

  constructor(
    private readonly connection: Connection,
    private readonly workspaces: Workspaces,
  ) {}

  /**
   * The pool, resized when the wanted size changed. One pool serves the whole window, so the size is the largest
   * `workers` among the folders' project configs, else the window's setting, else one per core but one.
   */
  async ensurePool(): Promise<WorkerPool> {
    const fromConfigs = await Promise.all(
      this.workspaces.all().map(async (w) => (await w.projectInputs()).config.workers ?? 0),
    );
    const configured = Math.max(0, ...fromConfigs);
    const setting = (await this.workspaces.settings.get('')).workers;
    const size = configured > 0 ? configured : setting > 0 ? setting : autoWorkerCount(availableParallelism());
    if (this.pool && this.poolSize === size) return this.pool;
    const old = this.pool;
    this.poolSize = size;
    let announced = false;
    this.published = new Map();
    this.pool = new WorkerPool(workerScript(), size, {
      onReady: (backend: RegexBackendName, reason: string | undefined) => {
        if (announced) return;
        announced = true;
        this.status = { backend, runtime: runtimeName(), workers: size, ...(reason ? { backendReason: reason } : {}) };
        this.connection.console.info(
          `MCP Sentinel: ${size} worker(s), regex backend ${backend}${reason ? ` (re2 unavailable: ${reason})` : ''}, ${this.status.runtime}`,
        );
        void this.connection.sendNotification(ServerStatus.type, this.status);
      },
      onLog: (m) => this.connection.console.warn(`MCP Sentinel: ${m}`),
    });
    if (old) void old.dispose();
    return this.pool;
  }

  /**
   * Scans one text in the pool (or, with `mode: 'facts'`, only extracts its workspace facts) under its workspace's
   * limits, and records the file's facts in the workspace's index. An open document's live scan passes its
   * `document` changes: the job then goes to the worker that owns the document, which re-parses incrementally.
   */
  async scan(
    uri: string,
    loc: Located,
    text: string,
    kind: FileKind | undefined,
    mode: 'scan' | 'facts' = 'scan',
    document?: DocumentChanges,
  ): Promise<PoolOutcome> {
    const { outcome } = await this.dispatch(uri, loc, text, kind, mode, document);
    this.record(loc, outcome);
    return outcome;
  }

  /**
   * Scans an open document's version as `scan` does, but leaves the workspace's index alone: the caller records the
   * facts (`record`) if and when it publishes the result. The stamp says what else the result depends on
   * (`stillCurrent`).
   */
  scanUnrecorded(
    uri: string,
    loc: Located,
    text: string,
    kind: FileKind,
    document: DocumentChanges,
  ): Promise<StampedOutcome> {
    return this.dispatch(uri, loc, text, kind, 'scan', document);
  }

  /** Records a scan's facts for its file in the workspace's index (none: the file has no entry). */
  record(loc: Located, outcome: PoolOutcome): void {
    if (outcome.kind !== 'done') return;
    if (outcome.result.facts) loc.workspace.facts.set(loc.file, outcome.result.facts);
    else loc.workspace.facts.delete(loc.file);
  }

  /**
   * Whether a scan dispatched now for the same text would run with what the stamped one ran with: the same pool and
   * project epoch, the same project spec and limits, and the same published facts (publishing the index first, as a
   * dispatch would). A result of the same text under the same inputs is the same result.
   */
  async stillCurrent(loc: Located, stamp: ScanStamp): Promise<boolean> {
    const { workspace } = loc;
    const [limits, settings] = await Promise.all([workspace.limits(), workspace.settings()]);
    if (this.pool !== stamp.pool || this.epoch !== stamp.epoch) return false;
    if (specOf(workspace, limits, settings) !== stamp.spec) return false;
    this.publishFacts(stamp.pool, workspace);
    return stamp.pool.factsVersion(workspace.root) === stamp.factsVersion;
  }

  private async dispatch(
    uri: string,
    loc: Located,
    text: string,
    kind: FileKind | undefined,
    mode: 'scan' | 'facts',
    document?: DocumentChanges,
  ): Promise<StampedOutcome> {
    const { workspace, file } = loc;
    const [limits, settings] = await Promise.all([workspace.limits(), workspace.settings()]);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > limits.maxFileBytes) {
      const kb = Math.round(limits.maxFileBytes / 1024);
      return {
        outcome: { kind: 'skipped', reason: `larger than the ${kb} KB size limit (${Math.ceil(bytes / 1024)} KB)` },
      };
    }
    const pool = await this.ensurePool();
    const epoch = this.epoch;
    this.publishFacts(pool, workspace);
    const publishedAtDispatch = pool.factsVersion(workspace.root);
    const outcome = await pool.run({
      key: mode === 'facts' ? `facts:${uri}` : uri,
      mode,
      project: projectSpecOf(workspace, settings),
      file,
      text,
      ...(kind ? { kind } : {}),
      epoch,
      timeoutMs: limits.timeoutMs,
      ...(document && mode === 'scan' ? { document } : {}),
    });
    if (outcome.kind === 'superseded') return { outcome };
    // A skipped job (its time budget ran out, its worker crashed) says nothing of the facts it would have used: the
    // version published at its dispatch stands for them.
    const factsVersion = outcome.kind === 'done' ? outcome.factsVersion : publishedAtDispatch;
    return { outcome, stamp: { pool, epoch, spec: specOf(workspace, limits, settings), factsVersion } };
  }

  /**
   * Publishes a workspace's facts index to the pool when it changed since it was last published. The index is
   * edited in place (by scan results and by the workspace scan), so it is compared entry by entry: a reference
   * check per file, and a content check for entries that were replaced.
   */
  private publishFacts(pool: WorkerPool, workspace: Located['workspace']): void {
    const last = this.published.get(workspace.root);
    const now = workspace.facts;
    if (last ? sameIndex(last, now) : now.size === 0) return;
    this.published.set(workspace.root, new Map(now));
    pool.setFacts(workspace.root, Object.fromEntries(now));
  }

  /**
   * Lets the worker that owns an open document re-parse its new version while the scan waits for the debounce, when
   * the document is source code and a pool is running (`WorkerPool.prepare`).
   */
  prepare(loc: Located, text: string, kind: FileKind | undefined, document: DocumentChanges): void {
    const grammar = grammarOfFile(loc.file, kind);
    if (grammar && this.pool) this.pool.prepare(document, text, grammar);
  }

  /** Frees a closed document's state in the worker that owns it. */
  forget(uri: string): void {
    this.pool?.forget(uri);
  }

  /** The size of the current pool (starting it if needed). */
  async size(): Promise<number> {
    return (await this.ensurePool()).size;
  }

  /** Stops every worker. */
  async dispose(): Promise<void> {
    await this.pool?.dispose();
  }
}

/** The project a workspace's jobs run with. */
function projectSpecOf(workspace: Located['workspace'], settings: SentinelSettings): ProjectSpec {
  return {
    root: workspace.root,
    overrides: { rules: settings.rules },
    ...(settings.configFile ? { configPath: settings.configFile } : {}),
    // The config's `includeTests` wins over this fallback (`openProject`), as it does in the CLI.
    includeTestsSetting: settings.includeTests,
    // The server's own rule set has the test-hook rule whenever the hooks are on, so its workers' must too.
    testHookRules: true,
  };
}

/** A job's project spec and limits as one string, to tell whether a later job would run with the same. */
function specOf(workspace: Located['workspace'], limits: ScanLimits, settings: SentinelSettings): string {
  return JSON.stringify([projectSpecOf(workspace, settings), limits]);
}

function sameIndex(a: ReadonlyMap<string, FileFacts>, b: ReadonlyMap<string, FileFacts>): boolean {
  if (a.size !== b.size) return false;
  for (const [file, facts] of b) {
    const old = a.get(file);
    if (old !== facts && !sameFileFacts(old, facts)) return false;
  }
  return true;
}

function runtimeName(): string {
  const electron = (process.versions as Record<string, string | undefined>).electron;
  return electron ? `electron ${electron} (node ${process.versions.node})` : `node ${process.versions.node}`;
}
