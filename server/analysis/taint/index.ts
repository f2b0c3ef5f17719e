import type { DetectContext, Span } from '../../core/rule';
import { mcpMetadataOf } from '../mcp/extract';
import { nodeIndexOf, type TSNode } from '../parse';
import { encloses, enclosingFunction, stripQuotes, stripAwaitAndCasts } from '../ast';
import { codeFactsOf } from '../sinks/facts';
import type { Sink } from '../sinks/types';
import { bindParameter, HandlerFlow, type Taint, type TaintSource } from './flow';
import { helperFlow, paramsOf, type HelperContext } from './helpers';
import { functionsOf } from '../summary/extract';
import { httpHandlersOf, oauthHandlersOf } from './httpSources';
import { closedParams } from './validated';

export type { Taint, TaintSource } from './flow';

/** A tool parameter that reaches a sink. */
export interface TaintHit {
  /** The sink argument the parameter reaches. */
  arg: TSNode;
  /** Where the parameter comes from (tool name resolved from the dispatcher's `case`/`if` when needed). */
  source: TaintSource;
}

/** The verdict at a sink inside a handler: a parameter reaches it, or one would but a guard sanitises it. */
export type TaintVerdict = { hit: TaintHit } | { sanitised: true };

/** Every handler of the document with its taint analysis, built once per document. */
export function flowsOf(ctx: DetectContext): HandlerFlow[] {
  return ctx.memo('taint:flows', () => {
    const facts = codeFactsOf(ctx);
    const index = nodeIndexOf(ctx);
    if (!facts || !index) return [];
    const meta = mcpMetadataOf(ctx);
    const flows: HandlerFlow[] = [];
    for (const e of meta.entities) {
      if (!e.handler || e.handlerParams.length === 0) continue;
      const params = new Map<string, Taint>();
      const tool = e.name?.value;
      const spanOf = (name: string | undefined, node: TSNode): Span =>
        e.params.find((p) => p.name === name)?.nameSpan ?? { start: node.startIndex, end: node.endIndex };
      for (const p of e.handlerParams) {
        if (facts.lang === 'python') {
          if (validatedScalar(p)) continue;
          params.set(p.text, { source: { tool, kind: e.kind, param: p.text, span: spanOf(p.text, p) } });
        } else {
          bindParameter(
            p,
            {
              source: { tool, kind: e.kind, span: { start: p.startIndex, end: p.endIndex } },
              prefix: [],
              clean: closedParams(e, facts.root),
            },
            params,
            (name, node) => spanOf(name, node),
          );
        }
      }
      flows.push(new HandlerFlow({ fn: e.handler, params, kind: e.kind }, facts, index));
    }
    for (const d of meta.dispatchers) {
      const params = new Map<string, Taint>();
      d.handlerParams.forEach((p, i) => {
        const span = { start: p.startIndex, end: p.endIndex };
        if (d.lang === 'python')
          params.set(p.text, {
            source: { kind: d.kind, param: i === 0 ? p.text : undefined, span },
            prefix: i === 0 ? undefined : [],
          });
        else
          bindParameter(p, { source: { kind: d.kind, span }, prefix: ['params', 'arguments'] }, params, (_n, node) => ({
            start: node.startIndex,
            end: node.endIndex,
          }));
      });
      flows.push(new HandlerFlow({ fn: d.handler, params, kind: d.kind }, facts, index));
    }
    for (const h of [...httpHandlersOf(facts, index), ...oauthHandlersOf(facts, ctx.text)])
      flows.push(new HandlerFlow(h, facts, index));
    return flows;
  });
}

/**
 * The handler flows and the flows of functions that receive a tool input from another file (the entry taints of
 * this file in the workspace facts). Kept apart from `flowsOf`, which must not depend on the workspace facts: the
 * module summary, computed before the facts exist, reads it through the same memo.
 */
