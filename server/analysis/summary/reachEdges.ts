/**
 * The reach half of a module summary: the calls through which a tool's handler, or any function, may run code of
 * another file, whether or not a tool input flows through them. The cross-file taint needs only the calls that carry
 * a value (extract.ts); the capability inventory needs every call, because a helper module that spawns a shell gives
 * the tool that calls it that power even when no argument reaches the command. Only calls whose callee can resolve
 * to another file are recorded (an import, an instance of an imported class, a dispatch map, a variable of unknown
 * class), so the facts stay small; calls inside the file are followed by the per-file reach (capabilities/reach.ts).
 */
import { builtinModules } from 'node:module';
import type { DetectContext } from '../../core/rule';
import { branchOf, callsWithin, reachFrom, sameFileResolver } from '../capabilities/reach';
import { mcpMetadataOf } from '../mcp/extract';
import { serverKey } from '../mcp/toolHash';
import type { TSNode } from '../parse';
import type { CodeFacts } from '../sinks/facts';
import { ownerOf, type SummarisedFunction } from './extract';
import type { CallEdge, ModuleSummary } from './types';

/**
 * Adds the reach edges of a file to its summary: for every tool with a handler here, the calls of the handler and of
 * the same-file functions it reaches (caller `''`, with the tool), and for every function, its calls (caller = the
 * function; left out when `partial`), each with no argument flows unless the taint edges already record the call. Also records where each
 * tool is registered, so the merge can name the registration in the files the tool reaches. `calleeOfCall` is
 * `calleeShape` over the names the summary knows (`knownNames`), memoised by the caller, which asks it too.
 */
export function reachEdges(
  ctx: DetectContext,
  facts: CodeFacts,
  s: ModuleSummary,
  byNode: Map<number, SummarisedFunction>,
  calleeOfCall: (call: TSNode) => CallEdge['callee'] | undefined,
  partial = false,
): void {
  // A name imported from a Node built-in (`exec` from `child_process`) is library code, never a workspace file.
  const imported = new Set(s.imports.filter((i) => !BUILTIN.has(i.from.replace(/^node:/, ''))).map((i) => i.local));
  const recorded = new Set(s.calls.map((e) => `${e.caller}\u0000${e.line}:${e.character}`));
  const shapeOf = (call: TSNode): CallEdge['callee'] | undefined => {
    if (call.type === 'new_expression') return undefined;
    const callee = calleeOfCall(call);
    return callee && leavesFile(callee, s, imported) ? callee : undefined;
  };

  // Functions: every call that may leave the file, under its owner (not in a partial summary, which holds only the
  // edges of tool handlers).
  for (const call of partial ? [] : facts.calls) {
    // The callee first: finding the owner walks up the enclosing functions, which a deep nest makes costly.
    const callee = shapeOf(call);
    const owner = callee && ownerOf(call, byNode);
    if (!owner || !callee) continue;
    const at = { line: call.startPosition.row, character: call.startPosition.column };
    const key = `${owner.id}\u0000${at.line}:${at.character}`;
    if (recorded.has(key)) continue;
    recorded.add(key);
    s.calls.push({ caller: owner.id, callee, args: [], ...at });
  }

  // Tool handlers: the calls of every function a handler reaches in this file, under the tool's name.
  const meta = mcpMetadataOf(ctx);
  if (meta.entities.length === 0 && meta.dispatchers.length === 0) return;
  const resolve = sameFileResolver(ctx);
  const server = serverKey(meta, ctx.path);
  const tools = new Map<string, { line: number; character: number }>();
  const seen = new Set<string>();
  const push = (tool: string, call: TSNode, callee: CallEdge['callee']) => {
    const at = { line: call.startPosition.row, character: call.startPosition.column };
    const key = `${tool}\u0000${at.line}:${at.character}`;
    if (seen.has(key)) return;
    seen.add(key);
    s.calls.push({ caller: '', callee, args: [], ...at, tool });
  };
  for (const e of meta.entities) {
    if (e.kind !== 'tool' || !e.name) continue;
    const name = e.name.value;
    if (!tools.has(name)) tools.set(name, ctx.lines.positionAt(e.name.start));
    if (!e.handler) continue;
    for (const r of reachFrom(e.handler, facts, resolve))
      for (const call of callsWithin(facts, r.fn)) {
        const callee = shapeOf(call);
        if (callee) push(name, call, callee);
      }
  }
  const registered = new Set(meta.entities.flatMap((e) => (e.kind === 'tool' && e.name ? [e.name.value] : [])));
  for (const d of meta.dispatchers) {
    if (d.kind !== 'tool') continue;
    for (const r of reachFrom(d.handler, facts, resolve))
      for (const call of callsWithin(facts, r.fn)) {
        const callee = shapeOf(call);
        // The branch around the call in the dispatcher (`case "run":`) names the tool; a call outside every branch
        // serves no tool in particular and is left out.
        const name = callee && branchOf(r, call, d.handler, registered);
        if (!callee || !name) continue;
        if (!tools.has(name)) tools.set(name, ctx.lines.positionAt(d.span.start));
        push(name, call, callee);
      }
  }
  if (tools.size) s.tools = [...tools].map(([name, at]) => ({ name, server, line: at.line, character: at.character }));
}

/** Node's built-in modules (`fs`, `fs/promises`, `child_process`…). */
const BUILTIN = new Set(builtinModules);

/** Whether a callee can name a function of another file (see the module comment). */
function leavesFile(c: CallEdge['callee'], s: ModuleSummary, imported: Set<string>): boolean {
  if (c.dynamic) return true;
  if (!c.member) return imported.has(c.name);
  if (c.name === 'this' || c.name === 'self') return false;
  const inst = s.instances.find((i) => i.name === c.name);
  if (inst) return imported.has(inst.cls);
  return !s.functions.some((f) => f.id === c.name) && !s.classes.includes(c.name);
}
