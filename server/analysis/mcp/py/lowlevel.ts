import { kids } from '../../ast';
import type { NodeIndex, TSNode } from '../../parse';
import type { McpDispatcher, McpEntity, McpParam, MetaString } from '../types';
import {
  annotationTitle,
  dictGet,
  docstring,
  keywords,
  positional,
  type PyScope,
  resolve,
  schemaTexts,
  str,
} from './eval';
import { handlerOf } from './fastmcp';
import { modelFields, type PyModels, signature } from './signature';

/**
 * The low-level `mcp.server.lowlevel.Server`: the `Tool(...)` / `Prompt(...)` objects a `list_tools` handler
 * returns (wherever they are built), and the tool each branch of a `call_tool` dispatcher runs. A dispatcher
 * selects the tool by its `name` argument with `if name == "x":` / `elif` chains, `match name: case "x":`, or a
 * dict of handlers (`HANDLERS[name](arguments)`), and usually hands `arguments` to a helper, often imported from
 * another module. Each branch is tied to the tool of that name: its helper becomes the tool's handler (or its
 * `handlerRef` when the helper is imported), so a sink inside it names the tool.
 */

/** The entities of `Tool(...)`, `Prompt(...)` and `Resource(...)` objects (requires an MCP import). */
export function listEntities(calls: readonly TSNode[], scope: PyScope, models: PyModels): McpEntity[] {
  const out: McpEntity[] = [];
  for (const call of calls) {
    const fnText = call.childForFieldName('function')?.text ?? '';
    const m = /(?:^|\.)(Tool|Prompt|Resource)$/.exec(fnText);
    if (!m || !scope.isMcpClass(fnText, true)) continue;
    const kw = keywords(call);
    const name = str(kw.get('name'), scope);
    if (!name) continue;
    const kind = m[1]!.toLowerCase() as McpEntity['kind'];
    const descriptions: MetaString[] = [];
    for (const k of ['description', 'title']) {
      const s = str(kw.get(k), scope);
      if (s) descriptions.push(s);
    }
    const annotated = annotationTitle(kw.get('annotations'), scope);
    if (annotated) descriptions.push(annotated);
    const e: McpEntity = {
      kind,
      name,
      descriptions,
      params: [],
      span: { start: call.startIndex, end: call.endIndex },
      handlerParams: [],
      api: 'list',
    };
    const schema = kw.get('inputSchema') ?? kw.get('input_schema') ?? kw.get('arguments');
    if (schema) e.schemaSpan = { start: schema.startIndex, end: schema.endIndex };
    if (kind === 'tool') e.params = jsonSchemaParams(resolve(schema, scope), scope);
    // `inputSchema=Fetch.model_json_schema()`: the model's docstring and field descriptions are the schema's.
    const model = schema && modelOfSchema(schema, models);
    if (kind === 'tool' && model) {
      e.params = modelFields(model, undefined, scope);
      const doc = docstring(model, scope);
      if (doc) e.descriptions.push(doc);
    }
    if (kind === 'prompt') e.params = promptArgs(resolve(kw.get('arguments'), scope), scope);
    out.push(e);
  }
  return out;
}

/** The pydantic model of `Model.model_json_schema()` (pydantic 2) or `Model.schema()` (pydantic 1), if in this file. */
function modelOfSchema(schema: TSNode, models: PyModels): TSNode | undefined {
  const f = schema.type === 'call' ? schema.childForFieldName('function') : undefined;
  const m = f ? /^(\w+)\.(?:model_json_schema|schema)$/.exec(f.text) : undefined;
  return m ? models.body(m[1]!) : undefined;
}

/** Parameters of a JSON Schema written as a Python dict (`{"type": "object", "properties": {...}}`). */
function jsonSchemaParams(schema: TSNode | undefined, scope: PyScope): McpParam[] {
  const props = resolve(dictGet(schema, 'properties'), scope);
  if (props?.type !== 'dictionary') return [];
  const out: McpParam[] = [];
  for (const p of kids(props)) {
    const k = p.type === 'pair' ? p.childForFieldName('key') : undefined;
    const name = k?.type === 'string' ? str(k, scope) : undefined;
    if (!name) continue;
    const param: McpParam = { name: name.value, nameSpan: { start: name.start, end: name.end } };
    const d = str(dictGet(resolve(p.childForFieldName('value'), scope), 'description'), scope);
    if (d) param.description = d;
    const texts = schemaTexts(p.childForFieldName('value') ?? undefined, scope);
    if (texts.length) param.texts = texts;
    out.push(param);
  }
  return out;
}

