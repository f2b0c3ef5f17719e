/**
 * The MCP Sentinel language server (dist/server.js). It speaks LSP over `--stdio` or `--node-ipc` (chosen by the
 * command line, as vscode-languageserver does), keeps the event loop free by running detection in a pool of
 * worker threads (dist/worker.js), debounces edits per document, publishes only the newest version's results,
 * and offers hovers, quick fixes and a cancellable workspace scan with progress.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ClearFindings,
  DIAGNOSTIC_SOURCE,
  ExportReport,
  FileFindings,
  RuleDocs,
  ScanWorkspace,
  ServerStatus,
  type DiagnosticData,
  type ExportReportParams,
  type ExportReportResult,
  type FileFindingsParams,
  type RuleDocsParams,
  type RuleDocsResult,
  type ScanWorkspaceParams,
  type ScanWorkspaceResult,
  type ServerStatusParams,
} from '../../shared/protocol';
import {
  SETTINGS_SECTION,
  autoWorkerCount,
  defaultSettings,
  normaliseSettings,
  type SentinelSettings,
} from '../../shared/settings';
import type { FileKind, Finding, RegexBackendName, RuleMeta, SkippedFile } from '../../shared/types';
import { discover, readDiscovered, toRelative } from '../discovery';
import type { ConfigError } from '../project';
import { classifyPath } from '../core/fileKinds';
import { loadProjectInputs } from '../engine/project';
import { ruleMetaOf } from '../core/rule';
import { mayHoldFacts, type FileFacts } from '../engine/workspaceFacts';
import {
  countFindings,
  emptySeverityCounts,
  renderHtml,
  renderJson,
  renderSarif,
  toReportFinding,
  TOOL_NAME,
  type JsonReport,
} from '../reports';
import { builtinRules } from '../rules';
import { metaRules } from '../rules/meta';
import { codeActionsFor, IGNORE_FILE, type ActionTarget } from './codeActions';
import { configErrorDiagnostic, diagnosticsFor, skippedDiagnostic, toDiagnostic } from './diagnostics';
import { contains, hoverMarkdown } from './hover';
import { WorkerPool, type PoolOutcome } from './pool';
import { renderRuleDoc, ruleDocHref } from './ruleDocs';
import { testHookRules, testHooksEnabled } from './testHooks';

const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

/** Rule metadata for hovers and docs (the worker holds the detectors; this thread only describes them). */
const ruleMeta = new Map<string, RuleMeta>(
  [...builtinRules, ...metaRules, ...(testHooksEnabled() ? testHookRules() : [])].map((r) => [r.id, ruleMetaOf(r)]),
);

let folders: WorkspaceFolder[] = [];
let hasConfigurationCapability = false;
let canRegisterWatchers = false;
let pushedSettings: unknown;
let pool: WorkerPool | undefined;
let poolSize = 0;
let status: ServerStatusParams | undefined;
/** Bumped when a project config, ignore file or baseline changes, so workers reopen their projects. */
let projectEpoch = 0;

/**
 * True for the files that change how a project scans: its config, ignore file, pin file and baselines (by the
 * usual names, and any other file a project actually read, such as a baseline the config names).
 */
function isProjectFile(uri: string): boolean {
  return /(?:^|\/)\.mcp-sentinel(?:\.json|\/[^/]*\.json)$|baseline[^/]*\.json$/i.test(uri) || projectInputUris.has(uri);
}

/** Reopens projects, republishes config errors and rescans open documents after a project file changed. */
function projectFilesChanged(): void {
  projectEpoch++;
  void refreshConfigErrors();
  for (const doc of documents.all()) if (!isProjectFile(doc.uri)) void schedule(doc);
}

// ---------------------------------------------------------------------------------------------------------------
// Config errors: problems in a project's config, ignore file, baseline or pin file are published as Error
// diagnostics on that file. The workers open projects with `onConfigError: 'collect'` and keep scanning with the
// valid parts; this thread reads the same files with the same loader (`loadProjectInputs`, no parsers needed), so
// the errors show even when no other document is open, and are cleared when the files are fixed.

