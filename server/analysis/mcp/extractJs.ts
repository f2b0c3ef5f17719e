// MCP metadata from the JS/TS SDKs: one walker for every registration style, kept together so a style is added
// in one place (see server/analysis/README.md); it is about 400 lines because the styles share its scope tracking.
import { indexNodes, type NodeIndex, type TSNode } from '../parse';
import { kids, stripCasts } from '../ast';
import { evalJs, isFunction, JsScope, pairs, prop, resolve } from './evalJs';
import { metaFromPieces } from './strings';
import type { McpDispatcher, McpEntity, McpMetadata, McpParam, MetaString } from './types';

/**
 * MCP metadata from TypeScript/JavaScript servers written against the official SDK: the high-level `McpServer`
 * API (tool/registerTool/prompt/registerPrompt/resource/registerResource), the low-level `Server` with
 * `setRequestHandler`, and tool objects (`{ name, description, inputSchema }`) returned from tools/list.
 */

/** Folds a node to a MetaString when it is a determinable string. */
function str(n: TSNode | null | undefined, scope: JsScope): MetaString | undefined {
  if (!n) return undefined;
  const pieces = evalJs(n, scope);
  return pieces ? metaFromPieces(pieces, contentSpan(stripCasts(n))) : undefined;
}

/** The span of a literal's content (inside its quotes or backticks), or of the whole expression otherwise. */
function contentSpan(n: TSNode): { start: number; end: number } {
  if (n.type === 'string' || n.type === 'template_string') return { start: n.startIndex + 1, end: n.endIndex - 1 };
  return { start: n.startIndex, end: n.endIndex };
}

/** True when the file imports or requires an MCP SDK. */
function importsMcp(index: NodeIndex): boolean {
  const isMcp = (s: string) => /^(?:@modelcontextprotocol\/|mcp-framework$|fastmcp$|@mastra\/mcp$|mcp-use$)/.test(s);
  for (const imp of index.of(['import_statement', 'export_statement'])) {
    const src = imp?.childForFieldName('source');
    if (src && isMcp(src.text.slice(1, -1))) return true;
  }
  for (const call of index.of('call_expression')) {
    const fn = call?.childForFieldName('function');
    if (fn && (fn.text === 'require' || fn.type === 'import')) {
      const a = kids(call!.childForFieldName('arguments'))[0];
      if (a?.type === 'string' && isMcp(a.text.slice(1, -1))) return true;
    }
  }
  return false;
}

/** The function a handler argument denotes (a literal, or a named function declared in this file). */
function handlerOf(n: TSNode | undefined, scope: JsScope): TSNode | undefined {
  if (!n) return undefined;
  const u = stripCasts(n);
  if (isFunction(u)) return u;
  if (u.type === 'identifier') return scope.fn(u.text);
  return undefined;
}

/** Formal parameters of a function (the single unparenthesised arrow parameter included). */
function paramsOf(fn: TSNode): TSNode[] {
  const single = fn.childForFieldName('parameter');
  if (single) return [single];
  return kids(fn.childForFieldName('parameters')).map((p) => p.childForFieldName('pattern') ?? p);
}

/** The description of a zod schema expression: `.describe("…")` anywhere in its chain, or `{ description }`. */
function zodDescription(n: TSNode, scope: JsScope): MetaString | undefined {
  let cur: TSNode | undefined = resolve(n, scope);
  for (let i = 0; cur && i < 30; i++) {
    if (cur.type === 'call_expression') {
      const fn = cur.childForFieldName('function');
      const args = kids(cur.childForFieldName('arguments'));
      if (fn?.type === 'member_expression' && fn.childForFieldName('property')?.text === 'describe')
        return str(args[0], scope);
      const opts = args.map((a) => resolve(a, scope)).find((a) => a?.type === 'object');
      const d = prop(opts, 'description');
      if (d) return str(d, scope);
      cur = fn ?? undefined;
    } else if (cur.type === 'member_expression') cur = cur.childForFieldName('object') ?? undefined;
    else break;
  }
  return undefined;
}

