/**
 * The function half of a module summary: the file's functions and methods, and for each call that may reach a
 * function elsewhere, which parameter (or, in a tool handler, which tool input) flows into which argument and for
 * which sink families it is still untrusted there. The intra-file taint analysis (taint/flow.ts) decides the flow,
 * with its guards and sanitisers, so a value a function checks before passing it on is not carried across files.
 */
import type { DetectContext } from '../../core/rule';
import { calleeOf, enclosingFunction, positionalArgs, stripAwaitAndCasts } from '../ast';
import { nodeIndexOf, type TSNode } from '../parse';
import { codeFactsOf, valueOfBinding, type CodeFacts } from '../sinks/facts';
import type { SinkFamily } from '../sinks/types';
import { bindParameter, HandlerFlow, type Taint } from '../taint/flow';
import { paramsOf } from '../taint/helpers';
import { dispatchedName, flowsOf } from '../taint/index';
import { mcpMetadataOf } from '../mcp/extract';
import { moduleParts } from './modules';
import { reachEdges } from './reachEdges';
import type { ArgFlow, CallEdge, ModuleSummary, ToolOrigin } from './types';

/** Every sink family, in a fixed order (edges list the families for which a value is still untrusted). */
export const FAMILIES: readonly SinkFamily[] = ['command', 'code', 'path', 'ssrf', 'sql', 'deser'];

/** A summarised function: its node, whether it is a method, and its id. */
export interface SummarisedFunction {
  /** `name` or `Class.method`. */
  id: string;
  /** The function node (declaration, arrow function, method). */
  node: TSNode;
  /** True for a class method (Python methods drop `self`). */
  method: boolean;
}

/** The file's functions by id, with ambiguous ids (declared twice) dropped. Memoised per document. */
export function functionsOf(ctx: DetectContext): Map<string, SummarisedFunction> {
  return ctx.memo('summary:functions', () => {
    const out = new Map<string, SummarisedFunction>();
    const dropped = new Set<string>();
    const index = nodeIndexOf(ctx);
    if (!index) return out;
    const add = (id: string | undefined, node: TSNode, method: boolean): void => {
      if (!id || dropped.has(id)) return;
      if (out.has(id)) {
        out.delete(id);
        dropped.add(id);
      } else out.set(id, { id, node, method });
    };
    const types = [
      'function_declaration',
      'generator_function_declaration',
      'function_definition',
      'method_definition',
      'variable_declarator',
      'assignment_expression',
    ];
    for (const n of index.of(types)) {
      if (n.type === 'method_definition' || (n.type === 'function_definition' && classOf(n))) {
        const cls = classOf(n);
        const name = n.childForFieldName('name')?.text;
        if (cls && name && !enclosingFunction(cls)) add(`${cls.childForFieldName('name')?.text}.${name}`, n, true);
        continue;
      }
      if (enclosingFunction(n)) continue;
      if (n.type === 'variable_declarator') {
        const v = n.childForFieldName('value');
        const name = n.childForFieldName('name');
        if (v && name?.type === 'identifier' && /^(?:arrow_function|function_expression|function)$/.test(v.type))
          add(name.text, v, false);
      } else if (n.type === 'assignment_expression') {
        // `exports.readQuery = async function (query) { … }` in CommonJS.
        const m = /^(?:module\.)?exports\.(\w+)$/.exec(n.childForFieldName('left')?.text ?? '');
        const v = n.childForFieldName('right');
        if (m && v && /^(?:arrow_function|function_expression|function)$/.test(v.type)) add(m[1], v, false);
      } else add(n.childForFieldName('name')?.text, n, false);
    }
    return out;
  });
}

/** The class a method belongs to (JS `method_definition`, Python `def` in a class body). */
function classOf(fn: TSNode): TSNode | undefined {
  let p = fn.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  if (p?.type !== 'class_body' && p?.type !== 'block') return undefined;
  const c = p.parent;
  return c && /^class(?:_declaration|_definition)?$/.test(c.type) ? c : undefined;
}

