/**
 * Every custom message between the MCP Sentinel client and its language server, declared once: method string
 * (namespaced `mcpSentinel/…`), params and result types, and who sends it when. Standard LSP messages
 * (publishDiagnostics, hover, codeAction, work-done progress) are not repeated here.
 *
 * Each message is a vscode-jsonrpc `RequestType`/`NotificationType`, so both connections check params and results
 * against this one declaration: `client.sendRequest(ScanWorkspace.type, params)` on one side and
 * `connection.onRequest(ScanWorkspace.type, handler)` on the other, with no generics restated at the call. The import
 * resolves to vscode-jsonrpc's isomorphic `lib/common` build (its package `exports` and `tsconfig.json` both point
 * there), so this module stays free of `vscode` and of Node-only APIs and both bundles can include it.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { FindingsDelta } from './findingShifts';
import type { Finding, RegexBackendName, RuleMeta, Severity } from './types';
import type { ServerVetWire } from './vet';

/** A request from one side to the other, with params `P` and result `R`. */
export interface RequestDef<P, R> {
  /** The JSON-RPC method name, as docs/protocol.md lists it. */
  readonly method: string;
  /** The typed message that both connections accept in place of the method string. */
  readonly type: RequestType<P, R, void>;
}

/** A notification from one side to the other, with params `P`. */
export interface NotificationDef<P> {
  /** The JSON-RPC method name, as docs/protocol.md lists it. */
  readonly method: string;
  /** The typed message that both connections accept in place of the method string. */
  readonly type: NotificationType<P>;
}

function request<P, R>(method: string): RequestDef<P, R> {
  return { method, type: new RequestType<P, R, void>(method) };
}

function notification<P>(method: string): NotificationDef<P> {
  return { method, type: new NotificationType<P>(method) };
}

/** What the server runs on; shown in the status item. */
export interface ServerStatusParams {
  /** Active regex backend. */
  backend: RegexBackendName;
  /** Why the JS backend is active when re2 was not forced off (the addon's load error), if known. */
  backendReason?: string;
  /** The server's runtime, e.g. "node 20.20.2" or "electron 37.2.3 (node 22.17.0)". */
  runtime: string;
  /** Size of the worker pool. */
  workers: number;
}

/**
 * Server → client, once after initialisation and whenever the pool restarts: the regex backend and runtime in use.
 */
export const ServerStatus = notification<ServerStatusParams>('mcpSentinel/serverStatus');

/** Every finding of one document (suppressed ones included), for the findings tree. */
export interface FileFindingsParams {
  /** Document URI. */
  uri: string;
  /** Document version the findings belong to, or null for a file scanned from disk. */
  version: number | null;
  /** All findings, suppressed ones marked with `suppressed`; `file` is relative to the document's root. */
  findings: Finding[];
  /** Set when the file was not scanned, with the reason (too large, timed out, worker crashed). */
  skipped?: string;
  /** This notification's number (the server counts them), which a later `delta` of the same URI names as its base. */
  seq?: number;
  /**
   * Set instead of `findings` (then empty) when the list is the previous notification's for this URI with changes:
   * most often every finding moved by the lines an edit added or removed (`FileFindingsRestorer` restores it).
   */
  delta?: FindingsDelta;
}

/**
 * Server → client, every time a document's findings change (live edits and workspace scans alike), right after the
 * matching publishDiagnostics. Results stream: one notification per file, as soon as that file is done.
 */
export const FileFindings = notification<FileFindingsParams>('mcpSentinel/fileFindings');

/** Params of a workspace scan; the client passes a `workDoneToken` to receive progress. */
export interface ScanWorkspaceParams {
  /** Folder URIs to scan; all workspace folders when omitted. */
  folders?: string[];
  /** Work-done progress token (LSP `WorkDoneProgressParams`). */
  workDoneToken?: string | number;
}