/** The object literal that lists parameters, from a raw zod shape, `z.object({…})`, a JSON Schema or a reference. */
function schemaShape(n: TSNode | undefined, scope: JsScope, depth = 0): { shape: TSNode; json: boolean } | undefined {
  const u = resolve(n, scope);
  if (!u || depth > 6) return undefined;
  if (u.type === 'object') {
    const props = resolve(prop(u, 'properties'), scope);
    if (props?.type === 'object') return { shape: props, json: true };
    if (prop(u, 'type') || prop(u, '$schema')) return undefined;
    return { shape: u, json: false };
  }
  if (u.type === 'call_expression') {
    const fn = u.childForFieldName('function');
    const args = kids(u.childForFieldName('arguments'));
    const name = fn?.type === 'member_expression' ? fn.childForFieldName('property')?.text : fn?.text;
    if (
      name === 'object' ||
      name === 'strictObject' ||
      name === 'looseObject' ||
      name === 'zodToJsonSchema' ||
      name === 'toJSONSchema'
    ) {
      return schemaShape(args[0], scope, depth + 1);
    }
    // z.object({...}).strict() / .describe() / .extend(): the shape is further down the chain.
    if (fn?.type === 'member_expression')
      return schemaShape(fn.childForFieldName('object') ?? undefined, scope, depth + 1);
  }
  return undefined;
}

/** Parameters declared by a schema expression. */
function paramsFromSchema(n: TSNode | undefined, scope: JsScope): McpParam[] {
  const s = schemaShape(n, scope);
  if (!s) return [];
  return pairs(s.shape).map(({ key, keySpan, value }) => {
    const p: McpParam = { name: key, nameSpan: keySpan };
    const d = s.json ? str(prop(resolve(value, scope), 'description'), scope) : zodDescription(value, scope);
    if (d) p.description = d;
    return p;
  });
}

/** True for an object that only holds tool annotations (hints and a title). */
function isAnnotations(obj: TSNode): boolean {
  const keys = pairs(obj).map((p) => p.key);
  return (
    keys.length > 0 &&
    keys.every((k) => /^(?:title|readOnlyHint|destructiveHint|idempotentHint|openWorldHint)$/.test(k))
  );
}

/** Titles and descriptions of a config or annotations object. */
function describedBy(obj: TSNode | undefined, scope: JsScope): MetaString[] {
  const out: MetaString[] = [];
  if (!obj) return out;
  for (const k of ['description', 'title']) {
    const s = str(prop(obj, k), scope);
    if (s) out.push(s);
  }
  const ann = resolve(prop(obj, 'annotations'), scope);
  const t = str(prop(ann, 'title'), scope);
  if (t) out.push(t);
  return out;
}

const SDK_METHODS = new Set(['tool', 'registerTool', 'prompt', 'registerPrompt', 'resource', 'registerResource']);

/** One `server.tool(...)`-style registration. */
function sdkEntity(call: TSNode, method: string, args: TSNode[], scope: JsScope): McpEntity | undefined {
  const name = str(args[0], scope);
  if (!name) return undefined;
  const kind = method.toLowerCase().includes('tool')
    ? 'tool'
    : method.toLowerCase().includes('prompt')
      ? 'prompt'
      : 'resource';
  const lastFn = handlerOf(args[args.length - 1], scope);
  const rest = args.slice(1, lastFn ? -1 : undefined);
  const e: McpEntity = {
    kind,
    name,
    descriptions: [],
    params: [],
    span: { start: call.startIndex, end: call.endIndex },
    handlerParams: [],
    api: 'sdk',
  };
  if (lastFn) e.handler = lastFn;
  const fnParams = lastFn ? paramsOf(lastFn) : [];
  let hasSchema = false;
  if (method.startsWith('register')) {
    if (kind === 'resource') {
      // registerResource(name, uriOrTemplate, metadata, handler)
      for (const d of describedBy(resolve(rest[1], scope), scope)) e.descriptions.push(d);
      if (isTemplate(rest[0], scope)) e.handlerParams = fnParams.slice(0, 2);
      return e;
    }
    const cfg = resolve(rest[0], scope);
    for (const d of describedBy(cfg, scope)) e.descriptions.push(d);
    const schema = prop(cfg, kind === 'tool' ? 'inputSchema' : 'argsSchema');
    if (schema) {
      hasSchema = true;
      e.schemaSpan = { start: schema.startIndex, end: schema.endIndex };
      e.params = paramsFromSchema(schema, scope);
    }
  } else if (kind === 'resource') {
    // resource(name, uriOrTemplate, [metadata], handler)
    for (const d of describedBy(resolve(rest[1], scope), scope)) e.descriptions.push(d);
    if (isTemplate(rest[0], scope)) e.handlerParams = fnParams.slice(0, 2);
    return e;
  } else {
    // tool(name, [description], [paramsSchema], [annotations], handler); prompt(name, [description], [argsSchema], handler)
    for (const a of rest) {
      const s = str(a, scope);
      if (s) {
        e.descriptions.push(s);
        continue;
      }
      const obj = resolve(a, scope);
      // An object holding only hints is the annotations argument, not a schema (unless its values are zod types,
      // as in a schema with a single parameter called "title").
      if (obj?.type === 'object' && isAnnotations(obj) && !looksLikeZodShape(obj, scope)) {
        const t = str(prop(obj, 'title'), scope);
        if (t) e.descriptions.push(t);
        continue;
      }
      if (!hasSchema && (obj?.type === 'object' || obj?.type === 'call_expression')) {
        hasSchema = true;
        e.schemaSpan = { start: a.startIndex, end: a.endIndex };
        e.params = paramsFromSchema(a, scope);
      }
    }
  }
  if (hasSchema && fnParams[0]) e.handlerParams = [fnParams[0]];
  return e;
}