/** Arguments of a `Prompt(arguments=[PromptArgument(name=…, description=…)])`. */
function promptArgs(list: TSNode | undefined, scope: PyScope): McpParam[] {
  if (!list || list.type !== 'list') return [];
  const out: McpParam[] = [];
  for (const el of kids(list)) {
    if (el.type !== 'call') continue;
    const kw = keywords(el);
    const name = str(kw.get('name'), scope);
    if (!name) continue;
    const p: McpParam = { name: name.value, nameSpan: { start: name.start, end: name.end } };
    const d = str(kw.get('description'), scope);
    if (d) p.description = d;
    out.push(p);
  }
  return out;
}

/** One branch of a dispatcher: the name literal it handles and the code (or handler reference) it runs. */
interface Branch {
  /** The string literal naming the tool. */
  literal: TSNode;
  /** The branch body (a block), or the handler reference of a dict entry. */
  body?: TSNode;
  /** The handler reference of a dict entry. */
  ref?: TSNode;
}

/** The branches of a dispatcher on its first parameter (the name). */
function branchesOf(fn: TSNode, nameParam: string, index: NodeIndex, scope: PyScope): Branch[] {
  const out: Branch[] = [];
  for (const n of index.within(fn, ['if_statement', 'elif_clause'])) {
    const cond = n.childForFieldName('condition');
    const body = n.childForFieldName('consequence');
    if (cond?.type !== 'comparison_operator' || !body || !cond.children.some((c) => c?.type === '==')) continue;
    const sides = kids(cond);
    if (sides.length !== 2 || !sides.some((s) => s.type === 'identifier' && s.text === nameParam)) continue;
    const lit = sides.find((s) => s.text !== nameParam && str(s, scope));
    if (lit) out.push({ literal: lit, body });
  }
  for (const m of fn.descendantsOfType('match_statement')) {
    if (!m || m.childForFieldName('subject')?.text !== nameParam) continue;
    for (const c of m.descendantsOfType('case_clause')) {
      const body = c?.childForFieldName('consequence');
      if (!c || !body) continue;
      // `case "a":`, `case "a" | "b":` and `case GitTools.STATUS:` name their tools, in the patterns before the body.
      for (const s of c.descendantsOfType(['string', 'dotted_name']))
        if (s && s.endIndex <= body.startIndex && s.parent?.type !== 'interpolation' && str(s, scope))
          out.push({ literal: s, body });
    }
  }
  // `HANDLERS[name]`, `self.handlers[name]`, `HANDLERS.get(name)`: every string key of the dict is a tool.
  const seen = new Set<number>();
  for (const n of fn.descendantsOfType(['subscript', 'call'])) {
    if (!n) continue;
    let table: TSNode | null | undefined;
    if (n.type === 'subscript' && n.childForFieldName('subscript')?.text === nameParam)
      table = n.childForFieldName('value');
    else if (n.type === 'call') {
      const f = n.childForFieldName('function');
      if (f?.type === 'attribute' && f.childForFieldName('attribute')?.text === 'get')
        if (positional(n)[0]?.text === nameParam) table = f.childForFieldName('object');
    }
    const dict = table ? resolve(scope.value(table.text) ?? table, scope) : undefined;
    if (dict?.type !== 'dictionary' || seen.has(dict.id)) continue;
    seen.add(dict.id);
    // Only a table of functions dispatches: `TIMEOUTS.get(name, 30)` looks a name up in a table of settings.
    const entries = kids(dict).map((p) => ({ k: p.childForFieldName('key'), v: p.childForFieldName('value') }));
    const callable = (v: TSNode | null): boolean => !!v && (v.type === 'lambda' || !!handlerOf(v, scope));
    if (entries.length === 0 || !entries.every(({ k, v }) => k?.type === 'string' && callable(v))) continue;
    for (const { k, v } of entries) out.push({ literal: k!, ref: v! });
  }
  return out;
}

/**
 * The function a branch hands the whole arguments to (a dict entry, `helper(**arguments)`), with its parameters,
 * or the imported helper it passes them to.
 */
function branchHandler(
  b: Branch,
  tainted: ReadonlySet<string>,
  scope: PyScope,
): { fn?: TSNode; ref?: TSNode; params?: TSNode[] } | undefined {
  if (b.ref) {
    if (b.ref.type === 'lambda') return { fn: b.ref, params: signature(b.ref, scope).nodes };
    const h = handlerOf(b.ref, scope);
    return h?.fn ? { fn: h.fn, params: signature(h.fn, scope).nodes } : h;
  }
  // The same-file helper the arguments go to, else an imported one; calls into libraries (`types.TextContent`,
  // `json.dumps`) wrap the result and are not the tool's code.
  let imported: { ref?: TSNode } | undefined;
  for (const call of b.body!.descendantsOfType('call')) {
    if (!call || nestedDef(call, b.body!)) continue;
    const callee = call.childForFieldName('function');
    const h = callee ? handlerOf(callee, scope) : undefined;
    if (!h || (h.ref && !localImport(h.ref, scope))) continue;
    const argList = kids(call.childForFieldName('arguments'));
    const carries = (a: TSNode): boolean =>
      (a.type === 'identifier' && tainted.has(a.text)) ||
      a.descendantsOfType('identifier').some((i) => !!i && tainted.has(i.text));
    if (!argList.some(carries)) continue;
    if (!h.fn) {
      imported ??= h;
      continue;
    }
    // `run_shell(**arguments)`: every parameter of the helper is a tool argument. A helper given single values
    // (`read_text(root, arguments["path"])`) is followed by the taint analysis's helper step, which knows which
    // argument key reaches which parameter; it is not made the tool's handler.
    if (argList.some((a) => a.type.includes('splat') && carries(a)))
      return { fn: h.fn, params: signature(h.fn, scope).nodes };
    return undefined;
  }
  return imported;
}

