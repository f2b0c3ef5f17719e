/**
 * Cross-file propagation of tool inputs: from the calls of tool handlers (the summaries' edges with caller `''`)
 * through the call edges of the module summaries, across files, to the functions that receive them. The result,
 * per file, is the set of ENTRY TAINTS the per-file taint analysis starts from (analysis/taint/index.ts), so that
 * the existing sink rules report a tool input at the sink in a helper file, with every hop as related information.
 */
import type { ArgFlow, ModuleSummary, PathAliases, ToolOrigin } from '../analysis/summary/types';
import { compareStrings } from '../core/order';
import type { EntryTaint, Hop } from '../core/rule';
import { callsOf, ModuleGraph } from './moduleGraph';

// How many calls a tool input is followed through, and how many states at most: a bound on the work per merge
// that real servers stay far below (the issue asks for at least 5 calls).
const MAX_DEPTH = 10;
const MAX_STATES = 20_000;

/** A tool input at a parameter of a function, with the path that led there. */
interface State {
  file: string;
  fn: string;
  param: number;
  taint: ToolOrigin;
  families: string[];
  hops: Hop[];
  /** The file of the tool handler the flow started in (its own functions are the per-file analysis's job). */
  origin: string;
}

/** The value a call passes on, given the taint of what it read from (`args.query` of an arguments object). */
function along(t: ToolOrigin, path: string | undefined): ToolOrigin | undefined {
  if (path === undefined || !t.prefix) return t;
  const { prefix, ...rest } = t;
  if (prefix.length === 0) return { ...rest, param: path };
  if (prefix[0] === path) return { ...t, prefix: prefix.slice(1) };
  return prefix.length === 1 ? { ...rest, param: path } : undefined;
}

/** How a hop message names a value. */
function describe(t: ToolOrigin): string {
  const what = t.param && !t.prefix ? `${t.kind} parameter \`${t.param}\`` : `${t.kind} input`;
  return t.tool ? `${what} of ${t.kind} \`${t.tool}\`` : what;
}

/**
 * The entry taints of every file: which parameters of which functions receive a tool input from another file.
 * Deterministic (files in path order, edges in source order, breadth first, the first taint of a parameter wins).
 */
export function entryTaintsOf(
  summaries: ReadonlyMap<string, ModuleSummary>,
  aliases: readonly PathAliases[],
): Map<string, EntryTaint[]> {
  const graph = new ModuleGraph(summaries, aliases);
  const queue: State[] = [];
  const seen = new Set<string>();
  const out = new Map<string, Map<string, EntryTaint>>();
  const files = [...summaries.keys()].sort(compareStrings);

  const push = (s: Omit<State, 'hops'>, hops: Hop[]) => {
    const key = JSON.stringify([s.file, s.fn, s.param, s.taint]);
    if (seen.has(key) || seen.size >= MAX_STATES || hops.length >= MAX_DEPTH) return;
    seen.add(key);
    queue.push({ ...s, hops });
  };
  const follow = (
    file: string,
    caller: string,
    edge: ModuleSummary['calls'][number],
    arg: ArgFlow,
    taint: ToolOrigin,
    families: string[],
    hops: Hop[],
    origin: string,
  ) => {
    const fams = families.filter((f) => arg.families.includes(f as never));
    if (fams.length === 0) return;
    for (const target of graph.resolveCall(file, caller, edge.callee)) {
      const passed = along(taint, arg.path);
      if (!passed) continue;
      const tool = passed.tool ?? edge.branch ?? target.key;
      const t = tool ? { ...passed, tool } : passed;
      const name = edge.callee.member ? `${edge.callee.name}.${edge.callee.member}` : edge.callee.name;
      const hop: Hop = {
        file,
        line: edge.line,
        character: edge.character,
        message: `${capital(describe(t))} is passed to \`${edge.callee.dynamic ? target.fn : name}\` here.`,
      };
      push({ file: target.file, fn: target.fn, param: arg.index, taint: t, families: fams, origin }, [...hops, hop]);
    }
  };

  for (const file of files)
    for (const edge of callsOf(summaries.get(file)!, '')) {
      for (const arg of edge.args)
        if ('tool' in arg.origin) follow(file, '', edge, arg, arg.origin.tool, arg.families, [], file);
    }

  for (let i = 0; i < queue.length; i++) {
    const s = queue[i]!;
    if (s.file !== s.origin) {
      let forFile = out.get(s.file);
      if (!forFile) out.set(s.file, (forFile = new Map()));
      const k = `${s.fn}#${s.param}`;
      if (!forFile.has(k))
        forFile.set(k, {
          fn: s.fn,
          param: s.param,
          ...(s.taint.tool ? { tool: s.taint.tool } : {}),
          kind: s.taint.kind,
          ...(s.taint.param ? { toolParam: s.taint.param } : {}),
          ...(s.taint.prefix ? { prefix: s.taint.prefix } : {}),
          families: s.families,
          hops: s.hops,
        });
    }
    const summary = summaries.get(s.file);
    for (const edge of summary ? callsOf(summary, s.fn) : []) {
      for (const arg of edge.args)
        if ('param' in arg.origin && arg.origin.param === s.param)
          follow(s.file, s.fn, edge, arg, s.taint, s.families, s.hops, s.origin);
    }
  }
  const result = new Map<string, EntryTaint[]>();
  for (const file of [...out.keys()].sort(compareStrings)) result.set(file, [...out.get(file)!.values()]);
  return result;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
