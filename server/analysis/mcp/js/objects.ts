// Tool objects declared on their own and registered elsewhere: `{ name, description, inputSchema, handler }` in a
// tools module, collected in an array or registry and registered in a loop, and project or library helpers that
// wrap such an object (`tool({...})`, `defineTool({...})`, `createTool({...})`). These are recognised by shape, so the
// evidence is strict: `inputSchema` is the protocol's own key; the generic `parameters`/`schema` keys count only with
// a handler and an MCP import or an MCP helper around them.
import { kids, stripCasts } from '../../ast';
import type { NodeIndex, TSNode } from '../../parse';
import { JsScope, keyText, prop, resolve } from '../evalJs';
import type { McpEntity } from '../types';
import {
  describedBy,
  HANDLER_KEYS,
  handlerValue,
  type ImportedName,
  inputParam,
  member,
  paramsFromSchema,
  schemaLike,
  str,
} from './common';

/** What the object styles need to know about the file. */
export interface ObjectScan {
  /** The file's node index. */
  index: NodeIndex;
  /** Its named declarations. */
  scope: JsScope;
  /** Its imports, by local name. */
  imports: Map<string, ImportedName>;
  /** True when the file imports an MCP SDK or framework. */
  usesMcpSdk: boolean;
  /** True for an object inside a registration another style made an entity of (it is skipped here). */
  taken: (obj: TSNode) => boolean;
  /** The file text. */
  text: string;
}

// Helpers that turn an object into a tool across libraries and projects. LangChain and the Vercel AI SDK have a
// `tool(...)` of their own: `wrapperCallee` rejects their imports.
const WRAPPERS = /^(?:tool|defineTool|createTool|makeTool|buildTool|mcpTool|defineMcpTool|createMcpTool)$/;
const NOT_MCP = /^(?:ai|langchain|@langchain\/.*|@ai-sdk\/.*|openai|@openai\/agents|llamaindex|genkit|@genkit-ai\/.*)$/;

/** The tool name of a wrapped or declared object: its `name`, or the key it is stored under (`{ list_projects: tool({...}) }`). */
function nameOf(obj: TSNode, scope: JsScope, allowKey: boolean, allowId: boolean) {
  const raw = prop(obj, 'name') ?? (allowId ? prop(obj, 'id') : undefined);
  const n = raw && !isParameter(raw) ? str(raw, scope) : undefined;
  if (n || !allowKey) return n;
  // obj ← arguments ← call ← pair: the call is the value of a keyed entry.
  const call = obj.parent?.type === 'arguments' ? obj.parent.parent : obj.parent;
  const pair = call?.parent;
  if (pair?.type !== 'pair') return undefined;
  const k = pair.childForFieldName('key');
  if (!k || keyText(k) === undefined) return undefined;
  const q = k.type === 'string' ? 1 : 0;
  return { value: keyText(k)!, start: k.startIndex + q, end: k.endIndex - q };
}

/** The objects spread into a literal (`{ ...DEFS.list_projects, execute }`), resolved through constants. */
export function spreadSources(obj: TSNode, scope: JsScope): TSNode[] {
  const out: TSNode[] = [];
  for (const c of kids(obj)) {
    if (c.type !== 'spread_element') continue;
    const v = kids(c)[0];
    if (!v) continue;
    let u = resolve(v, scope);
    if (u?.type === 'member_expression') {
      const base = resolve(u.childForFieldName('object'), scope);
      u = resolve(prop(base, u.childForFieldName('property')?.text ?? ''), scope);
    }
    if (u?.type === 'object') out.push(u);
  }
  return out;
}

/** The value of `key` in an object or in the objects spread into it (own keys win, as at run time). */
export function field(obj: TSNode, spreads: TSNode[], key: string): TSNode | undefined {
  return member(obj, key) ?? spreads.map((s) => member(s, key)).find((v) => v);
}