// Marks the synthetic taint of "parameter i" (never a real tool name: it starts with a NUL character), and the
// property prefix that makes a read `p.key` report `key` as the path it took.
const MARK = '\u0000';
const SENTINEL = '\u0000';

/**
 * The summary of one JS/TS or Python file, or undefined when it is not one. Memoised per document. With `partial`,
 * only the edges of tool handlers (caller `''`) are recorded and the summary says so (`partial: true`): the edges of
 * the file's functions, which cost a taint flow per function, matter to the merge only when a tool reaches one of
 * them, which the batch scan finds out from the partial summaries of every file (engine/partialFacts.ts).
 */
export function summaryOf(ctx: DetectContext, partial = false): ModuleSummary | undefined {
  return ctx.memo(partial ? 'summary:module:partial' : 'summary:module', () => {
    const facts = codeFactsOf(ctx);
    const index = nodeIndexOf(ctx);
    if (!facts || !index) return undefined;
    const parts = moduleParts(facts.root, facts.lang);
    const fns = functionsOf(ctx);
    const byNode = new Map<number, SummarisedFunction>();
    for (const f of fns.values()) byNode.set(f.node.id, f);
    const summary: ModuleSummary = {
      lang: facts.lang,
      ...parts,
      functions: [...fns.values()].map((f) => ({
        id: f.id,
        params: paramsOf(f.node, f.method).map((p) => p.text),
        line: f.node.startPosition.row,
      })),
      classes: index
        .of(['class_declaration', 'class_definition', 'class'])
        .map((c) => c.childForFieldName('name')?.text ?? '')
        .filter(Boolean),
      calls: [],
      ...(partial ? { partial: true as const } : {}),
    };
    instancesInside(facts, summary);
    const known = knownNames(summary);
    handlerRefEdges(ctx, facts, known, summary);
    const paramFlows = new Map<number, HandlerFlow>();
    // A request object or OAuth metadata is untrusted only in some members, which a summary does not carry:
    // those sources are followed within their file only.
    const toolFlows = flowsOf(ctx).filter((f) => f.handler.kind !== 'http' && f.handler.kind !== 'oauth');
    // Each handler's span read once: a node's offsets are calls into tree-sitter, and the search below runs for every
    // call of the file (550 tools × 2,000 calls made it most of an editor re-scan of a large server).
    const toolSpans = toolFlows.map((f) => ({ flow: f, start: f.span.startIndex, end: f.span.endIndex }));
    // Each call's callee shape is read once: the reach edges below ask for every call again, and for the calls of
    // each tool handler a third time.
    const shapes = new Map<number, CallEdge['callee'] | undefined>();
    const shapeOf = (call: TSNode): CallEdge['callee'] | undefined => {
      if (shapes.has(call.id)) return shapes.get(call.id);
      const c = calleeShape(call, facts, known);
      shapes.set(call.id, c);
      return c;
    };
    for (const call of facts.calls) {
      if (call.type === 'new_expression') continue;
      const callee = shapeOf(call);
      if (!callee) continue;
      const line = call.startPosition.row;
      const character = call.startPosition.column;
      // The tool handler around the call, if any: its tool inputs are the sources the merge starts from.
      const callStart = call.startIndex;
      const callEnd = call.endIndex;
      const tool = toolSpans.find((t) => t.start <= callStart && callEnd <= t.end)?.flow;
      if (tool) {
        const args = argFlows(tool, call, (t) => ({
          tool: {
            ...(t.source.tool ? { tool: t.source.tool } : {}),
            // Only MCP handlers are left in toolFlows (above).
            kind: t.source.kind as ToolOrigin['kind'],
            ...(t.source.param ? { param: t.source.param } : {}),
            ...(t.prefix ? { prefix: t.prefix } : {}),
          },
        }));
        const branch = dispatchedName(call, tool.handler.fn);
        if (args.length)
          summary.calls.push({ caller: '', callee, args, line, character, ...(branch ? { branch } : {}) });
      }
      // The flow of every parameter of the enclosing function: the costly half, left out of a partial summary.
      const owner = partial ? undefined : ownerOf(call, byNode);
      if (!owner) continue;
      let flow = paramFlows.get(owner.node.id);
      if (!flow) {
        flow = paramFlow(owner, facts, index);
        paramFlows.set(owner.node.id, flow);
      }
      const args = argFlows(flow, call, (t) =>
        t.source.tool?.startsWith(MARK) ? { param: Number(t.source.tool.slice(1)) } : undefined,
      );
      const branch = dispatchedName(call, owner.node);
      if (args.length)
        summary.calls.push({ caller: owner.id, callee, args, line, character, ...(branch ? { branch } : {}) });
    }
    reachEdges(ctx, facts, summary, byNode, shapeOf, partial);
    return summary;
  });
}

