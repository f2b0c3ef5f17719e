/**
 * Cross-file reach of tool handlers: from the calls of every tool's handler (the summaries' edges with caller `''`)
 * through the call edges of the module summaries, across files, to every function a tool can run. The result, per
 * file, says which tools reach which of its functions, so the capability inventory of a helper module (a shell
 * runner, a file library) names the tools that use it. A sibling of the taint propagation (crossFile.ts), with the
 * same bounds and the same deterministic order, but it follows every call, not only those a tool input flows through.
 */
import type { CallEdge, ModuleSummary, PathAliases, ToolRegistration } from '../analysis/summary/types';
import { compareStrings } from '../core/order';
import type { Hop, ToolReach } from '../core/rule';
import { callsOf, ModuleGraph, type CallTarget } from './moduleGraph';

// How many calls a handler is followed through, how many states at most, and how many tools one function records:
// bounds on the work per merge and on the facts shipped to every worker (a shared utility every tool calls would
// otherwise carry every tool of a large server).
const MAX_DEPTH = 10;
const MAX_STATES = 20_000;
const MAX_TOOLS_PER_FUNCTION = 64;

/** A tool's reach at one function, with the path that led there. */
interface State {
  file: string;
  fn: string;
  tool: string;
  /** The file that registers the tool (its own functions are the per-file reach's job). */
  origin: string;
  reg: ToolRegistration;
  path: string[];
  hops: Hop[];
}

/** The tool a handler edge serves: named on the edge, by the tool input it passes, or by its dispatcher branch. */
function toolOfEdge(edge: CallEdge): string | undefined {
  if (edge.tool) return edge.tool;
  for (const a of edge.args)
    if ('tool' in a.origin && a.origin.tool.kind === 'tool' && a.origin.tool.tool) return a.origin.tool.tool;
  return edge.branch;
}

/**
 * Which tools reach which functions of every file, from handlers in other files. Deterministic: files in path order,
 * edges in source order, breadth first (each tool reaches a function by its shortest path, the first one found).
 */
export function toolReachOf(
  summaries: ReadonlyMap<string, ModuleSummary>,
  aliases: readonly PathAliases[],
): Map<string, ToolReach[]> {
  const graph = new ModuleGraph(summaries, aliases);
  const queue: State[] = [];
  const seen = new Set<string>();
  const out = new Map<string, Map<string, ToolReach>>();
  const perFunction = new Map<string, number>();

  type From = Omit<State, 'file' | 'fn'> & { file: string; caller: string };
  const enter = (s: From, target: CallTarget, edge: CallEdge) => {
    if (s.hops.length >= MAX_DEPTH) return;
    const key = JSON.stringify([target.file, target.fn, s.tool, s.origin]);
    if (seen.has(key) || seen.size >= MAX_STATES) return;
    seen.add(key);
    const c = edge.callee;
    const name = c.dynamic ? target.fn : c.member ? `${c.name}.${c.member}` : c.name;
    const hop: Hop = {
      file: s.file,
      line: edge.line,
      character: edge.character,
      message: `Tool \`${s.tool}\` calls \`${name}\` here.`,
    };
    queue.push({
      file: target.file,
      fn: target.fn,
      tool: s.tool,
      origin: s.origin,
      reg: s.reg,
      path: [...s.path, target.fn],
      hops: [...s.hops, hop],
    });
  };
  const follow = (s: From, edge: CallEdge) => {
    for (const target of graph.resolveCall(s.file, s.caller, edge.callee)) enter(s, target, edge);
  };

  for (const file of [...summaries.keys()].sort(compareStrings)) {
    const summary = summaries.get(file)!;
    for (const edge of callsOf(summary, '')) {
      const tool = toolOfEdge(edge);
      // A dispatch map keyed by tool name names the tool by the entry it selects (`handlers[name](args)`).
      for (const target of graph.resolveCall(file, '', edge.callee)) {
        const name = tool ?? target.key;
        if (!name) continue;
        const reg = summary.tools?.find((r) => r.name === name) ?? {
          name,
          server: file,
          line: edge.line,
          character: edge.character,
        };
        enter({ file, caller: '', tool: name, origin: file, reg, path: [], hops: [] }, target, edge);
      }
    }
  }

  for (let i = 0; i < queue.length; i++) {
    const s = queue[i]!;
    if (s.file !== s.origin) {
      const fnKey = `${s.file}\u0000${s.fn}`;
      const count = perFunction.get(fnKey) ?? 0;
      if (count < MAX_TOOLS_PER_FUNCTION) {
        perFunction.set(fnKey, count + 1);
        let forFile = out.get(s.file);
        if (!forFile) out.set(s.file, (forFile = new Map()));
        const k = `${s.fn}\u0000${s.tool}\u0000${s.origin}`;
        if (!forFile.has(k))
          forFile.set(k, {
            fn: s.fn,
            tool: s.tool,
            server: s.reg.server,
            registration: { file: s.origin, line: s.reg.line, character: s.reg.character, message: '' },
            path: s.path,
            hops: s.hops,
          });
      }
    }
    const summary = summaries.get(s.file);
    for (const edge of summary ? callsOf(summary, s.fn) : []) follow({ ...s, caller: s.fn }, edge);
  }
  const result = new Map<string, ToolReach[]>();
  for (const file of [...out.keys()].sort(compareStrings)) result.set(file, [...out.get(file)!.values()]);
  return result;
}