/** Summary of a finished (or cancelled) workspace scan. */
export interface ScanWorkspaceResult {
  /** Files scanned. */
  scanned: number;
  /** Files discovered. */
  total: number;
  /** Files skipped, with reasons. */
  skipped: { uri: string; reason: string }[];
  /** Findings that are not suppressed. */
  findings: number;
  /** True when the scan was cancelled before the last file. */
  cancelled: boolean;
}

/**
 * Client → server: scan every file of the workspace folders (respecting .gitignore and the project config) in the
 * worker pool. Reports `n/N files` work-done progress, is cancellable with `$/cancelRequest` or the progress UI's
 * cancel button, and streams each file's results as `FileFindings` (plus diagnostics) while it runs.
 */
export const ScanWorkspace = request<ScanWorkspaceParams, ScanWorkspaceResult>('mcpSentinel/scanWorkspace');

/** Params of `RuleDocs`. */
export interface RuleDocsParams {
  /** Rule id. */
  ruleId: string;
}

/** A rule's documentation, rendered by the server from the rule metadata. */
export interface RuleDocsResult {
  /** Rule metadata (without the detector). */
  meta: RuleMeta;
  /** Full documentation page in Markdown. */
  markdown: string;
}

/** Client → server: the documentation of one rule (null when no such rule exists). Works offline. */
export const RuleDocs = request<RuleDocsParams, RuleDocsResult | null>('mcpSentinel/ruleDocs');

/**
 * Client → server: forget the findings of every file that is not open (workspace-scan results) and clear their
 * diagnostics. Open documents keep their live diagnostics.
 */
export const ClearFindings = notification<Record<string, never>>('mcpSentinel/clearFindings');

/** Formats that `ExportReport` can produce. */
export type ReportFormat = 'sarif' | 'json' | 'html';

/** Params of `ExportReport`. */
export interface ExportReportParams {
  /** Report format. */
  format: ReportFormat;
  /** Folder URI whose findings to export; the first workspace folder when omitted. */
  folder?: string;
}

/** A rendered report. */
export interface ExportReportResult {
  /** The report text (SARIF and JSON are JSON text; HTML is a standalone page). */
  content: string;
  /** Number of findings in it (suppressed included). */
  findings: number;
}

/**
 * Client → server: render the findings the server currently holds for a folder (from live scans and the last
 * workspace scan) as a report, with the same report code the CLI uses.
 */
export const ExportReport = request<ExportReportParams, ExportReportResult>('mcpSentinel/exportReport');

/** Params of `VetServers`; the client passes a `workDoneToken` to receive progress. */
export interface VetServersParams {
  /** URIs of the MCP client configs whose servers to vet; every config of every workspace folder when omitted. */
  configs?: string[];
  /** Only the servers of these names (keys in the configs); every server of the configs when omitted. */
  servers?: string[];
  /** Work-done progress token (LSP `WorkDoneProgressParams`). */
  workDoneToken?: string | number;
}

/** The outcome of a vetting request. */
export interface VetServersResult {
  /** One entry per server vetted (or found not vettable), in config then file order. */
  servers: ServerVetWire[];
  /** True when the request was cancelled before every package was vetted. */
  cancelled: boolean;
  /** Set when vetting could not run at all (the engine failed), with a one-line reason fit for a user. */
  error?: string;
}

/**
 * Client → server, only on the user's action (the "Vet Configured Servers" command, a "Vet package" lens) or when the
 * user opted in with `mcpSentinel.vet.onOpen` in a trusted workspace: fetch the npm packages that MCP client configs
 * launch and read them with the full engine, never running them. Uses the network (the user's npm configuration) for
 * packages that are neither in the workspace's node_modules nor in the result cache. Reports work-done progress, is
 * cancellable, and keeps the results for the config's code lenses and hovers.
 */
export const VetServers = request<VetServersParams, VetServersResult>('mcpSentinel/vetServers');