/** True when every value of an object literal is a zod call (`z.string()…`), i.e. a raw shape. */
function looksLikeZodShape(obj: TSNode, scope: JsScope): boolean {
  const ps = pairs(obj);
  return (
    ps.length > 0 && ps.every((p) => /^(?:z|zod)\.|^[A-Za-z_$][\w$]*Schema\b/.test(resolve(p.value, scope)?.text ?? ''))
  );
}

/** True for `new ResourceTemplate(...)` (directly or through a constant). */
function isTemplate(n: TSNode | undefined, scope: JsScope): boolean {
  const u = resolve(n, scope);
  return u?.type === 'new_expression' && /ResourceTemplate$/.test(u.childForFieldName('constructor')?.text ?? '');
}

/** A tool, prompt or resource object as listed by a low-level list handler. */
function listEntity(obj: TSNode, kind: McpEntity['kind'], scope: JsScope): McpEntity | undefined {
  const name = str(prop(obj, 'name'), scope);
  if (!name) return undefined;
  const e: McpEntity = {
    kind,
    name,
    descriptions: describedBy(obj, scope),
    params: [],
    span: { start: obj.startIndex, end: obj.endIndex },
    handlerParams: [],
    api: 'list',
  };
  const schema = prop(obj, kind === 'tool' ? 'inputSchema' : 'arguments');
  if (schema) e.schemaSpan = { start: schema.startIndex, end: schema.endIndex };
  if (kind === 'tool') e.params = paramsFromSchema(schema, scope);
  if (kind === 'prompt') {
    const args = resolve(prop(obj, 'arguments'), scope);
    if (args?.type === 'array') {
      for (const a of kids(args).map((x) => resolve(x, scope))) {
        const n = a && prop(a, 'name');
        const nm = n && str(n, scope);
        if (!a || !n || !nm) continue;
        const p: McpParam = { name: nm.value, nameSpan: { start: nm.start, end: nm.end } };
        const d = str(prop(a, 'description'), scope);
        if (d) p.description = d;
        e.params.push(p);
      }
    }
  }
  return e;
}

/** Object literals inside a node and inside the constants it references (one level), for list handlers. */
function objectsReachable(n: TSNode, scope: JsScope): TSNode[] {
  const out = n.descendantsOfType('object').filter((o): o is TSNode => !!o);
  for (const id of n.descendantsOfType('identifier')) {
    const v = id && scope.value(id.text);
    if (v && (v.startIndex >= n.endIndex || v.endIndex <= n.startIndex))
      for (const o of v.descendantsOfType('object')) if (o) out.push(o);
  }
  return out;
}

