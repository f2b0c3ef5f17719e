import type { FileKind, RuleMeta, Severity } from '../../shared/types';
import type { CompiledPattern, RegexBackend, ScanText } from './regex';
import type { LineIndex } from './text';

/** A span of the document in UTF-16 offsets (half-open). */
export interface Span {
  /** Inclusive start offset. */
  start: number;
  /** Exclusive end offset. */
  end: number;
}

/** What a detector returns: offsets into the document, turned into a Finding by the engine. */
export interface RawFinding extends Span {
  /** One-line message; secrets must already be masked (see mask.ts). */
  message: string;
  /**
   * The text the fingerprint is computed from (defaults to the matched text). Detectors set it when the matched
   * text holds noise (for example, a whole call expression whose argument is what matters).
   */
  key?: string;
  /** Overrides the rule's default severity for this finding (for example, a confirmed vs a likely secret). */
  severity?: Severity;
  /**
   * Locations that explain the finding: spans of this file, or (with `file`) a zero-based position in another file
   * of the workspace, such as a hop of a cross-file taint flow. A location in another file is always a step of a
   * flow; a span of this file is one when `flow` is set (the last step of a cross-file flow, before the sink).
   */
  related?: ((Span & { message: string; flow?: boolean }) | ForeignLocation)[];
  /** A mechanical fix, as edits in this file. */
  fix?: { title: string; edits: (Span & { newText: string })[] };
}

/** Everything a detector may read. Detectors are pure: no I/O, no global state beyond memoised analysis. */
export interface DetectContext {
  /** Path relative to the scan root, forward slashes. */
  readonly path: string;
  /** File kind, from the path. */
  readonly kind: FileKind;
  /** Full text. */
  readonly text: string;
  /** The text prepared for the regex backend. */
  readonly doc: ScanText;
  /** Offset ↔ position conversion. */
  readonly lines: LineIndex;
  /** The active regex backend. */
  readonly regex: RegexBackend;
  /** Facts about the rest of the workspace (other tools' names, pinned definitions), when the caller has them. */
  readonly workspace: WorkspaceFacts;
  /** Compiles (once per process and backend) a pattern in the syntax shared by RE2 and JS. */
  re(source: string, flags?: string): CompiledPattern;
  /**
   * Shares an expensive analysis (a parse tree, extracted MCP metadata, a JSON tree) between the rules that run on
   * one document: the first call computes, later calls with the same key reuse the result.
   */
  memo<T>(key: string, compute: () => T): T;
}

/**
 * A rule sample. In positive samples every expected finding is wrapped in «guillemets»: the sample test strips
 * them and fails on a missing, unexpected or mis-ranged finding. Negative samples must produce no finding of the rule.
 */
export interface RuleSample {
  /** Path used to classify the sample (e.g. "server.ts", ".vscode/mcp.json"). */
  path: string;
  /** The sample text, with «» markers in positive samples. */
  code: string;
  /** Optional note on what the sample shows. */
  note?: string;
  /** Workspace facts the sample is scanned with (other files' tool names, pins); empty when absent. */
  workspace?: WorkspaceFacts;
}

/** A rule: declarative metadata, a pure detector and its samples. */
export interface Rule extends RuleMeta {
  /** Finds every occurrence in one document. */
  detect(ctx: DetectContext): RawFinding[];
  /** Samples that must be found, with exact ranges. */
  positive: RuleSample[];
  /** Samples that must stay quiet. */
  negative: RuleSample[];
  /**
   * True for heuristics that are noise outside the code that ships: generic sink findings (a shell command built
   * from a variable) and generic secret guesses (a random string under a `token` name). Their findings in test,
   * script and build files (`fileRole.ts`) are hidden, and counted, unless the scan includes tests. Rules that
   * recognise something for certain (a provider's token format, an MCP client config) leave it unset.
   */
  sourceOnly?: boolean;
  /**
   * A cheap test of the document's path and text, run with the keyword prefilter and before any parse: false when
   * `detect` can report nothing on it. For a rule whose real precondition is not a word of the text (a served-data
   * folder, an MCP definition of any style): a rule without keywords would otherwise run, and parse, on every
   * document of its kinds, so that no file could ever skip its parse (the batch scan's cheap files).
   */
  applies?(path: string, text: string): boolean;
}

/**
 * Cross-file knowledge gathered before a scan (by the CLI's discovery pass or the language server's workspace
 * index). Detectors must work without it: every field is optional and empty in a single-file scan.
 */