function allFlowsOf(ctx: DetectContext): HandlerFlow[] {
  return ctx.memo('taint:allFlows', () => {
    const own = flowsOf(ctx);
    const entries = ctx.workspace.entryTaints?.get(ctx.path);
    const facts = codeFactsOf(ctx);
    const index = nodeIndexOf(ctx);
    if (!entries?.length || !facts || !index) return own;
    const fns = functionsOf(ctx);
    const byFn = new Map<string, Map<string, Taint>>();
    for (const e of entries) {
      const f = fns.get(e.fn);
      const p = f && paramsOf(f.node, f.method)[e.param];
      if (!f || !p) continue;
      let params = byFn.get(e.fn);
      if (!params) byFn.set(e.fn, (params = new Map()));
      const source: TaintSource = {
        ...(e.tool ? { tool: e.tool } : {}),
        kind: e.kind,
        ...(e.toolParam ? { param: e.toolParam } : {}),
        span: { start: p.startIndex, end: p.endIndex },
        hops: e.hops,
      };
      const t: Taint = { source, ...(e.prefix ? { prefix: e.prefix } : {}), families: e.families };
      const bound = new Map<string, Taint>();
      if (facts.lang === 'python') bound.set(p.text, t);
      else bindParameter(p, t, bound);
      for (const [k, v] of bound) if (!params.has(k)) params.set(k, v.families ? v : { ...v, families: e.families });
    }
    const extra = [...byFn].map(
      ([id, params]) => new HandlerFlow({ fn: fns.get(id)!.node, params, kind: 'tool' }, facts, index),
    );
    return extra.length ? [...own, ...extra] : own;
  });
}

/**
 * True for a Python handler parameter annotated as a number, a boolean or a `Literal` choice: FastMCP validates the
 * arguments against the signature (pydantic) before the handler runs, so such a value cannot carry a command or
 * a path (`def ping(host: str, count: int)`: only `host` is free text).
 */
function validatedScalar(p: TSNode): boolean {
  const parent = p.parent;
  if (!parent || (parent.type !== 'typed_parameter' && parent.type !== 'typed_default_parameter')) return false;
  const type = parent.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '';
  return /^(?:Annotated\[)?(?:int|float|bool|Literal\[[^\]]*\])(?:[,\]]|$)/.test(type);
}

/** The handlers in span order, each with the index of the innermost handler around it (-1 for none). */
interface HandlerSpans {
  sorted: HandlerFlow[];
  outer: number[];
}
const handlerSpans = new WeakMap<HandlerFlow[], HandlerSpans>();

/**
 * The innermost handler containing a node. Comparing every sink with every handler made a file with 12,500 tools
 * spend seconds here (quadratic), so the handlers are sorted by start once: the last one starting at or before the
 * node is the innermost candidate, and when it does not contain the node, the handlers around it (handlers nest like
 * the functions they are) are the only other candidates. Spans are compared as plain numbers: reading a node's end
 * offset crosses into WebAssembly.
 */
function handlerFor(flows: HandlerFlow[], node: TSNode): HandlerFlow | undefined {
  let index = handlerSpans.get(flows);
  if (!index) {
    // By start; among equal starts the longer span first; among equal spans the later flow last, so that the later
    // of two identical handlers wins, as the linear scan this replaces decided.
    const sorted = flows
      .map((f, i) => ({ f, i }))
      .sort((a, b) => a.f.span.startIndex - b.f.span.startIndex || b.f.span.endIndex - a.f.span.endIndex || a.i - b.i)
      .map((x) => x.f);
    const outer: number[] = [];
    const open: number[] = [];
    sorted.forEach((f, i) => {
      while (open.length && !encloses(sorted[open[open.length - 1]!]!.span, f.span)) open.pop();
      outer.push(open.length ? open[open.length - 1]! : -1);
      open.push(i);
    });
    index = { sorted, outer };
    handlerSpans.set(flows, index);
  }
  const span = { startIndex: node.startIndex, endIndex: node.endIndex };
  const { sorted, outer } = index;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.span.startIndex <= span.startIndex) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i = outer[i]!) if (encloses(sorted[i]!.span, span)) return sorted[i];
  return undefined;
}

/**
 * The tool parameter that reaches one of the sink's arguments, unless a sanitiser guards it. Undefined when the
 * sink is outside every handler or no argument is tainted.
 */