/** Config-error diagnostics by URI, per project root (a URI may only belong to one root, but roots come and go). */
const configErrors = new Map<string, Map<string, Diagnostic[]>>();
/** URIs of the project files each root read (config, ignore file, baseline, pin file). */
let projectInputUris = new Set<string>();
const projectInputsByRoot = new Map<string, Set<string>>();

/** Roots whose project files are checked: the workspace folders. */
function projectRoots(): string[] {
  return folders.filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri));
}

function configDiagnosticsOf(uri: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const byUri of configErrors.values()) out.push(...(byUri.get(uri) ?? []));
  return out;
}

/**
 * The extension watches project files by their usual names; a file a project reads under another name (a baseline
 * the config names `known-findings.json`, a `configFile` setting) is watched through a dynamic registration, when
 * the client supports it, so that editing it outside the editor also reopens the project.
 */
let extraWatch: { key: string; registration: Promise<{ dispose(): void }> } | undefined;

async function watchUnusualProjectFiles(): Promise<void> {
  if (!canRegisterWatchers) return;
  const paths = [...projectInputUris]
    .filter((u) => !/(?:^|\/)\.mcp-sentinel(?:\.json|\/[^/]*\.json)$|baseline[^/]*\.json$/i.test(u))
    .map((u) => fileURLToPath(u).split(sep).join('/'))
    .sort();
  const key = paths.join('\0');
  if (extraWatch?.key === key) return;
  const old = extraWatch;
  extraWatch = undefined;
  if (old) (await old.registration).dispose();
  if (!paths.length) return;
  extraWatch = {
    key,
    registration: connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: paths.map((globPattern) => ({ globPattern })),
    }),
  };
}

let refreshing: Promise<void> = Promise.resolve();

/**
 * Re-reads every root's project files and publishes their errors; URIs whose errors are gone get theirs cleared.
 * Refreshes run one after another, so a slow one can never overwrite a newer one's result.
 */
function refreshConfigErrors(): Promise<void> {
  refreshing = refreshing.then(refreshConfigErrorsNow, refreshConfigErrorsNow).catch((e: unknown) => {
    connection.console.error(
      `MCP Sentinel: cannot check the project files: ${e instanceof Error ? e.message : String(e)}`,
    );
  });
  return refreshing;
}

async function refreshConfigErrorsNow(): Promise<void> {
  const before = new Set<string>();
  for (const byUri of configErrors.values()) for (const uri of byUri.keys()) before.add(uri);
  const roots = projectRoots();
  for (const root of [...configErrors.keys()]) if (!roots.includes(root)) configErrors.delete(root);
  for (const root of [...projectInputsByRoot.keys()]) if (!roots.includes(root)) projectInputsByRoot.delete(root);
  for (const root of roots) {
    const settings = await settingsFor(pathToFileURL(root).href);
    let errors: ConfigError[];
    const inputs = new Set<string>();
    try {
      const loaded = loadProjectInputs(root, {
        onConfigError: 'collect',
        extraRules: testHooksEnabled() ? testHookRules() : [],
        ...(settings.configFile ? { configPath: settings.configFile } : {}),
      });
      errors = loaded.errors;
      for (const f of [loaded.configFile, loaded.ignoreFile, loaded.baselineFile, loaded.pinFile])
        if (f) inputs.add(pathToFileURL(f).href);
    } catch (e) {
      connection.console.error(
        `MCP Sentinel: cannot read the project files of ${root}: ${e instanceof Error ? e.message : String(e)}`,
      );
      errors = [];
    }
    const byUri = new Map<string, Diagnostic[]>();
    for (const e of errors) {
      const uri = pathToFileURL(e.file).href;
      inputs.add(uri);
      let list = byUri.get(uri);
      if (!list) byUri.set(uri, (list = []));
      list.push(configErrorDiagnostic(e));
    }
    configErrors.set(root, byUri);
    projectInputsByRoot.set(root, inputs);
  }
  projectInputUris = new Set([...projectInputsByRoot.values()].flatMap((s) => [...s]));
  try {
    await watchUnusualProjectFiles();
  } catch (e) {
    connection.console.warn(`MCP Sentinel: cannot watch project files: ${e instanceof Error ? e.message : String(e)}`);
  }
  const after = new Set<string>();
  for (const byUri of configErrors.values()) for (const uri of byUri.keys()) after.add(uri);
  for (const uri of new Set([...before, ...after])) sendDiagnostics(uri);
}

