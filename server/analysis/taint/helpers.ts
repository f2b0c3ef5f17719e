import type { DetectContext } from '../../core/rule';
import { nodeIndexOf, type TSNode } from '../parse';
import { calleeOf, enclosingFunction, keywordArg, positionalArgs, propertyName, stripAwaitAndCasts } from '../ast';
import type { CodeFacts } from '../sinks/facts';
import type { SinkFamily } from '../sinks/types';
import { bindParameter, HandlerFlow, type Taint } from './flow';

/**
 * The interprocedural step of the taint analysis, one call deep at a time: a handler (or a helper it reaches) that
 * passes a tainted argument to a function defined in the same file taints that function's parameter. Real servers
 * keep their sinks in small helpers (`def run(cmd): return subprocess.check_output(cmd, shell=True)`, a
 * `CustomerStore.find(name)` method, `async function checkout(branch)`), so without this step a tool parameter
 * reaching a shell through a helper is reported as a generic dynamic command, and a URL or a path not at all.
 *
 * Calls are resolved by name only inside the file, and only when the name is unambiguous: a bare call `run(x)` to
 * the one function or arrow function bound to `run`, or a method call `obj.find(x)` / `self.log(x)` /
 * `this.find(x)` to the one method named `find` declared in a class of this file. Unknown calls still end the
 * flow, as in the intra-procedural analysis.
 */

/** What a helper flow needs from the caller side: the flows of the handlers and a way to find the one at a node. */
export interface HelperContext {
  /** The document. */
  ctx: DetectContext;
  /** File facts (calls, aliases). */
  facts: CodeFacts;
  /** The innermost handler flow containing a node. */
  handlerAt(node: TSNode): HandlerFlow | undefined;
  /** The tool name a dispatcher branch handles, for sources that do not name their tool. */
  toolAt(node: TSNode, fn: TSNode): string | undefined;
}

/** How many helper calls deep the analysis follows a parameter (handler → helper → helper → sink). */
const MAX_DEPTH = 3;

/** A same-file function that can be called by name: its node, and whether it is a class method. */
interface Callable {
  fn: TSNode;
  method: boolean;
}

/** Same-file functions by the name calls use, with ambiguous names (defined twice) dropped. */
function callablesOf(ctx: DetectContext): Map<string, Callable> {
  return ctx.memo('taint:callables', () => {
    const out = new Map<string, Callable>();
    const seen = new Set<string>();
    const add = (name: string | undefined, fn: TSNode, method: boolean): void => {
      if (!name) return;
      if (seen.has(name)) out.delete(name);
      else out.set(name, { fn, method });
      seen.add(name);
    };
    const index = nodeIndexOf(ctx);
    if (!index) return out;
    for (const n of index.of([
      'function_declaration',
      'generator_function_declaration',
      'function_definition',
      'method_definition',
      'variable_declarator',
    ])) {
      if (n.type === 'variable_declarator') {
        const v = n.childForFieldName('value');
        const name = n.childForFieldName('name');
        if (
          v &&
          name?.type === 'identifier' &&
          (v.type === 'arrow_function' || v.type === 'function_expression' || v.type === 'function')
        )
          add(name.text, v, false);
        continue;
      }
      const name = n.childForFieldName('name')?.text;
      const inClass = n.type === 'method_definition' || isPythonMethod(n);
      add(name, n, inClass);
    }
    return out;
  });
}

/** True for a Python `def` directly in a class body (possibly decorated). */
function isPythonMethod(fn: TSNode): boolean {
  if (fn.type !== 'function_definition') return false;
  let p = fn.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  return p?.type === 'block' && p.parent?.type === 'class_definition';
}

/** The name a call uses for its callee, and whether it is a method call (`x.name(...)`). */
function calledName(call: TSNode): { name: string; method: boolean } | undefined {
  const callee = calleeOf(call);
  if (!callee) return undefined;
  const c = stripAwaitAndCasts(callee);
  if (c.type === 'identifier') return { name: c.text, method: false };
  if (c.type === 'member_expression' || c.type === 'attribute') {
    const name = propertyName(c);
    return name ? { name, method: true } : undefined;
  }
  return undefined;
}