/** An entity for a tool object; `api` says which evidence admitted it. */
function toolEntity(
  obj: TSNode,
  scan: ObjectScan,
  api: 'object' | 'wrapper',
  name: ReturnType<typeof nameOf>,
): McpEntity | undefined {
  const { scope } = scan;
  const spreads = spreadSources(obj, scope);
  const schema = ['inputSchema', 'parameters', 'schema', 'argsSchema']
    .map((k) => field(obj, spreads, k))
    .find((v) => v);
  const e: McpEntity = {
    kind: 'tool',
    descriptions: [obj, ...spreads].flatMap((o) => describedBy(o, scope)),
    params: [],
    span: { start: obj.startIndex, end: obj.endIndex },
    handlerParams: [],
    api,
  };
  if (name) e.name = name;
  if (schema) {
    e.schemaSpan = { start: schema.startIndex, end: schema.endIndex };
    e.params = paramsFromSchema(schema, scope);
  }
  for (const k of HANDLER_KEYS) {
    const h = handlerValue(field(obj, spreads, k), scope, scan.imports);
    if (!h) continue;
    if (h.fn) attach(e, h.fn);
    else e.handlerRef = h.ref;
    break;
  }
  return e;
}

/** Makes a function the entity's handler, its input parameter untrusted. */
export function attach(e: McpEntity, fn: TSNode): void {
  e.handler = fn;
  const p = inputParam(fn);
  e.handlerParams = p ? [p] : [];
}

/** True for `inputSchema`-keyed tool objects that are not something else with the same key. */
function declaredTool(obj: TSNode, scope: JsScope): boolean {
  const schema = prop(obj, 'inputSchema');
  if (!schema || !schemaLike(schema, scope)) return false;
  // A name and a description (or a handler) next to the schema: a tool. A lone `{ name, inputSchema }` is too weak.
  return !!prop(obj, 'name') && (!!prop(obj, 'description') || HANDLER_KEYS.some((k) => member(obj, k)));
}

/** True when a callee is a tool helper: its name, and not imported from a non-MCP agent library. */
function wrapperCallee(fn: TSNode | null, scan: ObjectScan, local_?: Set<string>): boolean {
  if (!fn) return false;
  const local = fn.type === 'member_expression' ? fn.childForFieldName('property')?.text : fn.text;
  if (!local) return false;
  if (fn.type === 'identifier' && local_?.has(local)) return true;
  const imp = fn.type === 'identifier' ? scan.imports.get(local) : undefined;
  const name = imp && imp.imported !== 'default' && imp.imported !== '*' ? imp.imported : local;
  if (!WRAPPERS.test(name)) return false;
  if (imp && NOT_MCP.test(imp.source)) return false;
  // A helper imported from an MCP package counts by itself; any other needs the file to use MCP.
  return scan.usesMcpSdk || /mcp/i.test(imp?.source ?? '');
}

/**
 * Tool objects and wrapped tool objects of a file. `inputSchema` objects are found in any file (tools modules
 * rarely import the SDK themselves); `parameters`/`schema` objects only as the argument of a tool helper.
 */
export function objectTools(scan: ObjectScan): McpEntity[] {
  const { index, scope, taken } = scan;
  const out: McpEntity[] = [];
  const seen = new Set<number>();
  const calls = index.of('call_expression').filter((c): c is TSNode => !!c);
  // Each callee is judged once, for both passes below: the second differs only by the local helpers the first finds.
  const callees = calls.map((call) => {
    const fn = call.childForFieldName('function');
    return { fn, wrapper: wrapperCallee(fn, scan) };
  });
  // A project helper that forwards to a tool helper (`function defineDbTool({ description, execute }) { return
  // tool({ description, execute }) }`) is a tool helper too.
  const local = new Set<string>();
  calls.forEach((call, i) => {
    if (!callees[i]!.wrapper) return;
    const name = enclosingFunctionName(call);
    if (name) local.add(name);
  });
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i]!;
    const { fn, wrapper } = callees[i]!;
    if (!wrapper && !(local.size && fn?.type === 'identifier' && local.has(fn.text))) continue;
    const arg = kids(call.childForFieldName('arguments')).find((a) => stripCasts(a).type === 'object');
    const obj = arg && stripCasts(arg);
    if (!obj || seen.has(obj.startIndex) || taken(obj)) continue;
    const spreads = spreadSources(obj, scope);
    const hasHandler = HANDLER_KEYS.some((k) => field(obj, spreads, k));
    const hasMeta = ['description', 'inputSchema', 'parameters', 'schema'].some((k) => field(obj, spreads, k));
    if (!hasHandler || !hasMeta) continue;
    seen.add(obj.startIndex);
    const e = toolEntity(obj, scan, 'wrapper', nameOf(obj, scope, true, true));
    // A wrapped object without a name is not counted: inside a forwarding helper it has none of its own, and a
    // bundled agent library's `tool({ description, inputSchema, execute })` (an AI SDK tool, not an MCP one) has none.
    if (e?.name) out.push(e);
  }
  for (const obj of scan.text.includes('inputSchema') ? index.of('object') : []) {
    if (!obj || seen.has(obj.startIndex) || !declaredTool(obj, scope) || taken(obj)) continue;
    const name = nameOf(obj, scope, false, false);
    if (!name) continue;
    seen.add(obj.startIndex);
    const e = toolEntity(obj, scan, 'object', name);
    if (e) out.push(e);
  }
  linkHandlers(scan, out);
  return out;
}