export interface WorkspaceFacts {
  /** Names of MCP tools defined anywhere in the workspace, with the file that defines each. */
  toolNames?: ReadonlyMap<string, string>;
  /** Names of MCP servers configured or declared in the workspace. */
  serverNames?: ReadonlySet<string>;
  /** The tool-definition lock file (`mcp-sentinel pin`), indexed by file, when the workspace has a valid one. */
  pins?: PinIndex;
  /**
   * Tool inputs that reach functions of a file from other files (engine/crossFile.ts), by project-relative file:
   * the per-file taint treats those parameters as tainted sources.
   */
  entryTaints?: ReadonlyMap<string, readonly EntryTaint[]>;
  /**
   * The tools whose handlers (in other files) reach functions of a file (engine/toolReach.ts), by project-relative
   * file: the capability inventory treats each such function as a root for those tools.
   */
  toolReach?: ReadonlyMap<string, readonly ToolReach[]>;
}

/** A tool whose handler, in another file, reaches a function of this file through calls. Plain data. */
export interface ToolReach {
  /** The function reached: `name` or `Class.method` (see analysis/summary). */
  fn: string;
  /** The tool. */
  tool: string;
  /** The server the tool belongs to (its declared name, else the registering file's path). */
  server: string;
  /** Where the tool is registered (the message is empty: the reader words it). */
  registration: ForeignLocation;
  /** The functions called on the way from the handler, the reached function last. */
  path: string[];
  /** Every call on the way, from the handler to the call into this file. */
  hops: Hop[];
}

/** A location in another file of the workspace (zero-based line and character). */
export interface ForeignLocation {
  /** Project-relative path, forward slashes. */
  file: string;
  /** Zero-based line. */
  line: number;
  /** Zero-based character (UTF-16). */
  character: number;
  /** What happens there, in one short sentence. */
  message: string;
  /**
   * False when the location only explains the finding (a tool's registration in another file for an inventory
   * finding) rather than being a step of a cross-file data flow; the reports draw flows from the others.
   */
  flow?: false;
}

/** One step of a cross-file flow: where the value was declared or passed on. */
export type Hop = ForeignLocation;

/** A tool input that reaches a parameter of a function of this file from another file. Plain data. */
export interface EntryTaint {
  /** The function: `name` or `Class.method` (see analysis/summary). */
  fn: string;
  /** The parameter's position (methods: `self` not counted). */
  param: number;
  /** The tool (prompt, resource) whose input it is, when known. */
  tool?: string;
  /** Tool, prompt or resource. */
  kind: 'tool' | 'prompt' | 'resource';
  /** The tool parameter, when the value is one parameter. */
  toolParam?: string;
  /** For an arguments or request object: the property path still to read to reach a tool parameter. */
  prefix?: string[];
  /** The sink families for which the value is still untrusted (not guarded or sanitised on the way). */
  families: string[];
  /** Every hop from the tool's declaration to the call into this file, in order. */
  hops: Hop[];
}

/** One pinned tool, as a detector reads it. */
export interface PinnedToolFact {
  /** Lower-case hex SHA-256 of the tool's canonical definition when it was pinned. */
  sha256: string;
  /** The server the tool was pinned under (its declared name, else its file's path). */
  server: string;
}

/**
 * The lock file indexed for detectors: project-relative file (forward slashes) → tool name → pin. The project
 * loader builds it once from a validated lock file, so detectors never re-check its shape. Plain data (maps of
 * strings), so it crosses worker threads as is.
 */
export type PinIndex = ReadonlyMap<string, ReadonlyMap<string, PinnedToolFact>>;

/** Identity helper that gives rule literals their type. */
export function defineRule(rule: Rule): Rule {
  return rule;
}

const compiled = new WeakMap<RegexBackend, Map<string, CompiledPattern>>();

/** Compiles a pattern once per backend and caches it for the life of the process. */
export function compileCached(backend: RegexBackend, source: string, flags = ''): CompiledPattern {
  let cache = compiled.get(backend);
  if (!cache) {
    cache = new Map();
    compiled.set(backend, cache);
  }
  const key = flags + '/' + source;
  let p = cache.get(key);
  if (!p) {
    p = backend.compile(source, flags);
    cache.set(key, p);
  }
  return p;
}

/**
 * A rule's metadata without its detector and samples: what reports, hovers and the protocol carry. `severity`
 * replaces the default (the effective severity after overrides) when given.
 */
export function ruleMetaOf(r: RuleMeta, severity: Severity = r.severity): RuleMeta {
  const { id, title, description, category, cwe, owasp, kinds, keywords, docs, fixable, fix, helpUri } = r;
  return {
    id,
    title,
    description,
    category,
    severity,
    cwe,
    owasp,
    kinds,
    keywords,
    docs,
    ...(fixable ? { fixable } : {}),
    ...(fix ? { fix } : {}),
    ...(helpUri ? { helpUri } : {}),
  };
}