// ---------------------------------------------------------------------------------------------------------------
// Settings: resolved per document's folder, cached, cleared on change.

const settingsCache = new Map<string, Promise<SentinelSettings>>();

function folderOf(uri: string): WorkspaceFolder | undefined {
  let best: WorkspaceFolder | undefined;
  for (const f of folders) {
    const prefix = f.uri.endsWith('/') ? f.uri : f.uri + '/';
    if ((uri.startsWith(prefix) || uri === f.uri) && (!best || f.uri.length > best.uri.length)) best = f;
  }
  return best;
}

function settingsFor(uri: string | undefined): Promise<SentinelSettings> {
  const scope = uri ? (folderOf(uri)?.uri ?? uri) : '';
  let s = settingsCache.get(scope);
  if (!s) {
    s = hasConfigurationCapability
      ? connection.workspace
          .getConfiguration(scope ? { scopeUri: scope, section: SETTINGS_SECTION } : { section: SETTINGS_SECTION })
          .then(normaliseSettings, () => defaultSettings())
      : Promise.resolve(normaliseSettings((pushedSettings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION]));
    settingsCache.set(scope, s);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Where a document lives: its project root and root-relative path.

interface Located {
  /** Absolute project root. */
  root: string;
  /** Path relative to root, forward slashes. */
  file: string;
}

function locate(uri: string): Located | undefined {
  if (!uri.startsWith('file:')) return undefined;
  const path = fileURLToPath(uri);
  const folder = folderOf(uri);
  const root = folder ? fileURLToPath(folder.uri) : dirname(path);
  return { root, file: toRelative(root, path) };
}

function uriIn(root: string, file: string): string {
  return pathToFileURL(join(root, ...file.split('/'))).href;
}

/** File kind of a document: from its path, or from the editor's language id for untitled or unusual names. */
function kindOf(file: string, languageId: string | undefined): FileKind | undefined {
  const byPath = classifyPath(file);
  if (byPath) return byPath;
  switch (languageId) {
    case 'typescript':
    case 'typescriptreact':
    case 'javascript':
    case 'javascriptreact':
      return 'js';
    case 'python':
      return 'python';
    case 'json':
    case 'jsonc':
      return 'json';
    case 'yaml':
      return 'yaml';
    case 'dockerfile':
      return 'dockerfile';
    case 'dotenv':
      return 'dotenv';
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Results: the latest findings per URI (live documents and workspace-scan files), for hovers, code actions,
// exports and the tree view.

interface FileResult {
  /** Document version, or null for a file read from disk. */
  version: number | null;
  root: string;
  file: string;
  kind: FileKind | undefined;
  findings: Finding[];
  skipped?: string;
}

const results = new Map<string, FileResult>();

/**
 * Publishes everything MCP Sentinel has to say about a URI in one notification (LSP replaces a URI's diagnostics
 * wholesale): the latest scan result's findings, and config errors when the URI is a project file.
 */
function sendDiagnostics(uri: string): void {
  const r = results.get(uri);
  const diagnostics: Diagnostic[] = !r
    ? []
    : r.skipped
      ? [skippedDiagnostic(r.skipped)]
      : diagnosticsFor(
          r.findings,
          (f) => uriIn(r.root, f),
          (id) => ruleDocHref(id),
        );
  diagnostics.push(...configDiagnosticsOf(uri));
  void connection.sendDiagnostics(
    !r || r.version === null ? { uri, diagnostics } : { uri, version: r.version, diagnostics },
  );
}

function publish(uri: string, r: FileResult): void {
  results.set(uri, r);
  sendDiagnostics(uri);
  const note: FileFindingsParams = { uri, version: r.version, findings: r.findings };
  if (r.skipped) note.skipped = r.skipped;
  void connection.sendNotification(FileFindings.method, note);
}

function clear(uri: string): void {
  results.delete(uri);
  sendDiagnostics(uri);
  void connection.sendNotification(FileFindings.method, {
    uri,
    version: null,
    findings: [],
  } satisfies FileFindingsParams);
}

// ---------------------------------------------------------------------------------------------------------------
// The worker pool.

function ensurePool(size: number): WorkerPool {
  if (pool && poolSize === size) return pool;
  const old = pool;
  poolSize = size;
  let announced = false;
  pool = new WorkerPool(join(__dirname, 'worker.js'), size, {
    onReady: (backend: RegexBackendName, reason: string | undefined) => {
      if (announced) return;
      announced = true;
      status = { backend, runtime: runtimeName(), workers: size, ...(reason ? { backendReason: reason } : {}) };
      connection.console.info(
        `MCP Sentinel: ${size} worker(s), regex backend ${backend}${reason ? ` (re2 unavailable: ${reason})` : ''}, ${status.runtime}`,
      );
      void connection.sendNotification(ServerStatus.method, status);
    },
    onLog: (m) => connection.console.warn(`MCP Sentinel: ${m}`),
  });
  if (old) void old.dispose();
  return pool;
}

function runtimeName(): string {
  const electron = (process.versions as Record<string, string | undefined>).electron;
  return electron ? `electron ${electron} (node ${process.versions.node})` : `node ${process.versions.node}`;
}

async function poolFromSettings(): Promise<WorkerPool> {
  const s = await settingsFor(undefined);
  return ensurePool(s.workers > 0 ? s.workers : autoWorkerCount(availableParallelism()));
}

// ---------------------------------------------------------------------------------------------------------------
// Workspace facts: each file's tools and servers, by root and root-relative path. A file's entry is recomputed by
// the worker whenever the file is scanned (and by the first pass of a workspace scan), and every scan job carries
// the root's entries, so cross-file rules (tool shadowing) see the same facts as in the CLI.

const factsIndex = new Map<string, Map<string, FileFacts>>();

function factsOf(root: string): Map<string, FileFacts> {
  let m = factsIndex.get(root);
  if (!m) factsIndex.set(root, (m = new Map()));
  return m;
}

/** Records what a finished job says about its file's facts. */
function noteFacts(loc: Located, outcome: PoolOutcome): void {
  if (outcome.kind !== 'done') return;
  const m = factsOf(loc.root);
  if (outcome.result.facts) m.set(loc.file, outcome.result.facts);
  else m.delete(loc.file);
}

/** Scans one text in the pool (or, with `mode: 'facts'`, only extracts its workspace facts). */
async function scanText(
  uri: string,
  loc: Located,
  text: string,
  kind: FileKind | undefined,
  settings: SentinelSettings,
  mode: 'scan' | 'facts' = 'scan',
): Promise<PoolOutcome> {
  const limit = settings.maxFileSizeKB * 1024;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limit)
    return {
      kind: 'skipped',
      reason: `larger than the ${settings.maxFileSizeKB} KB size limit (${Math.ceil(bytes / 1024)} KB)`,
    };
  const p = await poolFromSettings();
  const outcome = await p.run({
    key: mode === 'facts' ? `facts:${uri}` : uri,
    mode,
    facts: Object.fromEntries(factsOf(loc.root)),
    root: loc.root,
    file: loc.file,
    text,
    ...(kind ? { kind } : {}),
    overrides: { rules: settings.rules },
    ...(settings.configFile ? { configPath: settings.configFile } : {}),
    epoch: projectEpoch,
    timeoutMs: settings.timeoutMs,
  });
  noteFacts(loc, outcome);
  return outcome;
}

// ---------------------------------------------------------------------------------------------------------------
// Live documents: debounce per document, scan only the newest version, drop late results of older versions.

const timers = new Map<string, NodeJS.Timeout>();

async function schedule(doc: TextDocument): Promise<void> {
  const { uri, version } = doc;
  const old = timers.get(uri);
  if (old) clearTimeout(old);
  timers.delete(uri);
  const settings = await settingsFor(uri);
  // A newer change arrived while settings were read: it schedules itself.
  if (documents.get(uri)?.version !== version) return;
  if (!settings.enable) {
    if (results.has(uri)) clear(uri);
    return;
  }
  const again = timers.get(uri);
  if (again) clearTimeout(again);
  timers.set(
    uri,
    setTimeout(() => {
      timers.delete(uri);
      void scanLive(uri, version, settings);
    }, settings.debounceMs),
  );
}

async function scanLive(uri: string, version: number, settings: SentinelSettings): Promise<void> {
  const doc = documents.get(uri);
  if (!doc || doc.version !== version) return;
  const loc = locate(uri) ?? { root: process.cwd(), file: uri.replace(/^.*[\\/]/, '') };
  const kind = kindOf(loc.file, doc.languageId);
  if (!kind) return;
  const outcome = await scanText(uri, loc, doc.getText(), kind, settings);
  // Only the newest version is ever published: a result for an older version (or a closed document) is dropped.
  const now = documents.get(uri);
  if (!now || now.version !== version || outcome.kind === 'superseded') return;
  if (outcome.kind === 'skipped') {
    publish(uri, { version, root: loc.root, file: loc.file, kind, findings: [], skipped: outcome.reason });
    return;
  }
  for (const e of outcome.result.errors)
    connection.console.error(`MCP Sentinel: rule ${e.ruleId} failed on ${loc.file}: ${e.message}`);
  publish(uri, { version, root: loc.root, file: loc.file, kind, findings: outcome.result.findings });
}

documents.onDidChangeContent((e) => void schedule(e.document));
documents.onDidSave((e) => {
  if (isProjectFile(e.document.uri)) projectFilesChanged();
});
connection.onDidChangeWatchedFiles((e) => {
  if (e.changes.some((c) => isProjectFile(c.uri))) projectFilesChanged();
});
documents.onDidClose((e) => {
  const t = timers.get(e.document.uri);
  if (t) clearTimeout(t);
  timers.delete(e.document.uri);
  if (results.has(e.document.uri)) clear(e.document.uri);
});

// ---------------------------------------------------------------------------------------------------------------
// Hover and code actions.

function currentResult(uri: string): FileResult | undefined {
  const r = results.get(uri);
  const doc = documents.get(uri);
  if (!r || !doc) return undefined;
  // Positions of an older version's findings would point at the wrong text.
  return r.version === null || r.version === doc.version ? r : undefined;
}

connection.onHover((params) => {
  const r = currentResult(params.textDocument.uri);
  const doc = documents.get(params.textDocument.uri);
  if (!r || !doc) return null;
  const hits = r.findings.filter((f) => !f.suppressed && contains(f.range, params.position));
  if (!hits.length) return null;
  return {
    contents: { kind: 'markdown', value: hoverMarkdown(hits, ruleMeta, doc.getText(), (p) => doc.offsetAt(p)) },
    range: hits[0]!.range,
  };
});

function overlaps(
  a: { start: { line: number; character: number }; end: { line: number; character: number } },
  b: typeof a,
): boolean {
  const before = (p: typeof a.start, q: typeof a.start): boolean =>
    p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

connection.onCodeAction((params) => {
  const uri = params.textDocument.uri;
  const r = currentResult(uri);
  const doc = documents.get(uri);
  if (!r || !doc) return [];
  const sent = new Map<string, Diagnostic>();
  for (const d of params.context.diagnostics) {
    const fp = (d.data as DiagnosticData | undefined)?.fingerprint;
    if (d.source === DIAGNOSTIC_SOURCE && fp) sent.set(fp, d);
  }
  const targets: ActionTarget[] = [];
  for (const f of r.findings) {
    if (f.suppressed) continue;
    const d = sent.get(f.fingerprint);
    if (!d && !overlaps(f.range, params.range)) continue;
    targets.push({
      finding: f,
      diagnostic:
        d ??
        toDiagnostic(
          f,
          (x) => uriIn(r.root, x),
          (id) => ruleDocHref(id),
        ),
    });
  }
  if (!targets.length) return [];
  const ignoreUri = uriIn(r.root, IGNORE_FILE);
  const ignoreText = documents.get(ignoreUri)?.getText() ?? readIfExists(join(r.root, ...IGNORE_FILE.split('/')));
  return codeActionsFor(
    { uri, text: doc.getText(), file: r.file, kind: r.kind, ignoreFileUri: ignoreUri, ignoreFileText: ignoreText },
    targets,
  );
});

/** The text of a discovered file, or undefined when it cannot be read as text (the scan pass reports why). */
function readDiscoveredText(j: { file: string; path: string; kind: FileKind; size: number }): string | undefined {
  const read = readDiscovered({ file: j.file, path: j.path, kind: j.kind, size: j.size });
  return read.ok ? read.text : undefined;
}

function readIfExists(path: string): string | undefined {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Workspace scan.

let activeScan: { cancelled: boolean } | undefined;

async function scanWorkspace(params: ScanWorkspaceParams, token: CancellationToken): Promise<ScanWorkspaceResult> {
  // A new scan supersedes one that is still running.
  if (activeScan) activeScan.cancelled = true;
  const me = { cancelled: false };
  activeScan = me;
  const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
  progress.begin('MCP Sentinel: scanning', 0, 'discovering files…', true);
  const isCancelled = (): boolean => me.cancelled || token.isCancellationRequested;
  const roots = (params.folders ?? folders.map((f) => f.uri)).filter((u) => u.startsWith('file:'));
  const jobs: { uri: string; root: string; file: string; path: string; kind: FileKind; size: number }[] = [];
  const skipped: ScanWorkspaceResult['skipped'] = [];
  for (const rootUri of roots) {
    const root = fileURLToPath(rootUri);
    const settings = await settingsFor(rootUri);
    if (!settings.enable) continue;
    try {
      const found = discover(root, [root], { maxFileBytes: settings.maxFileSizeKB * 1024 });
      for (const f of found.files)
        jobs.push({ uri: uriIn(root, f.file), root, file: f.file, path: f.path, kind: f.kind, size: f.size });
      for (const s of found.skipped) {
        const uri = uriIn(root, s.file);
        skipped.push({ uri, reason: s.reason });
        publish(uri, {
          version: null,
          root,
          file: s.file,
          kind: classifyPath(s.file),
          findings: [],
          skipped: s.reason,
        });
      }
    } catch (e) {
      connection.console.error(`MCP Sentinel: cannot list ${root}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  // First pass: the tools and servers of every file that can define any, so that the second pass scans each file
  // knowing the others' (the CLI collects the same facts over the same discovered files before it scans).
  progress.report(0, 'collecting MCP tool names…');
  const factJobs: Promise<void>[] = [];
  for (const j of jobs) {
    if (isCancelled()) break;
    const text = documents.get(j.uri)?.getText() ?? readDiscoveredText(j);
    if (text === undefined || !mayHoldFacts(j.kind, text)) {
      factsOf(j.root).delete(j.file);
      continue;
    }
    factJobs.push(
      settingsFor(j.uri).then((s) =>
        scanText(j.uri, { root: j.root, file: j.file }, text, j.kind, s, 'facts').then(() => undefined),
      ),
    );
  }
  await Promise.all(factJobs);
  const total = jobs.length;
  let done = 0;
  let findings = 0;
  const report = (): void => progress.report(total ? Math.round((done / total) * 100) : 100, `${done}/${total} files`);
  report();
  const scanOne = async (j: (typeof jobs)[number]): Promise<void> => {
    const settings = await settingsFor(j.uri);
    const open = documents.get(j.uri);
    let text: string;
    if (open) text = open.getText();
    else {
      const read = readDiscovered({ file: j.file, path: j.path, kind: j.kind, size: j.size });
      if (!read.ok) {
        skipped.push({ uri: j.uri, reason: read.reason });
        publish(j.uri, { version: null, root: j.root, file: j.file, kind: j.kind, findings: [], skipped: read.reason });
        return;
      }
      text = read.text;
    }
    const outcome = await scanText(j.uri, { root: j.root, file: j.file }, text, j.kind, settings);
    if (me.cancelled && outcome.kind !== 'done') return;
    const version = open ? open.version : null;
    // An open document edited during the scan gets its live result from the debounced path instead.
    if (open && documents.get(j.uri)?.version !== version) return;
    if (outcome.kind === 'superseded') return;
    if (outcome.kind === 'skipped') {
      skipped.push({ uri: j.uri, reason: outcome.reason });
      publish(j.uri, { version, root: j.root, file: j.file, kind: j.kind, findings: [], skipped: outcome.reason });
      return;
    }
    findings += outcome.result.findings.filter((f) => !f.suppressed).length;
    publish(j.uri, { version, root: j.root, file: j.file, kind: j.kind, findings: outcome.result.findings });
  };
  // Feed the pool a few jobs at a time so that a cancel stops promptly instead of draining a long queue.
  const p = await poolFromSettings();
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
    if (inFlight.size >= p.size * 2) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const cancelled = isCancelled() && done < total;
  progress.done();
  if (activeScan === me) activeScan = undefined;
  return { scanned: done, total, skipped, findings, cancelled };
}

connection.onRequest(ScanWorkspace.method, (params: ScanWorkspaceParams, token: CancellationToken) =>
  scanWorkspace(params ?? {}, token),
);

// ---------------------------------------------------------------------------------------------------------------
// Docs, clearing and exports.

connection.onRequest(RuleDocs.method, (params: RuleDocsParams): RuleDocsResult | null => {
  const meta = ruleMeta.get(params.ruleId);
  return meta ? { meta, markdown: renderRuleDoc(meta) } : null;
});

connection.onNotification(ClearFindings.method, () => {
  for (const uri of [...results.keys()]) if (!documents.get(uri)) clear(uri);
});

connection.onRequest(ExportReport.method, (params: ExportReportParams): ExportReportResult => {
  const folderUri = params.folder ?? folders[0]?.uri;
  const root = folderUri ? fileURLToPath(folderUri) : process.cwd();
  const prefix = root.endsWith(sep) ? root : root + sep;
  const all: Finding[] = [];
  const skipped: SkippedFile[] = [];
  let scanned = 0;
  for (const [uri, r] of results) {
    if (!uri.startsWith('file:')) continue;
    const path = fileURLToPath(uri);
    if (!path.startsWith(prefix)) continue;
    if (r.skipped) skipped.push({ file: toRelative(root, path), reason: r.skipped });
    else {
      scanned++;
      for (const f of r.findings) all.push({ ...f, file: toRelative(root, path) });
    }
  }
  const findings = all
    .map(toReportFinding)
    .sort((a, b) =>
      a.file < b.file
        ? -1
        : a.file > b.file
          ? 1
          : a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column,
    );
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const counts = findings.length
    ? countFindings(findings)
    : { findings: 0, suppressed: 0, bySeverity: emptySeverityCounts() };
  const report: JsonReport = {
    tool: { name: TOOL_NAME, version: extensionVersion() },
    root,
    findings,
    skipped,
    stats: {
      regexBackend: status?.backend ?? 'js',
      filesScanned: scanned,
      filesSkipped: skipped.length,
      durationMs: 0,
      rules: ruleMeta.size,
      ruleErrors: 0,
      ...counts,
    },
  };
  const related = new Map(all.filter((f) => f.related).map((f) => [f.fingerprint, f.related]));
  const source = (file: string): string | undefined =>
    documents.get(uriIn(root, file))?.getText() ?? readIfExists(join(root, ...file.split('/')));
  const content =
    params.format === 'json'
      ? renderJson(report)
      : params.format === 'sarif'
        ? renderSarif({ report, rules: [...ruleMeta.values()], related })
        : renderHtml({ report, rules: [...ruleMeta.values()], source, related });
  return { content, findings: findings.length };
});

function extensionVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Lifecycle.

connection.onInitialize((params: InitializeParams): InitializeResult => {
  folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  hasConfigurationCapability = !!params.capabilities.workspace?.configuration;
  canRegisterWatchers = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'mcp-sentinel', version: extensionVersion() },
  };
});

connection.onInitialized(() => {
  if (folders.length) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      folders = folders.filter((f) => !e.removed.some((r) => r.uri === f.uri)).concat(e.added);
      settingsCache.clear();
      void refreshConfigErrors();
    });
  }
  void refreshConfigErrors();
  // Start the workers now, so the first opened document does not pay for loading parsers.
  void poolFromSettings();
});

connection.onDidChangeConfiguration((change) => {
  pushedSettings = change.settings;
  settingsCache.clear();
  // Re-scan open documents under the new settings (severity overrides, limits, enablement); the config file
  // setting may point elsewhere now, so config errors are re-read too.
  void refreshConfigErrors();
  for (const doc of documents.all()) void schedule(doc);
  void poolFromSettings();
});

connection.onShutdown(async () => {
  for (const t of timers.values()) clearTimeout(t);
  await pool?.dispose();
});

documents.listen(connection);
connection.listen();