/**
 * Handlers kept beside the tool object rather than in it: `{ schema: navigateSchema, handle: handleNavigate }`
 * (an object that references the tool object and holds a handler), and `class T extends BaseTool { constructor() {
 * super(Schema, ToolDefinition) } async process(args) {…} }` (a class whose constructor passes the tool object).
 */
function linkHandlers(scan: ObjectScan, entities: McpEntity[]): void {
  const byDecl = new Map<string, McpEntity>();
  const open = entities.filter((e) => !e.handler && !e.handlerRef);
  if (open.length === 0) return;
  const declared = declarators(scan.index);
  for (const e of open) {
    const decl = declared.get(e.span.start);
    if (decl) byDecl.set(decl, e);
  }
  if (byDecl.size === 0) return;
  for (const obj of scan.index.of('object')) {
    if (!obj) continue;
    const refs = kids(obj).filter((c) => c.type === 'pair' && c.childForFieldName('value')?.type === 'identifier');
    const target = refs.map((c) => byDecl.get(c.childForFieldName('value')!.text)).find((e) => e);
    if (!target || target.handler) continue;
    for (const k of HANDLER_KEYS) {
      const h = handlerValue(member(obj, k), scan.scope, scan.imports);
      if (h?.fn) attach(target, h.fn);
      else if (h?.ref) target.handlerRef = h.ref;
      if (h) break;
    }
  }
  for (const call of scan.index.of('call_expression')) {
    if (call?.childForFieldName('function')?.type !== 'super') continue;
    const ids = kids(call.childForFieldName('arguments')).filter((a) => a.type === 'identifier');
    const target = ids.map((a) => byDecl.get(a.text)).find((e) => e);
    let cls: TSNode | null = call.parent;
    while (cls && cls.type !== 'class_declaration' && cls.type !== 'class') cls = cls.parent;
    const body = cls?.childForFieldName('body');
    if (!target || target.handler || !body) continue;
    for (const k of ['process', ...HANDLER_KEYS]) {
      const m = kids(body).find((c) => c.type === 'method_definition' && c.childForFieldName('name')?.text === k);
      if (m) {
        attach(target, m);
        break;
      }
    }
  }
}

/** Variables initialised with an object literal, by the literal's start offset (`const ToolDefinition = { … }`). */
function declarators(index: NodeIndex): Map<number, string> {
  const out = new Map<number, string>();
  for (const d of index.of('variable_declarator')) {
    const v = d?.childForFieldName('value');
    const n = d?.childForFieldName('name');
    if (v && n?.type === 'identifier' && stripCasts(v).type === 'object') out.set(stripCasts(v).startIndex, n.text);
  }
  return out;
}

/**
 * True for an identifier bound by a parameter of an enclosing function (`map(([e, r]) => ({ name: e, … }))`): the
 * file-wide constant table would read it as an unrelated constant of the same name (minified bundles reuse names).
 */
export function isParameter(n: TSNode): boolean {
  if (n.type !== 'identifier' && n.type !== 'shorthand_property_identifier') return false;
  for (let p: TSNode | null = n.parent; p; p = p.parent) {
    const params = p.childForFieldName('parameters') ?? p.childForFieldName('parameter');
    if (!params || !/function|arrow|method/.test(p.type)) continue;
    if (
      params.text === n.text ||
      params.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern']).some((d) => d?.text === n.text)
    )
      return true;
  }
  return false;
}

/** The name of the function declaration (or `const f = function/arrow`) a node is in, if any. */
function enclosingFunctionName(n: TSNode): string | undefined {
  for (let p: TSNode | null = n.parent; p; p = p.parent) {
    if (p.type === 'function_declaration') return p.childForFieldName('name')?.text;
    if ((p.type === 'arrow_function' || p.type === 'function_expression') && p.parent?.type === 'variable_declarator')
      return p.parent.childForFieldName('name')?.text;
    if (p.type === 'arrow_function' || p.type === 'function_expression' || p.type === 'method_definition')
      return undefined;
  }
  return undefined;
}
