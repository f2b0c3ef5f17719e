/**
 * Cross-file facts for the detectors (`WorkspaceFacts` in rule.ts): which MCP tools the workspace defines (and in
 * which file), and which MCP servers it declares or configures. Cross-tool shadowing needs the first ("instead of
 * read_file" only means something when read_file is another server's tool); the pin file is loaded by
 * `openProject`. The CLI collects the facts over every discovered file before scanning; the language server keeps
 * one `FileFacts` per file, recomputed whenever the file is scanned, and merges them with `mergeFacts`, so both
 * front ends build the same facts from the same files.
 */
import { parse as parseJsonc } from 'jsonc-parser';
import { posix } from 'node:path';
import type { FileKind } from '../../shared/types';
import { mcpServers } from '../analysis/json/mcpConfig';
import { summaryOf } from '../analysis/summary/extract';
import type { ModuleSummary, PathAliases } from '../analysis/summary/types';
import { mcpMetadataOf } from '../analysis/mcp/extract';
import { createDetectContext } from '../core/context';
import { classifyPath } from '../core/fileKinds';
import { compareStrings } from '../core/order';
import type { RegexBackend } from '../core/regex';
import type { DetectContext, EntryTaint, WorkspaceFacts } from '../core/rule';
import { entryTaintsOf } from './crossFile';
import { toolReachOf } from './toolReach';

/** What one file contributes to the workspace facts. Plain data, so it crosses worker threads as is. */
export interface FileFacts {
  /** Names of the MCP tools the file defines, in source order. */
  tools: string[];
  /** Names of the MCP servers the file declares (code) or configures (client config), in source order. */
  servers: string[];
  /** The module summary of a JS/TS or Python file (imports, exports, functions, call edges), for cross-file taint. */
  summary?: ModuleSummary;
  /** The TS path aliases a `tsconfig.json` declares. */
  aliases?: PathAliases;
}

/** A file and its text, relative to the project root with forward slashes. */
export interface FactSource {
  /** Path relative to the project root, forward slashes. */
  file: string;
  /** Full text. */
  text: string;
  /** File kind; defaults to the classification of the path. */
  kind?: FileKind;
}

// Every MCP SDK import names "mcp" (`@modelcontextprotocol/sdk/server/mcp.js`, `mcp.server.fastmcp`, `fastmcp`,
// `mcp-framework`, `@mastra/mcp`) or "modelcontextprotocol" (`@modelcontextprotocol/sdk/server/index.js`).
const SDK_MENTION = /mcp|modelcontextprotocol/i;
// A JSON tool list is an array under "tools"; a client config holds its servers under "servers" or "mcpServers"
// (or "mcp.servers" in settings.json).
const TOOL_LIST = /"tools"/;
const SERVER_LIST = /"(?:mcpServers|servers|mcp\.servers)"/;
// Outside the client config file names, only the unambiguous `mcpServers` key marks a config: "servers" alone is
// too common in other JSON files.
const MCP_SERVERS = /"mcpServers"/;
// Any module that imports or exports something can be a hop of a cross-file flow, so it gets a summary.
const JS_MODULE = /\b(?:import|export|require)\b|\bexports\./;
const PY_MODULE = /^[ \t]*(?:from|import|def|class)\s/m;
const TSCONFIG = /(?:^|\/)tsconfig(?:\.[\w.-]+)?\.json$/;

/**
 * The cheap substring test run before any parsing: true when the file can contribute facts. Source files must
 * mention an MCP SDK, JSON files must have a tool list key, client configs a servers key. Most files of a workspace
 * stop here, so collecting facts costs a read and a regex test for them.
 */
export function mayHoldFacts(kind: FileKind | undefined, text: string, file = ''): boolean {
  switch (kind) {
    case 'js':
      return SDK_MENTION.test(text) || JS_MODULE.test(text);
    case 'python':
      return SDK_MENTION.test(text) || PY_MODULE.test(text);
    case 'json':
      return TOOL_LIST.test(text) || MCP_SERVERS.test(text) || (TSCONFIG.test(file) && /"paths"/.test(text));
    case 'mcp-config':
    case 'vscode-settings':
      return SERVER_LIST.test(text);
    default:
      return false;
  }
}

