/**
 * The MCP Sentinel language server (dist/server.js). It speaks LSP over `--stdio` or `--node-ipc` (chosen by the
 * command line, as vscode-languageserver does). This file is the handler table: each handler finds the workspace
 * of its document and asks the module that owns the feature (documents.ts for live scans and results,
 * workspaceScan.ts, export.ts, projectFiles.ts, hover.ts, codeActions.ts). `environmentChanged` is the one path by
 * which a change of folders, settings or project files reaches every cache.
 */
import { PROJECT_FILE_MAX_BYTES, readTextFile } from '../core/files';
import { join } from 'node:path';
import {
  CodeActionKind,
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
import {
  ClearFindings,
  DIAGNOSTIC_SOURCE,
  ExportReport,
  PackageFile,
  RuleDocs,
  ScanWorkspace,
  VetServers,
  type DiagnosticData,
  type ExportReportParams,
  type RuleDocsParams,
  type RuleDocsResult,
  type ScanWorkspaceParams,
  type VetServersParams,
} from '../../shared/protocol';
import { IGNORE_FILE } from '../../shared/projectFiles';
import type { Range, RuleMeta } from '../../shared/types';
import { ruleMetaOf } from '../core/rule';
import { toolVersion } from '../core/version';
import { ruleCatalogue } from '../rules/catalogue';
import { ChangeLog } from './changes';
import { codeActionsFor, type ActionTarget } from './codeActions';
import { CodeLensRefresher, codeLensesFor } from './codeLens';
import { toDiagnostic } from './diagnostics';
import { Documents } from './documents';
import { exportReport } from './export';
import { guardedStdio } from './framing';
import { contains, hoverMarkdown } from './hover';
import { ProjectFiles } from './projectFiles';
import { renderRuleDoc, ruleDocHref } from './ruleDocs';
import { Scanner } from './scanner';
import { testHookRules, testHooksEnabled } from '../workers/testHooks';
import { vetServers } from '../cli/vet';
import { Vetting } from './vet';
import { testVetServers } from './vetTestHook';
import { SettingsSource, Workspaces } from './workspace';
import { WorkspaceScan } from './workspaceScan';

// Over --stdio, input passes a frame guard first: a bad header is skipped with a line on stderr instead of
// leaving the server deaf (framing.ts).
const stdio = guardedStdio();
const connection: Connection = stdio
  ? createConnection(ProposedFeatures.all, stdio.input, stdio.output)
  : createConnection(ProposedFeatures.all);
// The change log sits in the documents' update path: live scans send a document's changes to the worker that owns
// it, which re-parses incrementally (changes.ts).
const changeLog = new ChangeLog();
const open = new TextDocuments(changeLog.configuration());

let folders: WorkspaceFolder[] = [];
let hasConfigurationCapability = false;
let canRegisterWatchers = false;
let supportsFolderEvents = false;
let canRefreshCodeLens = false;

const extraRules = testHooksEnabled() ? testHookRules() : [];
const workspaces = new Workspaces(new SettingsSource(connection, () => hasConfigurationCapability), () => extraRules);
const scanner = new Scanner(connection, workspaces);
const projectFiles = new ProjectFiles(
  connection,
  workspaces,
  () => canRegisterWatchers,
  (uri) => void documents.sendDiagnostics(uri),
);
const documents = new Documents(connection, open, workspaces, scanner, (uri) => projectFiles.diagnosticsOf(uri));
const workspaceScan = new WorkspaceScan(connection, workspaces, documents, scanner);
const codeLenses = new CodeLensRefresher(connection, () => canRefreshCodeLens);
documents.onPublished = (uri, findings) => codeLenses.published(uri, findings);
documents.changes = changeLog;
// Package vetting (vet.ts): only on the client's request; new results change the config lenses' titles.
const vetting = new Vetting(connection, workspaces, testVetServers() ?? vetServers, () => codeLenses.refresh());

/** Rule metadata for hovers and docs (the workers hold the detectors; this thread only describes them). */
const ruleMeta = new Map<string, RuleMeta>(ruleCatalogue([], extraRules).map((r) => [r.id, ruleMetaOf(r)]));

/**
 * The environment changed (workspace folders, settings, or a project file): forget every cached setting and
 * project input, make the workers reopen their projects, republish config errors, rescan open documents and
 * resize the pool. Every change goes through here, so no cache can be left behind.
 */
function environmentChanged(): void {
  workspaces.settings.clear();
  workspaces.setFolders(folders);
  for (const w of workspaces.everything()) w.invalidate();
  scanner.epoch++;
  void projectFiles.refresh();
  for (const doc of open.all()) if (!projectFiles.isProjectFile(doc.uri)) void documents.schedule(doc);
  void scanner.ensurePool();
}

// ---------------------------------------------------------------------------------------------------------------
// Documents.

open.onDidChangeContent((e) => void documents.schedule(e.document));
open.onDidSave((e) => {
  if (projectFiles.isProjectFile(e.document.uri)) environmentChanged();
});
connection.onDidChangeWatchedFiles((e) => {
  if (e.changes.some((c) => projectFiles.isProjectFile(c.uri))) environmentChanged();
});
open.onDidClose((e) => {
  documents.closed(e.document.uri);
  if (documents.results.has(e.document.uri)) documents.clear(e.document.uri);
});

// ---------------------------------------------------------------------------------------------------------------
// Hover and code actions.

connection.onHover((params) => {
  const r = documents.current(params.textDocument.uri);
  const doc = open.get(params.textDocument.uri);
  if (!doc) return null;
  // On a config's package spec, the last vetting result comes first, then any finding there.
  const vetted = vetting.hoverAt(params.textDocument.uri, doc.getText(), params.position);
  const hits = (r?.findings ?? []).filter((f) => !f.suppressed && contains(f.range, params.position));
  if (!hits.length) return vetted ?? null;
  const text = hoverMarkdown(hits, ruleMeta, doc.getText(), (p) => doc.offsetAt(p));
  const value = vetted ? `${(vetted.contents as { value: string }).value}\n\n---\n\n${text}` : text;
  return { contents: { kind: 'markdown', value }, range: vetted?.range ?? hits[0]!.range };
});

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']): boolean =>
    p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

connection.onCodeAction(async (params, token) => {
  const uri = params.textDocument.uri;
  // Waits for the scan of the document's current version when one is on its way (see Documents.settled).
  const r = await documents.settled(uri, token);
  const doc = open.get(uri);
  if (!r || !doc) return [];
  const sent = new Map<string, Diagnostic>();
  for (const d of params.context.diagnostics) {
    const fp = (d.data as DiagnosticData | undefined)?.fingerprint;
    if (d.source === DIAGNOSTIC_SOURCE && fp) sent.set(fp, d);
  }
  const uriOf = (x: string): string => r.workspace.uriOf(x);
  const targets: ActionTarget[] = [];
  for (const f of r.findings) {
    if (f.suppressed) continue;
    const d = sent.get(f.fingerprint);
    if (!d && !overlaps(f.range, params.range)) continue;
    targets.push({ finding: f, diagnostic: d ?? toDiagnostic(f, uriOf, (id) => ruleDocHref(id)) });
  }
  if (!targets.length) return [];
  const ignoreUri = r.workspace.uriOf(IGNORE_FILE);
  const ignoreText = open.get(ignoreUri)?.getText() ?? readIfExists(join(r.workspace.root, ...IGNORE_FILE.split('/')));
  return codeActionsFor(
    { uri, text: doc.getText(), file: r.file, kind: r.kind, ignoreFileUri: ignoreUri, ignoreFileText: ignoreText },
    targets,
  );
});

// The capability inventory above each tool registration (codeLens.ts), from the document's current findings.
// On MCP client configs, the "Vet package" lens of each entry that launches a package (vet.ts).
connection.onCodeLens((params) => {
  const uri = params.textDocument.uri;
  const doc = open.get(uri);
  const vets = doc ? vetting.lensesFor(uri, doc.getText()) : [];
  return [...codeLensesFor(documents.current(uri)?.findings ?? []), ...vets];
});

/** The text of a project file when it can be read (a regular file within the size limit), else undefined. */
function readIfExists(path: string): string | undefined {
  const r = readTextFile(path, { maxBytes: PROJECT_FILE_MAX_BYTES });
  return r.ok ? r.text : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Custom requests.

connection.onRequest(ScanWorkspace.type, (params: ScanWorkspaceParams, token: CancellationToken) =>
  workspaceScan.run(params ?? {}, token),
);

connection.onRequest(RuleDocs.type, (params: RuleDocsParams): RuleDocsResult | null => {
  const meta = ruleMeta.get(params.ruleId);
  return meta ? { meta, markdown: renderRuleDoc(meta) } : null;
});

connection.onRequest(VetServers.type, (params: VetServersParams, token: CancellationToken) =>
  vetting.run(params ?? {}, token),
);

connection.onRequest(PackageFile.type, (params) => vetting.packageFile(params.configUri, params.path));

connection.onNotification(ClearFindings.type, () => {
  for (const uri of [...documents.results.keys()]) if (!open.get(uri)) documents.clear(uri);
});

connection.onRequest(ExportReport.type, (params: ExportReportParams) =>
  exportReport(params, workspaces, documents, scanner, extraRules),
);

// ---------------------------------------------------------------------------------------------------------------
// Lifecycle.

connection.onInitialize((params: InitializeParams): InitializeResult => {
  folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  workspaces.setFolders(folders);
  hasConfigurationCapability = !!params.capabilities.workspace?.configuration;
  canRegisterWatchers = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  supportsFolderEvents = !!params.capabilities.workspace?.workspaceFolders;
  canRefreshCodeLens = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      codeLensProvider: { resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'mcp-sentinel', version: toolVersion() },
  };
});

connection.onInitialized(() => {
  // Only a client that announced workspace-folder support may be asked for its change events (asking another one
  // throws, which used to end this handler before the project files were read and the workers started).
  if (folders.length && supportsFolderEvents) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      folders = folders.filter((f) => !e.removed.some((r) => r.uri === f.uri)).concat(e.added);
      environmentChanged();
    });
  }
  void projectFiles.refresh();
  // Start the workers now, so the first opened document does not pay for loading parsers.
  void scanner.ensurePool();
});

connection.onDidChangeConfiguration((change) => {
  workspaces.settings.pushed = change.settings;
  environmentChanged();
});

connection.onShutdown(async () => {
  documents.cancelAll();
  await scanner.dispose();
});

open.listen(connection);
connection.listen();
