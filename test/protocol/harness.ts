/**
 * A small, real LSP client for the protocol tests: it spawns `node dist/server.js --stdio`, talks JSON-RPC with
 * vscode-jsonrpc, answers `workspace/configuration` from per-test settings, and lets tests wait for notifications
 * (never sleep). Build first: `node scripts/build.mjs --tests`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { FileFindingsRestorer } from '../../shared/findingShifts';
import { FileFindings, type FileFindingsParams } from '../../shared/protocol';

/** Repository root (tests run from out/test/protocol/). */
export const REPO = resolve(__dirname, '..', '..', '..');

/** A diagnostic as received. */
export interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
  codeDescription?: { href: string };
  data?: { fingerprint: string; category: string; cwe: string[]; severity: string };
  relatedInformation?: unknown[];
}

/** One publishDiagnostics notification. */
export interface Published {
  uri: string;
  version?: number;
  diagnostics: Diag[];
}

type Waiter<T> = { pred: (v: T) => boolean; resolve: (v: T) => void };

/** A running server and its client side. */
export class TestClient {
  readonly conn: MessageConnection;
  readonly proc: ChildProcess;
  /** Every publishDiagnostics received, in order. */
  readonly published: Published[] = [];
  /** Every mcpSentinel/fileFindings received, in order. */
  readonly fileFindings: FileFindingsParams[] = [];
  /** The same notifications as the server sent them: some as changes to the previous one (`delta`). */
  readonly sentFileFindings: FileFindingsParams[] = [];
  private readonly restorer = new FileFindingsRestorer();
  /** Every $/progress received, in order. */
  readonly progress: {
    token: string | number;
    value: { kind: string; message?: string; percentage?: number; cancellable?: boolean };
  }[] = [];
  /** Settings returned for `workspace/configuration` (section mcpSentinel). */
  settings: Record<string, unknown>;
  private readonly diagWaiters: Waiter<Published>[] = [];
  private readonly notes = new Map<string, { params: unknown[]; waiters: Waiter<unknown>[] }>();
  stderr = '';

  constructor(settings: Record<string, unknown>, env: Record<string, string> = {}) {
    this.settings = settings;
    this.proc = spawn(process.execPath, [join(REPO, 'dist', 'server.js'), '--stdio'], {
      env: { ...process.env, MCP_SENTINEL_TEST_HOOKS: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.conn = createMessageConnection(
      new StreamMessageReader(this.proc.stdout!),
      new StreamMessageWriter(this.proc.stdin!),
    );
    this.conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      this.published.push(p);
      for (const w of [...this.diagWaiters]) {
        if (w.pred(p)) {
          this.diagWaiters.splice(this.diagWaiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.conn.onNotification(FileFindings.method, (sent: FileFindingsParams) => {
      // Restored as the extension restores them, so that every test sees each file's full list.
      this.sentFileFindings.push(sent);
      const p = this.restorer.restore(sent);
      this.fileFindings.push(p);
      this.note(FileFindings.method, p);
    });
    this.conn.onNotification('$/progress', (p: TestClient['progress'][number]) => this.note('$/progress', p));
    this.conn.onNotification('mcpSentinel/serverStatus', (p: unknown) => this.note('mcpSentinel/serverStatus', p));
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.onRequest('workspace/configuration', (p: unknown) =>
      (p as { items: unknown[] }).items.map(() => this.settings),
    );
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.listen();
  }

  private note(method: string, p: unknown): void {
    if (method === '$/progress') this.progress.push(p as TestClient['progress'][number]);
    let e = this.notes.get(method);
    if (!e) this.notes.set(method, (e = { params: [], waiters: [] }));
    e.params.push(p);
    for (const w of [...e.waiters]) {
      if (w.pred(p)) {
        e.waiters.splice(e.waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  }

  /** Resolves with the first notification of `method` (already received or future) that satisfies `pred`. */
  waitForNotification<T>(method: string, pred: (p: T) => boolean = () => true, timeoutMs = 20000): Promise<T> {
    let e = this.notes.get(method);
    if (!e) this.notes.set(method, (e = { params: [], waiters: [] }));
    const hit = e.params.find((p) => pred(p as T));
    if (hit) return Promise.resolve(hit as T);
    return withTimeout(
      new Promise<T>((resolve) =>
        e!.waiters.push({ pred: pred as (v: unknown) => boolean, resolve: resolve as (v: unknown) => void }),
      ),
      timeoutMs,
      `${method}`,
    );
  }

  /** Initialises the server with one workspace folder (`workspace` adds client capabilities of that section). */
  async initialize(folder: string, workspace: Record<string, unknown> = {}): Promise<unknown> {
    const res = await withTimeout(
      this.conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(folder).href,
        workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'fixture' }],
        capabilities: {
          workspace: { configuration: true, ...workspace },
          window: { workDoneProgress: true },
          textDocument: { publishDiagnostics: { versionSupport: true } },
        },
      }),
      20000,
      `initialize (server stderr: ${this.stderr})`,
    );
    await this.conn.sendNotification('initialized', {});
    return res;
  }

  /** Resolves with the next (future) publishDiagnostics for `uri` satisfying `pred`. */
  nextDiagnostics(uri: string, pred: (p: Published) => boolean = () => true, timeoutMs = 20000): Promise<Published> {
    return withTimeout(
      new Promise<Published>((resolve) => this.diagWaiters.push({ pred: (p) => p.uri === uri && pred(p), resolve })),
      timeoutMs,
      `diagnostics for ${uri}`,
    );
  }

  /** Opens a document and waits for its first diagnostics. */
  async open(uri: string, text: string, languageId = 'typescript', version = 1): Promise<Published> {
    const next = this.nextDiagnostics(uri, (p) => p.version === version);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return next;
  }

  /** Replaces a document's whole text as an incremental change at a range, or as a full change. */
  change(
    uri: string,
    version: number,
    changes: ({ text: string } | { range: Diag['range']; text: string })[],
  ): Promise<void> {
    return this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  /** Sends a request with a cancellation source the test controls. */
  request<R>(method: string, params: unknown, cts?: CancellationTokenSource): Promise<R> {
    return (
      cts ? this.conn.sendRequest(method, params, cts.token) : this.conn.sendRequest(method, params)
    ) as Promise<R>;
  }

  /** Shuts the server down and waits for the process to exit. */
  async dispose(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) resolve();
      else this.proc.once('exit', () => resolve());
    });
    try {
      await withTimeout(this.conn.sendRequest('shutdown'), 5000, 'shutdown');
      await this.conn.sendNotification('exit');
    } catch {
      this.proc.kill();
    }
    await withTimeout(exited, 5000, 'exit').catch(() => this.proc.kill('SIGKILL'));
    this.conn.dispose();
  }
}

/** Rejects when `p` does not settle within `ms` (so a missing notification fails the test instead of hanging it). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/** Fixture folder of the LSP tests. */
export const FIXTURES = join(REPO, 'test', 'fixtures', 'lsp');

/** URI of a fixture path (which need not exist: live documents live only in the editor). */
export function fixtureUri(...parts: string[]): string {
  return pathToFileURL(join(FIXTURES, ...parts)).href;
}

export { CancellationTokenSource };