/**
 * A tool whose handler is imported (`server.tool("x", schema, handleX)` with `handleX` from another module): the
 * registration passes the tool's arguments object to the handler's first parameter, an edge like any call. Python
 * handlers receive each argument as its own parameter, which an edge cannot say yet, so only JS is covered.
 */
function handlerRefEdges(ctx: DetectContext, facts: CodeFacts, known: Set<string>, s: ModuleSummary): void {
  if (facts.lang !== 'js') return;
  for (const e of mcpMetadataOf(ctx).entities) {
    const ref = e.handlerRef && stripAwaitAndCasts(e.handlerRef);
    if (!ref || e.handler) continue;
    const obj = ref.type === 'member_expression' ? ref.childForFieldName('object') : null;
    const member = obj ? ref.childForFieldName('property')?.text : undefined;
    const name = obj ? obj.text : ref.text;
    if (!known.has(name) && !/^(?:this|self)\b/.test(name)) continue;
    const tool = e.name?.value;
    s.calls.push({
      caller: '',
      callee: member ? { name, member } : { name },
      args: [
        {
          index: 0,
          origin: { tool: { ...(tool ? { tool } : {}), kind: e.kind, prefix: [] } },
          families: [...FAMILIES],
        },
      ],
      line: ref.startPosition.row,
      character: ref.startPosition.column,
    });
  }
}

/** Names a call may resolve through: imports, functions, classes, dispatch maps, instances. */
export function knownNames(s: ModuleSummary): Set<string> {
  return new Set([
    ...s.imports.map((i) => i.local),
    ...s.functions.map((f) => f.id),
    ...s.classes,
    ...s.maps.map((m) => m.name),
    ...s.instances.map((i) => i.name),
  ]);
}

/** `x = new X()` / `this.x = new X()` anywhere in the file (receivers of later method calls). */
function instancesInside(facts: CodeFacts, s: ModuleSummary): void {
  const seen = new Set(s.instances.map((i) => i.name));
  for (const call of facts.calls) {
    const isNew = call.type === 'new_expression';
    const ctor = isNew ? call.childForFieldName('constructor') : calleeOf(call);
    if (ctor?.type !== 'identifier' || (!isNew && !/^[A-Z]/.test(ctor.text))) continue;
    const p = call.parent?.type === 'await_expression' ? call.parent.parent : call.parent;
    const target =
      p?.type === 'variable_declarator'
        ? p.childForFieldName('name')
        : p?.type === 'assignment_expression' || p?.type === 'assignment'
          ? p.childForFieldName('left')
          : null;
    if (!target || !/^(?:identifier|member_expression|attribute)$/.test(target.type)) continue;
    if (seen.has(target.text)) continue;
    seen.add(target.text);
    s.instances.push({ name: target.text, cls: ctor.text });
  }
}

