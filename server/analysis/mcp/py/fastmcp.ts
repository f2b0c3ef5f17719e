import { kids } from '../../ast';
import type { TSNode } from '../../parse';
import type { McpDispatcher, McpEntity, MetaString } from '../types';
import { annotationTitle, docstring, keywords, positional, type PyScope, resolve, str } from './eval';
import { isServer } from './servers';
import { type PyModels, signature, templateParams } from './signature';

/**
 * FastMCP registrations (the SDK's `mcp.server.fastmcp` and the `fastmcp` 2.x package) and the decorators of the
 * low-level `Server`, in every form the documentation shows:
 * - decorators: `@mcp.tool`, `@mcp.tool()`, `@mcp.tool("name")`, `@mcp.tool(name=…, description=…)`, the same for
 *   `prompt` and `resource("uri/{param}")`, on any server object (`app`, `server`, `self.mcp`), and the
 *   `MCPMixin` method decorators `@mcp_tool(...)` of `fastmcp.contrib`;
 * - calls: `mcp.add_tool(fn, name=…)`, `mcp.tool(fn)`, `mcp.tool(name=…)(fn)`, `Tool.from_function(fn, …)` (and
 *   `Prompt` / `Resource` / `ResourceTemplate.from_function`);
 * - low-level: `@server.call_tool()` / `get_prompt()` / `read_resource()` handlers and their call forms
 *   `server.call_tool()(self.handle)`, which become dispatchers.
 * A handler defined in another module (an imported name) has no node here: it is kept as `handlerRef`.
 */

/** What the FastMCP pass needs from the extractor. */
export interface PyContext {
  /** The names of the file. */
  scope: PyScope;
  /** Its pydantic models. */
  models: PyModels;
  /** True when the file imports an MCP SDK. */
  usesMcpSdk: boolean;
}

const ENTITY_METHOD = /^(?:tool|prompt|resource)$/;
const DISPATCH_METHOD: Record<string, McpDispatcher['kind']> = {
  call_tool: 'tool',
  get_prompt: 'prompt',
  read_resource: 'resource',
};
// `Tool.from_function(fn)` and its siblings: the class names of both SDKs.
const FROM_FUNCTION = /(?:^|\.)(?:Function)?(Tool|Prompt|Resource|ResourceTemplate)\.from_function$/;
// The callees of the call forms (`mcp.add_tool`, `mcp.tool`, `Tool.from_function`), or of the inner call of
// `mcp.tool()(fn)` / `server.call_tool()(handler)`.
const CALL_FORM = /\.(?:add_tool|tool|prompt|resource|call_tool|get_prompt|read_resource|from_function)$/;
// The `fastmcp.contrib.mcp_mixin` method decorators.
const MIXIN = /^mcp_(tool|prompt|resource)$/;

/** One registration: what it is, its options call, the handler (node or reference) and where it is written. */
interface Registration {
  kind: McpEntity['kind'];
  /** The call holding the options (`name=`, `description=`, the URI), if any. */
  options?: TSNode;
  /** Positional arguments that are options (the handler reference removed). */
  optionArgs: TSNode[];
  /** The handler's definition, when it is in this file. */
  fn?: TSNode;
  /** The handler reference, when its definition is not in this file. */
  ref?: TSNode;
  span: { start: number; end: number };
}