/**
 * True when a file may define MCP tools with descriptions (it mentions an MCP SDK, or is a JSON tool list): a scan of
 * such a file reads every tool name of the workspace (cross-tool shadowing), so it depends on the merged facts.
 */
export function mayDefineTools(kind: FileKind | undefined, text: string): boolean {
  if (kind === 'js' || kind === 'python') return SDK_MENTION.test(text);
  return kind === 'json' && TOOL_LIST.test(text);
}

/**
 * The facts of one file: its tools (from the MCP metadata every MCP rule reads) and its servers (declared names in
 * code and JSON tool lists, configured names in client configs). Undefined when the file cannot hold any. Needs
 * `initParsers()` to have completed (source files are read from their parse tree). With `partialSummary`, the module
 * summary holds only the edges of tool handlers (`ModuleSummary.partial`; the batch scan completes the summaries a
 * merge needs, engine/partialFacts.ts).
 */
export function factsOfFile(
  backend: RegexBackend,
  file: string,
  text: string,
  kind: FileKind | undefined = classifyPath(file),
  shared?: DetectContext,
  partialSummary = false,
): FileFacts | undefined {
  if (!kind || !mayHoldFacts(kind, text, file)) return undefined;
  // With a shared context the extraction stays memoised for the scan that follows; the caller disposes it.
  const { ctx, dispose } = shared
    ? { ctx: shared, dispose: () => undefined }
    : createDetectContext(backend, file, text, kind);
  try {
    const facts: FileFacts = { tools: [], servers: [] };
    if (kind === 'js' || kind === 'python') {
      const summary = summaryOf(ctx, partialSummary);
      if (summary && (summary.functions.length || summary.calls.length || summary.exports.length))
        facts.summary = summary;
    }
    if (kind === 'json' && TSCONFIG.test(file)) {
      const aliases = pathAliasesOf(file, text);
      if (aliases) facts.aliases = aliases;
    }
    if ((kind === 'js' || kind === 'python' || kind === 'json') && (kind === 'json' || SDK_MENTION.test(text))) {
      const meta = mcpMetadataOf(ctx);
      for (const e of meta.entities) if (e.kind === 'tool' && e.name?.value) facts.tools.push(e.name.value);
      for (const s of meta.serverNames) if (s.value) facts.servers.push(s.value);
    }
    if (kind === 'mcp-config' || kind === 'vscode-settings' || (kind === 'json' && MCP_SERVERS.test(text))) {
      for (const e of mcpServers(ctx)) if (e.name.value) facts.servers.push(e.name.value);
    }
    return facts.tools.length || facts.servers.length || facts.summary || facts.aliases ? facts : undefined;
  } finally {
    dispose();
  }
}

/**
 * Merges per-file facts into workspace facts. Files are taken in path order and the first file that defines a tool
 * name owns it, so the result does not depend on the order files were scanned in (the CLI and the editor agree).
 */
export function mergeFacts(perFile: Iterable<readonly [string, FileFacts]>): CrossFileFacts {
  const sorted = [...perFile].sort(([a], [b]) => compareStrings(a, b));
  const toolNames = new Map<string, string>();
  const serverNames = new Set<string>();
  for (const [file, facts] of sorted) {
    for (const t of facts.tools) if (!toolNames.has(t)) toolNames.set(t, file);
    for (const s of facts.servers) serverNames.add(s);
  }
  const { summaries, aliases } = summariesOf(sorted);
  // Both say what reaches a file from another one, and a call only ever resolves to a function of a summarised file
  // (ModuleGraph): with fewer than two summaries there is nothing to find. The editor's usual workspace is one open
  // server file, whose merge (about 4 ms for 833 tools) runs on every edit.
  const entryTaints = summaries.size > 1 ? entryTaintsOf(summaries, aliases) : undefined;
  const toolReach = summaries.size > 1 ? toolReachOf(summaries, aliases) : undefined;
  return {
    toolNames,
    serverNames,
    ...(entryTaints?.size ? { entryTaints } : {}),
    ...(toolReach?.size ? { toolReach } : {}),
  };
}