/** The callee of a call as the merge resolves it, or undefined for a call that cannot reach workspace code. */
export function calleeShape(call: TSNode, facts: CodeFacts, known: Set<string>): CallEdge['callee'] | undefined {
  const raw = calleeOf(call);
  if (!raw) return undefined;
  let c = stripAwaitAndCasts(raw);
  // `(0, q_js_1.readQuery)(…)`: how TypeScript's CommonJS output calls an imported function.
  while (c.type === 'parenthesized_expression' || c.type === 'sequence_expression') {
    const last = c.namedChildren[c.namedChildren.length - 1];
    if (!last) return undefined;
    c = stripAwaitAndCasts(last);
  }
  if (c.type === 'identifier') {
    if (known.has(c.text)) return { name: c.text };
    // `const handler = handlers[name]; await handler(args)`: a dispatch through a map bound to a local name.
    const bound = facts.bindings.get(c.text);
    const v = bound?.length === 1 ? valueOfBinding(bound[0]!) : null;
    const obj = v && /^subscript/.test(v.type) ? (v.childForFieldName('object') ?? v.childForFieldName('value')) : null;
    if (obj?.type === 'identifier' && known.has(obj.text)) return { name: obj.text, dynamic: true };
    return undefined;
  }
  if (c.type === 'member_expression' || c.type === 'attribute') {
    const obj = c.childForFieldName('object');
    const member = c.childForFieldName(c.type === 'attribute' ? 'attribute' : 'property')?.text;
    if (!obj || !member) return undefined;
    const o = stripAwaitAndCasts(obj);
    const own = o.type === 'this' || o.text === 'self' || /^(?:this|self)\.\w+$/.test(o.text);
    // A module the file imports by its package name (`fs`, `child_process`) is library code, not workspace code.
    // (A variable holding what a call returned is not a module: `dbAdapter = createDbAdapter(…)` stays.)
    const alias = o.type === 'identifier' && !known.has(o.text) ? facts.aliases.get(o.text) : undefined;
    if (alias && !alias.endsWith('()')) return undefined;
    // An unknown receiver must at least be a variable of this file (`let dbAdapter = createDbAdapter(…)`), never a
    // global such as `Promise` or `JSON`: the merge then looks for the method in the classes the file imports.
    if (o.type === 'identifier' && !known.has(o.text) && !facts.bindings.has(o.text)) return undefined;
    if (own || o.type === 'identifier') return { name: o.text, member };
    return undefined;
  }
  if (c.type === 'subscript_expression' || c.type === 'subscript') {
    const obj = c.childForFieldName(c.type === 'subscript' ? 'value' : 'object');
    if (obj?.type === 'identifier' && known.has(obj.text)) return { name: obj.text, dynamic: true };
  }
  return undefined;
}

/** The summarised function a call belongs to: the nearest enclosing one, looking through callbacks. */
export function ownerOf(call: TSNode, byNode: Map<number, SummarisedFunction>): SummarisedFunction | undefined {
  for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) {
    const f = byNode.get(fn.id);
    if (f) return f;
  }
  return undefined;
}

/** A flow over a function whose parameter i carries the synthetic taint "parameter i". */
function paramFlow(f: SummarisedFunction, facts: CodeFacts, index: NonNullable<ReturnType<typeof nodeIndexOf>>) {
  const params = new Map<string, Taint>();
  paramsOf(f.node, f.method).forEach((p, i) => {
    const t: Taint = { source: { tool: `${MARK}${i}`, kind: 'tool', span: { start: 0, end: 0 } }, prefix: [SENTINEL] };
    if (facts.lang === 'python') params.set(p.text, t);
    else bindParameter(p, t, params);
  });
  return new HandlerFlow({ fn: f.node, params, kind: 'tool' }, facts, index);
}

/** The arguments of a call that carry a taint of the flow, grouped with the families they stay untrusted for. */
function argFlows(flow: HandlerFlow, call: TSNode, originOf: (t: Taint) => ArgFlow['origin'] | undefined): ArgFlow[] {
  const out: ArgFlow[] = [];
  const args = positionalArgs(call);
  for (const fam of FAMILIES) {
    const cleared = flow.clearedAt(call, fam);
    args.forEach((a, index) => {
      const t = flow.taintOf(a, fam, cleared);
      const origin = t && originOf(t);
      if (!t || !origin) return;
      // For a synthetic parameter taint, a read `p.key` shows as the parameter `key` without a prefix.
      const path = 'param' in origin && !t.prefix ? t.source.param : undefined;
      const key = JSON.stringify([index, origin, path]);
      const same = out.find((x) => JSON.stringify([x.index, x.origin, x.path]) === key);
      if (same) same.families.push(fam);
      else out.push({ index, origin, ...(path ? { path } : {}), families: [fam] });
    });
  }
  return out;
}