// Libraries a dispatcher calls around its tools' code (the SDK, the standard library, common clients): a call into
// them is never the tool's handler.
const LIBRARY_ROOT =
  /^(?:mcp|fastmcp|pydantic|typing|json|os|sys|subprocess|asyncio|anyio|pathlib|shutil|re|logging|httpx|requests|aiohttp|urllib|datetime|time|base64|hashlib|textwrap|inspect|functools|itertools|collections|dataclasses|enum|uuid|tempfile|glob|io|math|random|string|sqlite3|yaml|starlette|fastapi)$/;

/** True when a reference's root name is imported from a relative or project module, not a known library. */
function localImport(ref: TSNode, scope: PyScope): boolean {
  let root: TSNode | null = ref;
  while (root?.type === 'attribute') root = root.childForFieldName('object');
  const from = root ? scope.importOf(root.text) : undefined;
  if (from === undefined) return false;
  return from.startsWith('.') || !LIBRARY_ROOT.test(from.split(/[.:]/)[0]!);
}

/** True when a node sits in a function defined inside `body` (a callback is not the branch's own call). */
function nestedDef(n: TSNode, body: TSNode): boolean {
  for (let p = n.parent; p && p.id !== body.id; p = p.parent)
    if (p.type === 'function_definition' || p.type === 'lambda') return true;
  return false;
}

/**
 * Ties the branches of every dispatcher to tools: an existing entity of that name (a `Tool(...)` of this file)
 * gains the branch's handler; a name with no entity here becomes a `dispatch` entity. A helper dispatched to by more
 * than one name serves several tools, so it is not any one tool's handler (the helper analysis of the taint rules
 * still follows the dispatcher into it).
 */
export function dispatchEntities(
  dispatchers: readonly McpDispatcher[],
  entities: McpEntity[],
  index: NodeIndex,
  scope: PyScope,
): void {
  const byName = new Map<string, McpEntity>();
  for (const e of entities) if (e.kind === 'tool' && e.name && !byName.has(e.name.value)) byName.set(e.name.value, e);
  for (const d of dispatchers) {
    // A `read_resource` handler compares URIs, which name no entity; prompts are rarely dispatched by hand.
    const [nameParam, argsParam] = d.handlerParams;
    if (d.kind !== 'tool' || !nameParam) continue;
    const tainted = new Set(argsParam ? [argsParam.text, ...derived(d.handler, argsParam.text, index)] : []);
    const found = branchesOf(d.handler, nameParam.text, index, scope).map((b) => ({
      b,
      h: branchHandler(b, tainted, scope),
    }));
    const uses = new Map<number, number>();
    for (const { h } of found) if (h?.fn) uses.set(h.fn.id, (uses.get(h.fn.id) ?? 0) + 1);
    for (const { b, h } of found) {
      const name = str(b.literal, scope);
      if (!name) continue;
      let e = byName.get(name.value);
      if (!e) {
        const at = b.body ?? b.literal.parent ?? b.literal;
        e = { kind: d.kind, name, descriptions: [], params: [], span: span(at), handlerParams: [], api: 'dispatch' };
        entities.push(e);
        byName.set(name.value, e);
      }
      if (e.handler || e.handlerRef || !h) continue;
      if (h.fn && uses.get(h.fn.id) === 1) {
        e.handler = h.fn;
        e.handlerParams = h.params ?? [];
      } else if (h.ref) e.handlerRef = h.ref;
    }
  }
}

/** Names assigned in a function from expressions that mention `source` (`path = arguments["path"]`). */
function derived(fn: TSNode, source: string, index: NodeIndex): string[] {
  const out: string[] = [];
  for (const a of index.within(fn, ['assignment'])) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) continue;
    const names = new Set(right.descendantsOfType('identifier').map((i) => i?.text));
    if (right.type === 'identifier') names.add(right.text);
    if (names.has(source) || out.some((o) => names.has(o))) out.push(left.text);
  }
  return out;
}

/** The span of a node. */
function span(n: TSNode): { start: number; end: number } {
  return { start: n.startIndex, end: n.endIndex };
}