/** Extracts MCP metadata from a JS/TS parse tree (`index` is its node index, shared with other analyses). */
export function extractJs(root: TSNode, index: NodeIndex = indexNodes(root)): McpMetadata {
  const meta: McpMetadata = {
    entities: [],
    instructions: [],
    serverNames: [],
    usesMcpSdk: importsMcp(index),
    dispatchers: [],
  };
  const scope = new JsScope(index);
  const listed = new Set<number>();
  const addList = (obj: TSNode, kind: McpEntity['kind']) => {
    if (listed.has(obj.startIndex)) return;
    const e = listEntity(obj, kind, scope);
    if (e) {
      listed.add(obj.startIndex);
      meta.entities.push(e);
    }
  };

  for (const call of index.of('call_expression')) {
    if (!call) continue;
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'member_expression') continue;
    const method = fn.childForFieldName('property')?.text ?? '';
    // Arguments are read only for the calls that can register something (most calls in a file are not).
    if (!SDK_METHODS.has(method) && method !== 'setRequestHandler') continue;
    const args = kids(call.childForFieldName('arguments'));
    if (SDK_METHODS.has(method)) {
      // `router.resource(...)` or a LangChain `tool(...)` is not MCP: require the SDK or a server-like receiver.
      const receiver = fn.childForFieldName('object')?.text ?? '';
      if (!meta.usesMcpSdk && !/server|mcp/i.test(receiver)) continue;
      if (args.length < 2) continue;
      const e = sdkEntity(call, method, args, scope);
      if (e) meta.entities.push(e);
    } else if (method === 'setRequestHandler' && args.length >= 2) {
      const schema = args[0]!.text;
      const handler = handlerOf(args[1], scope);
      if (!handler) continue;
      const kind = /CallTool|ListTools/.test(schema)
        ? 'tool'
        : /Prompt/.test(schema)
          ? 'prompt'
          : /Resource/.test(schema)
            ? 'resource'
            : undefined;
      if (!kind) continue;
      if (/CallTool|GetPrompt|ReadResource/.test(schema)) {
        const d: McpDispatcher = {
          kind,
          lang: 'js',
          handler,
          handlerParams: paramsOf(handler).slice(0, 1),
          span: { start: call.startIndex, end: call.endIndex },
        };
        meta.dispatchers.push(d);
      } else if (/List(?:Prompts|Resources|ResourceTemplates)/.test(schema)) {
        for (const o of objectsReachable(handler, scope)) {
          // Prompt arguments ({ name, description } inside `arguments: [...]`) are parameters, not prompts.
          if (o.parent?.type === 'array' && o.parent.parent?.type === 'pair' && keyOf(o.parent.parent) === 'arguments')
            continue;
          if (kind === 'prompt' && prop(o, 'name') && (prop(o, 'arguments') || prop(o, 'description')))
            addList(o, 'prompt');
          if (kind === 'resource' && prop(o, 'name') && (prop(o, 'uri') || prop(o, 'uriTemplate')))
            addList(o, 'resource');
        }
      }
    }
  }

  // Tool objects of tools/list answers: `{ name, description, inputSchema }` wherever they are declared (inline in
  // the handler, in a const array, or one const per tool). `inputSchema` is required by the protocol, which keeps
  // unrelated `{ name, description }` objects out.
  if (meta.usesMcpSdk || meta.dispatchers.length > 0) {
    // An object with an `inputSchema` key has that word in its source: objects without one (nearly all of them in
    // a large server) are skipped on their offsets alone, without reading their keys through WebAssembly.
    const at = occurrences(root.text, 'inputSchema');
    for (const o of at.length ? index.of('object') : []) {
      if (o && spans(at, o) && prop(o, 'inputSchema') && prop(o, 'name') && !insideSdkCall(o, meta)) addList(o, 'tool');
    }
  }

  for (const ne of index.of('new_expression')) {
    const ctor = ne?.childForFieldName('constructor')?.text ?? '';
    if (!ne || !/(?:^|\.)(?:McpServer|Server|FastMCP)$/.test(ctor)) continue;
    const args = kids(ne.childForFieldName('arguments')).map((a) => resolve(a, scope));
    const info = args[0];
    if (info?.type !== 'object') continue;
    if (!meta.usesMcpSdk && !(prop(info, 'name') && prop(info, 'version'))) continue;
    const n = str(prop(info, 'name'), scope);
    if (n) meta.serverNames.push(n);
    for (const o of [info, args[1]]) {
      const ins = str(prop(o, 'instructions'), scope);
      if (ins) meta.instructions.push(ins);
    }
  }
  meta.entities.sort((a, b) => a.span.start - b.span.start);
  return meta;
}

/** Offsets of every occurrence of `word` in `text`, ascending. */
function occurrences(text: string, word: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) out.push(i);
  return out;
}

/** True when one of the ascending offsets lies inside the node's span. */
function spans(offsets: number[], n: TSNode): boolean {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! < n.startIndex) lo = mid + 1;
    else hi = mid;
  }
  return lo < offsets.length && offsets[lo]! < n.endIndex;
}

/** The key text of a pair node. */
function keyOf(pair: TSNode): string | undefined {
  const k = pair.childForFieldName('key');
  return k?.type === 'string' ? k.text.slice(1, -1) : k?.text;
}

/** True when an object is an argument of an SDK registration already extracted (its config, not a list item). */
function insideSdkCall(o: TSNode, meta: McpMetadata): boolean {
  return meta.entities.some((e) => e.api === 'sdk' && o.startIndex >= e.span.start && o.endIndex <= e.span.end);
}