/** The entities and dispatchers of the FastMCP and low-level decorator and call forms. */
export function fastmcpRegistrations(
  decorated: readonly TSNode[],
  calls: readonly TSNode[],
  px: PyContext,
): { entities: McpEntity[]; dispatchers: McpDispatcher[] } {
  const entities: McpEntity[] = [];
  const dispatchers: McpDispatcher[] = [];
  const dispatch = (kind: McpDispatcher['kind'], fn: TSNode, span: Registration['span']): void => {
    const sig = signature(fn, px.scope);
    dispatchers.push({ kind, lang: 'python', handler: fn, handlerParams: sig.nodes, span });
  };

  for (const dd of decorated) {
    const fn = dd.childForFieldName('definition');
    if (fn?.type !== 'function_definition') continue;
    for (const dec of kids(dd).filter((k) => k.type === 'decorator')) {
      const expr = kids(dec)[0];
      const call = expr?.type === 'call' ? expr : undefined;
      const target = call ? call.childForFieldName('function') : expr;
      const span = { start: dd.startIndex, end: dd.endIndex };
      if (target?.type === 'identifier') {
        // `@mcp_tool(name=…)` of an MCPMixin class: the method is registered by `register_all(mcp)`.
        const m = MIXIN.exec(target.text);
        if (m && /fastmcp/.test(px.scope.importOf(target.text) ?? '')) {
          const kind = m[1] as McpEntity['kind'];
          entities.push(entity({ kind, options: call, optionArgs: call ? positional(call) : [], fn, span }, px));
        }
        continue;
      }
      if (target?.type !== 'attribute') continue;
      const method = target.childForFieldName('attribute')?.text ?? '';
      const receiver = target.childForFieldName('object');
      if (!receiver || !(ENTITY_METHOD.test(method) || method in DISPATCH_METHOD || method === 'list_tools')) continue;
      if (!isServer(receiver, px.scope, px.usesMcpSdk)) continue;
      if (method in DISPATCH_METHOD) dispatch(DISPATCH_METHOD[method]!, fn, span);
      // The Tool(...) objects a list_tools handler returns are found wherever they are built.
      if (!ENTITY_METHOD.test(method)) continue;
      const kind = method as McpEntity['kind'];
      entities.push(entity({ kind, options: call, optionArgs: call ? positional(call) : [], fn, span }, px));
    }
  }

  for (const call of calls) {
    // Most calls of a file are something else: a test of the callee's text settles them before any node is read.
    const callee = call.childForFieldName('function');
    if (
      !callee ||
      !CALL_FORM.test(callee.type === 'call' ? (callee.childForFieldName('function')?.text ?? '') : callee.text)
    )
      continue;
    const reg = callRegistration(call, px);
    if (!reg) continue;
    if ('dispatch' in reg) {
      if (reg.fn) dispatch(reg.dispatch, reg.fn, reg.span);
    } else entities.push(entity(reg, px));
  }
  return { entities, dispatchers };
}

/** A registration written as a call (`add_tool(fn)`, `tool(fn)`, `tool(…)(fn)`, `from_function(fn)`), if any. */
function callRegistration(
  call: TSNode,
  px: PyContext,
): Registration | { dispatch: McpDispatcher['kind']; fn?: TSNode; span: Registration['span'] } | undefined {
  const callee = call.childForFieldName('function');
  const span = { start: call.startIndex, end: call.endIndex };
  const args = positional(call);
  if (!callee) return undefined;
  // A decorator applied by hand: `mcp.tool()(fn)`, `server.call_tool()(self.handle)`.
  if (callee.type === 'call') {
    const inner = callee.childForFieldName('function');
    const method = inner?.type === 'attribute' ? (inner.childForFieldName('attribute')?.text ?? '') : '';
    const receiver = inner?.childForFieldName('object');
    if (!receiver || !args[0] || !isServer(receiver, px.scope, px.usesMcpSdk)) return undefined;
    const handler = handlerOf(args[0], px.scope);
    if (!handler) return undefined;
    if (method in DISPATCH_METHOD) return { dispatch: DISPATCH_METHOD[method]!, fn: handler.fn, span };
    if (!ENTITY_METHOD.test(method)) return undefined;
    return { kind: method as McpEntity['kind'], options: callee, optionArgs: positional(callee), ...handler, span };
  }
  const from = px.scope.isMcpClass(callee.text, px.usesMcpSdk) ? FROM_FUNCTION.exec(callee.text) : null;
  const fromHandler = from && args[0] ? handlerOf(args[0], px.scope) : undefined;
  if (from && fromHandler) {
    const kind = from[1] === 'Tool' ? 'tool' : from[1] === 'Prompt' ? 'prompt' : 'resource';
    return { kind, options: call, optionArgs: args.slice(1), ...fromHandler, span };
  }
  if (callee.type !== 'attribute') return undefined;
  const method = callee.childForFieldName('attribute')?.text ?? '';
  const receiver = callee.childForFieldName('object');
  if (!receiver || !args[0] || !/^(?:add_tool|tool|prompt|resource)$/.test(method)) return undefined;
  // `mcp.tool("name")` is the options of a decorator, `mcp.add_tool(Tool.from_function(fn))` is found as the
  // `from_function` call: only a function reference is a registration here.
  const value = resolve(args[0], px.scope);
  if (args[0].type === 'string' || value?.type === 'call' || value?.type === 'string') return undefined;
  const handler = handlerOf(args[0], px.scope);
  if (!handler || /^(?:self|cls)$/.test(receiver.text) || !isServer(receiver, px.scope, px.usesMcpSdk))
    return undefined;
  const kind = method === 'add_tool' ? 'tool' : (method as McpEntity['kind']);
  return { kind, options: call, optionArgs: args.slice(1), ...handler, span };
}