/** Params of `PackageFile`. */
export interface PackageFileParams {
  /** URI of the config whose vetted server the file belongs to. */
  configUri: string;
  /** The file as a vetting finding names it: `npm:<name>@<version>/<path>`. */
  path: string;
}

/**
 * Client → server: the text of one file of a vetted package, for a read-only view (null when the server cannot read
 * it without the network, e.g. a package fetched from the registry and no longer extracted).
 */
export const PackageFile = request<PackageFileParams, { text: string } | null>('mcpSentinel/packageFile');

/**
 * The `data` every MCP Sentinel diagnostic carries, so code actions and the client can act on it without a
 * round trip.
 */
export interface DiagnosticData {
  /** The finding's stable fingerprint. */
  fingerprint: string;
  /** Canonical category. */
  category: Finding['category'];
  /** CWE identifiers. */
  cwe: string[];
  /** Effective severity of the finding (the LSP severity is coarser). */
  severity: Severity;
}

/** The `source` of every MCP Sentinel diagnostic. */
export const DIAGNOSTIC_SOURCE = 'MCP Sentinel';

/** The `code` of the informational diagnostic that says a file was skipped. */
export const SKIPPED_CODE = 'mcp-sentinel-skipped';

/**
 * The `code` of the error diagnostics on a project file (`.mcp-sentinel.json`, the ignore file, the baseline, the pin
 * file) that cannot be read as it is; they carry no `data`, so no finding quick fix applies to them.
 */
export const CONFIG_ERROR_CODE = 'mcp-sentinel-config-error';

/** URI scheme of the virtual rule documentation pages the client renders offline (`mcp-sentinel-rule:/<id>.md`). */
export const RULE_DOC_SCHEME = 'mcp-sentinel-rule';

/** Prefix of every code-action title. */
export const ACTION_PREFIX = 'MCP Sentinel: ';

/**
 * The id of every command the client contributes, keyed by its name. The manifest (client/manifest.ts) contributes
 * each of them, the client registers one handler per key (client/commands.ts), and the server names
 * `openRuleDocumentation` in its "Show documentation" code action, so no side spells an id out again.
 */
export const COMMAND_IDS = {
  scanWorkspace: 'mcpSentinel.scanWorkspace',
  cancelScan: 'mcpSentinel.cancelScan',
  exportReport: 'mcpSentinel.exportReport',
  showOutput: 'mcpSentinel.showOutput',
  openRuleDocumentation: 'mcpSentinel.openRuleDocumentation',
  clearFindings: 'mcpSentinel.clearFindings',
  groupByFile: 'mcpSentinel.groupByFile',
  groupByCategory: 'mcpSentinel.groupByCategory',
  filterSeverity: 'mcpSentinel.filterSeverity',
  filterCategory: 'mcpSentinel.filterCategory',
  toggleShowSuppressed: 'mcpSentinel.toggleShowSuppressed',
  suppressFinding: 'mcpSentinel.suppressFinding',
  copyFingerprint: 'mcpSentinel.copyFingerprint',
  vetServers: 'mcpSentinel.vetServers',
  vetServer: 'mcpSentinel.vetServer',
} as const;

/** The name of a client command: a key of `COMMAND_IDS`. */
export type CommandName = keyof typeof COMMAND_IDS;

/** The id of a client command, as VS Code knows it. */
export type CommandId = (typeof COMMAND_IDS)[CommandName];

/**
 * The code-action kind of "Suppress <rule> on this line". It is a sub-kind of `quickfix`, so the editor still lists
 * the action among quick fixes, and it gives the client a stable identity to find the action by when the user
 * suppresses a finding from the findings tree (the title is UI text and may change).
 */
export const SUPPRESS_LINE_ACTION_KIND = 'quickfix.mcpSentinel.suppressLine';

/** The `data` of a suppress-line code action: which finding it suppresses. */
export interface SuppressLineActionData {
  /** Rule id of the finding. */
  ruleId: string;
  /** Fingerprint of the finding, unique within its file. */
  fingerprint: string;
}