/** The calls of the file grouped by the name they call (plain and method calls together). */
function callsByName(ctx: DetectContext, facts: CodeFacts): Map<string, TSNode[]> {
  return ctx.memo('taint:callsByName', () => {
    const out = new Map<string, TSNode[]>();
    for (const call of facts.calls) {
      if (call.type === 'new_expression') continue;
      const c = calledName(call);
      if (!c) continue;
      const list = out.get(c.name);
      if (list) list.push(call);
      else out.set(c.name, [call]);
    }
    return out;
  });
}

/** The declared parameters of a function, as (name node, keyword name) in order; `self`/`cls` of methods dropped. */
export function paramsOf(fn: TSNode, method: boolean): TSNode[] {
  const list = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!list) return [];
  if (list.type === 'identifier') return [list];
  const out: TSNode[] = [];
  for (const p of list.namedChildren) {
    if (!p || p.type === 'comment') continue;
    // JS: identifier, pattern, assignment_pattern, required/optional_parameter (TS) whose `pattern` is the name.
    // Python: identifier, typed_parameter, default_parameter, typed_default_parameter.
    let n: TSNode = p;
    if (n.type === 'required_parameter' || n.type === 'optional_parameter') n = n.childForFieldName('pattern') ?? n;
    if (n.type === 'default_parameter' || n.type === 'typed_default_parameter') n = n.childForFieldName('name') ?? n;
    if (n.type === 'typed_parameter') n = n.namedChildren.find((c) => c?.type === 'identifier') ?? n;
    if (n.type === 'list_splat_pattern' || n.type === 'dictionary_splat_pattern' || n.type === 'rest_pattern') break;
    out.push(n);
  }
  if (method && fn.type === 'function_definition' && out[0] && /^(?:self|cls)$/.test(out[0].text)) out.shift();
  return out;
}

/**
 * The flow of a helper function for one sink family: its parameters tainted by the first caller (a handler or
 * another helper) that passes it a tainted argument. Undefined when no caller does.
 */
export function helperFlow(hc: HelperContext, fn: TSNode, family: SinkFamily, depth = 0): HandlerFlow | undefined {
  if (depth >= MAX_DEPTH) return undefined;
  return hc.ctx.memo(`taint:helper:${fn.id}:${family}:${depth}`, () => build(hc, fn, family, depth));
}

function build(hc: HelperContext, fn: TSNode, family: SinkFamily, depth: number): HandlerFlow | undefined {
  const name = nameOf(fn);
  if (!name) return undefined;
  const callable = callablesOf(hc.ctx).get(name);
  if (!callable || callable.fn.id !== fn.id) return undefined;
  const params = paramsOf(fn, callable.method);
  if (params.length === 0) return undefined;
  const index = nodeIndexOf(hc.ctx);
  if (!index) return undefined;
  for (const call of callsByName(hc.ctx, hc.facts).get(name) ?? []) {
    const called = calledName(call);
    // A method is reached through `x.name(...)`, a function through `name(...)`: never the other way round, so
    // `list.find(...)` cannot be taken for a file-level `function find`.
    if (!called || called.method !== callable.method) continue;
    // A recursive call inside the helper itself says nothing about its callers.
    const caller = enclosingFunction(call);
    if (!caller || caller.id === fn.id) continue;
    const flow = hc.handlerAt(call) ?? helperFlow(hc, caller, family, depth + 1);
    if (!flow) continue;
    const cleared = flow.clearedAt(call, family);
    const taints = new Map<string, Taint>();
    const args = positionalArgs(call);
    params.forEach((p, i) => {
      const arg = (hc.facts.lang === 'python' ? keywordArg(call, p.text) : undefined) ?? args[i];
      const t = arg ? flow.taintOf(arg, family, cleared) : undefined;
      if (!t) return;
      const tool = t.source.tool ?? hc.toolAt(call, flow.handler.fn);
      const source = tool ? { ...t.source, tool } : t.source;
      bindParameter(p, t.prefix ? { source, prefix: t.prefix } : { source }, taints);
    });
    if (taints.size) return new HandlerFlow({ fn, params: taints, kind: flow.handler.kind }, hc.facts, index);
  }
  return undefined;
}

/** The name a function is called by: its declared name, or the variable an arrow function is bound to. */
function nameOf(fn: TSNode): string | undefined {
  const own = fn.childForFieldName('name');
  if (own && fn.type !== 'arrow_function' && fn.type !== 'function_expression') return own.text;
  const p = fn.parent;
  if (p?.type === 'variable_declarator') return p.childForFieldName('name')?.text;
  return undefined;
}