export function taintAtSink(ctx: DetectContext, sink: Sink): TaintVerdict | undefined {
  const flows = allFlowsOf(ctx);
  // Outside every handler, the sink may sit in a same-file helper that a handler passes a parameter to.
  const flow = handlerFor(flows, sink.call) ?? helperAt(ctx, flows, sink);
  if (!flow) return undefined;
  const cleared = flow.clearedAt(sink.call, sink.family);
  for (const arg of sink.args) {
    const t = flow.taintOf(arg, sink.family, cleared);
    if (!t) continue;
    const source = t.source.tool ? t.source : { ...t.source, tool: dispatchedName(sink.call, flow.handler.fn) };
    return { hit: { arg, source } };
  }
  if (cleared.size && sink.args.some((a) => flow.taintOf(a, sink.family))) return { sanitised: true };
  return undefined;
}

/** The flow of the helper function around a sink, when a handler reaches it with a tainted argument. */
function helperAt(ctx: DetectContext, flows: HandlerFlow[], sink: Sink): HandlerFlow | undefined {
  if (flows.length === 0) return undefined;
  let fn = enclosingFunction(sink.call);
  // A callback inside the helper (`new Promise((resolve) => exec(cmd, …))`) is part of the helper's flow.
  while (fn && isCallback(fn)) fn = enclosingFunction(fn);
  const facts = codeFactsOf(ctx);
  if (!fn || !facts) return undefined;
  const hc: HelperContext = { ctx, facts, handlerAt: (n) => handlerFor(flows, n), toolAt: dispatchedName };
  return helperFlow(hc, fn, sink.family);
}

/** True for an anonymous function passed as a call argument. */
function isCallback(fn: TSNode): boolean {
  return (
    (fn.type === 'arrow_function' || fn.type === 'function_expression' || fn.type === 'lambda') &&
    fn.parent?.type === 'arguments'
  );
}

/**
 * In a low-level dispatcher, the tool a branch handles: the string of the enclosing `case "x":` (JS `switch`,
 * Python `match`), or of the enclosing `if name == "x":` / `if (name === "x")`.
 */
export function dispatchedName(node: TSNode, fn: TSNode): string | undefined {
  for (let n: TSNode | null = node; n && n.id !== fn.id; n = n.parent) {
    if (n.type === 'switch_case') {
      const v = n.childForFieldName('value');
      if (v?.type === 'string') return stripQuotes(v.text);
    }
    // Python `match name:` / `case "x":` (the first string of the pattern when it lists several names).
    if (n.type === 'case_clause' && /name/.test(n.parent?.parent?.childForFieldName('subject')?.text ?? '')) {
      const body = n.childForFieldName('consequence');
      const str = n.descendantsOfType('string').find((s) => !!s && (!body || s.endIndex <= body.startIndex));
      if (str && body && encloses(body, node)) return stripQuotes(str.text);
    }
    if (n.type === 'if_statement' || n.type === 'elif_clause') {
      const cond = n.childForFieldName('condition');
      const body = n.childForFieldName('consequence');
      if (!cond || !body || !encloses(body, node)) continue;
      const c = stripAwaitAndCasts(cond);
      const str = c.namedChildren.find((x) => x?.type === 'string');
      if (str && /==/.test(c.text) && /name/.test(c.text)) return stripQuotes(str.text);
    }
  }
  return undefined;
}

/** A one-line description of a taint source, for messages and related locations. */
export function describeSource(s: TaintSource): string {
  if (s.kind === 'http') {
    const what = s.param ? `HTTP request value \`${s.param}\`` : 'HTTP request input';
    return s.tool ? `${what} of route \`${s.tool}\`` : what;
  }
  if (s.kind === 'oauth') return `remote OAuth metadata${s.param ? ` \`${s.param}\`` : ''}`;
  const what = s.param ? `${s.kind} parameter \`${s.param}\`` : `${s.kind} input`;
  return s.tool ? `${what} of ${s.kind} \`${s.tool}\`` : what;
}