/** The module summaries and path aliases of files sorted by path, as the merge reads them. */
function summariesOf(sorted: readonly (readonly [string, FileFacts])[]): {
  summaries: Map<string, ModuleSummary>;
  aliases: PathAliases[];
} {
  const summaries = new Map<string, ModuleSummary>();
  const aliases: PathAliases[] = [];
  for (const [file, facts] of sorted) {
    if (facts.summary) summaries.set(file, facts.summary);
    if (facts.aliases) aliases.push(facts.aliases);
  }
  return { summaries, aliases };
}

/** The entry taints of `mergeFacts` alone, without the other merged facts (the language server compares them). */
export function mergedEntryTaints(
  perFile: Iterable<readonly [string, FileFacts]>,
): ReadonlyMap<string, readonly EntryTaint[]> {
  const { summaries, aliases } = summariesOf([...perFile].sort(([a], [b]) => compareStrings(a, b)));
  return summaries.size > 1 ? entryTaintsOf(summaries, aliases) : new Map();
}

/**
 * The cross-file facts of a set of files: the tools and servers every file defines, the entry taints, and the tools
 * that reach each file's functions.
 */
export type CrossFileFacts = Pick<WorkspaceFacts, 'toolNames' | 'serverNames' | 'entryTaints' | 'toolReach'>;

/**
 * The path aliases of a `tsconfig.json` (`compilerOptions.paths`, relative to `baseUrl`, itself relative to the
 * file's folder). `extends` is not followed: a project that declares its aliases in a base file is resolved only
 * through relative imports.
 */
export function pathAliasesOf(file: string, text: string): PathAliases | undefined {
  const json = parseJsonc(text, [], { allowTrailingComma: true }) as
    { compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | undefined;
  const opts = json?.compilerOptions;
  if (!opts || typeof opts.paths !== 'object' || opts.paths === null) return undefined;
  const dir = posix.dirname(file) === '.' ? '' : posix.dirname(file);
  const baseUrl = typeof opts.baseUrl === 'string' ? posix.join(dir || '.', opts.baseUrl) : dir || '.';
  const paths: [string, string[]][] = [];
  for (const [k, v] of Object.entries(opts.paths as Record<string, unknown>))
    if (Array.isArray(v)) paths.push([k, v.filter((x): x is string => typeof x === 'string')]);
  return { dir, baseUrl: baseUrl === '.' ? '' : baseUrl, paths };
}

/** What `collectWorkspaceFacts` found. */
export interface CollectedFacts {
  /** The merged facts, to pass to `scanDocument` for every file of the scan. */
  facts: CrossFileFacts;
  /** Facts by file, for files that hold any (a language server index can start from it). */
  perFile: Map<string, FileFacts>;
  /** Files that passed the substring prefilter (and were parsed). */
  candidates: number;
  /** Files looked at. */
  files: number;
}

/**
 * Collects the tool and server names of a set of files, before the files are scanned. `files` may be a lazy
 * iterable: the CLI reads each file as it is consumed, so no more than one text is held at a time. Needs
 * `initParsers()` to have completed (`openProject` does it). Nothing is stored: the caller passes the facts to
 * `scanDocument`, so a project can be shared by scans that know different files.
 */
export function collectWorkspaceFacts(backend: RegexBackend, files: Iterable<FactSource>): CollectedFacts {
  const perFile = new Map<string, FileFacts>();
  let candidates = 0;
  let count = 0;
  for (const f of files) {
    count++;
    const kind = f.kind ?? classifyPath(f.file);
    if (!kind || !mayHoldFacts(kind, f.text, f.file)) continue;
    candidates++;
    const facts = factsOfFile(backend, f.file, f.text, kind);
    if (facts) perFile.set(f.file, facts);
  }
  return { facts: mergeFacts(perFile), perFile, candidates, files: count };
}
