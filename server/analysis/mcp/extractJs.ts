// MCP metadata from the JS/TS SDKs: one walker for every registration style, kept together so a style is added
// in one place (see server/analysis/README.md); it is about 400 lines because the styles share its scope tracking.
import { indexNodes, type NodeIndex, type TSNode } from '../parse';
import { kids } from '../ast';
import { JsScope, prop, resolve } from './evalJs';
import { describedBy, importedNames, importsMcp, paramsFromSchema, paramsOf, str, unwrappedHandler } from './js/common';
import { FASTMCP_METHODS, fastmcpEntities } from './js/fastmcp';
import { frameworkEntities } from './js/framework';
import { objectTools } from './js/objects';
import { SDK_METHODS, sdkEntity } from './js/sdk';
import type { McpDispatcher, McpEntity, McpMetadata, McpParam } from './types';

/**
 * MCP metadata from TypeScript/JavaScript servers written against the official SDK: the high-level `McpServer`
 * API (tool/registerTool/prompt/registerPrompt/resource/registerResource), the low-level `Server` with
 * `setRequestHandler`, and tool objects (`{ name, description, inputSchema }`) returned from tools/list.
 */

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
      for (const x of v.descendantsOfType('object').filter((o): o is TSNode => !!o)) out.push(x);
  }
  return out;
}

/** True for a path of test code, whose tool-shaped objects are fixtures rather than a server's tools. */
function isTestPath(path: string | undefined): boolean {
  return (
    !!path && /(?:^|[\\/])(?:__tests__|__mocks__|tests?|spec|fixtures?)[\\/]|\.(?:test|spec)\.[cm]?[jt]sx?$/i.test(path)
  );
}

/**
 * Extracts MCP metadata from a JS/TS parse tree (`index` is its node index, shared with other analyses; `path`, when
 * given, keeps the shape-based styles out of test code).
 */
export function extractJs(root: TSNode, index: NodeIndex = indexNodes(root), path?: string): McpMetadata {
  const meta: McpMetadata = {
    entities: [],
    instructions: [],
    serverNames: [],
    usesMcpSdk: importsMcp(index),
    dispatchers: [],
  };
  const scope = new JsScope(index);
  const imports = importedNames(index);
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
    const fast = FASTMCP_METHODS.has(method);
    if (!SDK_METHODS.has(method) && !fast && method !== 'setRequestHandler') continue;
    const args = kids(call.childForFieldName('arguments'));
    if (SDK_METHODS.has(method) || fast) {
      // `router.resource(...)` or a LangChain `tool(...)` is not MCP: require the SDK or a server-like receiver.
      const receiver = fn.childForFieldName('object')?.text ?? '';
      if (!meta.usesMcpSdk && !/server|mcp/i.test(receiver)) continue;
      if (fast) {
        for (const e of fastmcpEntities(call, method, scope, imports)) {
          listed.add(e.span.start);
          meta.entities.push(e);
        }
        continue;
      }
      if (args.length < 2) continue;
      const e = sdkEntity(call, method, args, scope, imports);
      if (e) meta.entities.push(e);
    } else if (method === 'setRequestHandler' && args.length >= 2) {
      const schema = args[0]!.text;
      const handler = unwrappedHandler(args[1], scope);
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
      } else if (/ListTools/.test(schema)) {
        // Tools listed from run-time data (`tools.push({ name: op.name, inputSchema: op.schema })`, as servers
        // generated from an OpenAPI spec do): the server has tools the file cannot name.
        for (const o of handler.descendantsOfType('object')) {
          if (
            o &&
            prop(o, 'inputSchema') &&
            prop(o, 'name') &&
            !str(prop(o, 'name'), scope) &&
            !listed.has(o.startIndex)
          ) {
            listed.add(o.startIndex);
            meta.entities.push(generatedEntity(o, scope));
          }
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
  // Tool objects in their own modules, tool helpers, and mcp-framework classes (not in test code, whose tool-shaped
  // objects are fixtures).
  if (!isTestPath(path)) {
    const owned = meta.entities.filter((e) => e.api !== 'list').map((e) => e.span);
    // The node's offsets read once, not per registration: each read is a call into tree-sitter, and a large server
    // has hundreds of registrations.
    const taken = (o: TSNode) => {
      const start = o.startIndex;
      const end = o.endIndex;
      return owned.some((s) => start >= s.start && end <= s.end);
    };
    const objects = objectTools({ index, scope, imports, usesMcpSdk: meta.usesMcpSdk, taken, text: root.text });
    for (const e of objects) meta.entities.push(e);
    for (const e of frameworkEntities(index, scope)) meta.entities.push(e);
    linkListed(meta, objects);
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

/** A nameless tool listed from run-time data. */
function generatedEntity(o: TSNode, scope: JsScope): McpEntity {
  return {
    kind: 'tool',
    descriptions: describedBy(o, scope),
    params: [],
    span: { start: o.startIndex, end: o.endIndex },
    handlerParams: [],
    api: 'generated',
  };
}

/**
 * A tool object found by shape that the tools/list sweep of the same file also made an entity of: the list entity
 * stays (its form is unchanged) and takes the handler the object holds (one entity per object).
 */
function linkListed(meta: McpMetadata, objects: McpEntity[]): void {
  const listed = new Map(meta.entities.filter((e) => e.api === 'list').map((e) => [e.span.start, e]));
  const dup = new Set<McpEntity>();
  for (const o of objects) {
    const l = listed.get(o.span.start);
    if (!l) continue;
    dup.add(o);
    if (o.handler) {
      l.handler = o.handler;
      l.handlerParams = o.handlerParams;
    }
    if (o.handlerRef) l.handlerRef = o.handlerRef;
  }
  if (dup.size) meta.entities = meta.entities.filter((e) => !dup.has(e));
}
