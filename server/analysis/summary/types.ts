import type { SinkFamily } from '../sinks/types';

/**
 * The module summary of one JS/TS or Python file: what it imports and exports, its functions, and the calls through
 * which a value can leave one function for another (with which parameter reaches which argument, and for which sink
 * families no guard or sanitiser has cleared it). Summaries are plain data: the facts pass computes them in a worker,
 * and the merge (engine/crossFile.ts) follows tool inputs across files through them without any parse tree.
 */
export interface ModuleSummary {
  /** Source language. */
  lang: 'js' | 'python';
  /** Local names bound by imports (`import`, `require`, Python `import`/`from … import`). */
  imports: ImportBinding[];
  /** Exported names (JS only; every top-level Python name is importable). */
  exports: ExportBinding[];
  /** Top-level functions, exported arrow functions and class methods, by id. */
  functions: FunctionSummary[];
  /** Names of the classes the file declares. */
  classes: string[];
  /**
   * Calls that pass a function parameter or a tool input on to a function that may live elsewhere, and the calls of
   * handlers and functions that may run code of another file (reachEdges.ts).
   */
  calls: CallEdge[];
  /** Module-level object literals whose values are function names (dispatch maps): name → key → function name. */
  maps: { name: string; entries: { key: string; value: string }[] }[];
  /** Names bound to `new X(...)` in the file (receivers of method calls): name → class name. */
  instances: { name: string; cls: string }[];
  /** Where the file registers the tools whose handlers it holds (the roots of the cross-file capability reach). */
  tools?: ToolRegistration[];
  /**
   * True when `calls` holds only the edges of tool handlers (caller `''`): the batch scan's facts pass leaves out the
   * edges of the file's functions until the merge reaches one of them (engine/partialFacts.ts). Otherwise the
   * summary is complete, with the same edges of tool handlers.
   */
  partial?: true;
  /**
   * True for a placeholder of a file not summarised yet (with `partial`, and every list empty): the batch scan's facts
   * pass leaves out the summary of a file that registers no handler until the merge looks the file up
   * (engine/deferredSummaries.ts). It never leaves the front end's thread.
   */
  deferred?: true;
}

/** A tool registered in the file, for the files its handler reaches (engine/toolReach.ts). */
export interface ToolRegistration {
  /** The tool's name. */
  name: string;
  /** The server it belongs to: its declared name, else the file's path. */
  server: string;
  /** Zero-based line of the tool's name in the registration. */
  line: number;
  /** Zero-based character of the tool's name in the registration. */
  character: number;
}

/** A local name bound by an import. */
export interface ImportBinding {
  /** The local name. */
  local: string;
  /** The module specifier as written (`./tools/query.js`, `@/lib/fs`, `.helpers`, `pkg.mod`). */
  from: string;
  /** The imported name: an export name, `default`, or `*` for the module itself (namespace, `require`). */
  name: string;
}

/** An exported name: a local binding, or a re-export from another module (`name` is `*` for `export *`). */
export interface ExportBinding {
  /** The exported name (`default` for a default export, `*` for `export * from`). */
  name: string;
  /** The local name it exports, for a local export. */
  local?: string;
  /** The module it re-exports from. */
  from?: string;
  /** The name imported from `from` (`*` for a namespace re-export). */
  imported?: string;
}

/** One function of the file. */
export interface FunctionSummary {
  /** `name` for a function, `Class.method` for a method. */
  id: string;
  /** Parameter names in order (`self`/`cls` dropped; a destructuring pattern is its text). */
  params: string[];
  /** Zero-based line of the declaration. */
  line: number;
}

/** Where a passed value comes from: a parameter of the calling function, or a tool input of a handler in the file. */
export type ArgOrigin = { param: number } | { tool: ToolOrigin };

/** A tool input as a handler in this file receives it. */
export interface ToolOrigin {
  /** The tool's name, when known. */
  tool?: string;
  /** Tool, prompt or resource. */
  kind: 'tool' | 'prompt' | 'resource';
  /** The tool parameter, when the value is one parameter. */
  param?: string;
  /** For an arguments or request object: the property path still to read to reach a parameter. */
  prefix?: string[];
}

/** One argument of a call that carries a parameter or a tool input. */
export interface ArgFlow {
  /** Argument position. */
  index: number;
  /** What it carries. */
  origin: ArgOrigin;
  /** The property read from the origin on the way (`args.query` → `query`), when the argument reads one. */
  path?: string;
  /** The sink families for which the value is still untrusted at the call (not guarded, escaped or cleared). */
  families: SinkFamily[];
}

/** A call whose callee may be another function of the workspace. */
export interface CallEdge {
  /** Id of the calling function, or `''` for a tool handler of this file. */
  caller: string;
  /** The callee as written: `f(…)` → `{ name: 'f' }`, `x.m(…)` → `{ name: 'x', member: 'm' }`, `map[k](…)` → dynamic. */
  callee: { name: string; member?: string; dynamic?: boolean };
  /**
   * The arguments that carry untrusted values. Empty for a call recorded only because it can run code of another
   * file (the capability reach follows every call of a handler, not only the ones a tool input flows through).
   */
  args: ArgFlow[];
  /** Zero-based line and character of the call. */
  line: number;
  /** Zero-based character of the call. */
  character: number;
  /** The tool a dispatcher branch around the call handles (`case "read_query":`), when there is one. */
  branch?: string;
  /** For a call a tool's handler reaches (caller `''`), the tool: set on the edges of the capability reach. */
  tool?: string;
}

/** TS path aliases of one `tsconfig.json`: the folder they apply to, `baseUrl` and `paths`. */
export interface PathAliases {
  /** Folder of the tsconfig file, relative to the root (`''` for the root). */
  dir: string;
  /** `compilerOptions.baseUrl` resolved against `dir` (defaults to `dir`). */
  baseUrl: string;
  /** `compilerOptions.paths`: pattern → targets, relative to `baseUrl`. */
  paths: [string, string[]][];
}