/**
 * The definition a handler reference names in this file, else the reference itself when it names an imported
 * function (`from .tools import read_file`, `files.read_file` with `from . import files`). Anything else (a local
 * variable, a parameter) is not known to be a function, so the call is not taken for a registration.
 */
export function handlerOf(ref: TSNode, scope: PyScope): { fn?: TSNode; ref?: TSNode } | undefined {
  const fn = scope.functionOf(ref);
  if (fn) return { fn };
  let root: TSNode | null = ref;
  while (root?.type === 'attribute') root = root.childForFieldName('object');
  if (root?.type === 'identifier' && scope.importOf(root.text) !== undefined) return { ref };
  return undefined;
}

/** The entity of one registration: name, descriptions, parameters and handler. */
function entity(r: Registration, px: PyContext): McpEntity {
  const { scope } = px;
  const kw = r.options ? keywords(r.options) : new Map<string, TSNode>();
  const pos = r.optionArgs;
  // @mcp.resource("uri") takes the URI first; FastMCP 2 also accepts @mcp.tool("name") and @mcp.prompt("name").
  const uri = r.kind === 'resource' ? str(kw.get('uri') ?? kw.get('uri_template') ?? pos[0], scope) : undefined;
  const fallback = r.fn?.childForFieldName('name') ?? refName(r.ref);
  const name =
    str(kw.get('name') ?? (r.kind === 'resource' ? undefined : pos[0]), scope) ??
    (fallback ? { start: fallback.startIndex, end: fallback.endIndex, value: fallback.text } : undefined);
  const descriptions: MetaString[] = [];
  for (const k of ['description', 'title']) {
    const s = str(kw.get(k), scope);
    if (s) descriptions.push(s);
  }
  const annotated = annotationTitle(kw.get('annotations'), scope);
  if (annotated) descriptions.push(annotated);
  if (!kw.has('description') && r.fn) {
    const doc = docstring(r.fn, scope);
    if (doc) descriptions.push(doc);
  }
  // A resource's handler takes client input only through the parameters its URI template names.
  const only = r.kind === 'resource' ? templateParams(uri?.value ?? '') : undefined;
  const excluded = new Set(stringList(kw.get('exclude_args'), scope));
  const sig = r.fn ? signature(r.fn, scope, px.models, only) : { params: [], nodes: [] };
  const e: McpEntity = {
    kind: r.kind,
    descriptions,
    // `exclude_args` are filled by the server, never by the client (FastMCP 2).
    params: sig.params.filter((p) => !excluded.has(p.name.split('.')[0]!)),
    span: r.span,
    handlerParams: sig.nodes.filter((n) => !excluded.has(n.text)),
    api: 'sdk',
  };
  if (name) e.name = name;
  if (r.fn) {
    e.handler = r.fn;
    const ps = r.fn.childForFieldName('parameters');
    if (ps) e.schemaSpan = { start: ps.startIndex, end: ps.endIndex };
  } else if (r.ref) e.handlerRef = r.ref;
  return e;
}

/** The last name of a reference (`read_file`, `files.read_file` → `read_file`). */
function refName(ref: TSNode | undefined): TSNode | undefined {
  if (ref?.type === 'attribute') return ref.childForFieldName('attribute') ?? undefined;
  return ref?.type === 'identifier' ? ref : undefined;
}

/** The strings of a list or tuple literal (`exclude_args=["user_id"]`). */
function stringList(n: TSNode | undefined, scope: PyScope): string[] {
  const list = resolve(n, scope);
  if (!list || (list.type !== 'list' && list.type !== 'tuple')) return [];
  return kids(list).flatMap((el) => str(el, scope)?.value ?? []);
}
