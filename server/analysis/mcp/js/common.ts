// Helpers shared by the JS/TS registration styles (server/analysis/mcp/js/*): folding metadata strings, reading
// schemas and finding handler functions and the parameters that receive tool input.
import { kids, stripCasts } from '../../ast';
import type { NodeIndex, TSNode } from '../../parse';
import { evalJs, isFunction, JsScope, pairs, prop, resolve } from '../evalJs';
import { metaFromPieces } from '../strings';
import type { McpParam, MetaString } from '../types';

/** Folds a node to a MetaString when it is a determinable string. */
export function str(n: TSNode | null | undefined, scope: JsScope): MetaString | undefined {
  if (!n) return undefined;
  const pieces = evalJs(n, scope);
  return pieces ? metaFromPieces(pieces, contentSpan(stripCasts(n))) : undefined;
}

/** The span of a literal's content (inside its quotes or backticks), or of the whole expression otherwise. */
export function contentSpan(n: TSNode): { start: number; end: number } {
  if (n.type === 'string' || n.type === 'template_string') return { start: n.startIndex + 1, end: n.endIndex - 1 };
  return { start: n.startIndex, end: n.endIndex };
}

/** True when the file imports or requires an MCP SDK. */
export function importsMcp(index: NodeIndex): boolean {
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
export function handlerOf(n: TSNode | undefined, scope: JsScope): TSNode | undefined {
  if (!n) return undefined;
  const u = stripCasts(n);
  if (isFunction(u)) return u;
  if (u.type === 'identifier') return scope.fn(u.text);
  return undefined;
}

/** Formal parameters of a function (the single unparenthesised arrow parameter included). */
export function paramsOf(fn: TSNode): TSNode[] {
  const single = fn.childForFieldName('parameter');
  if (single) return [single];
  return kids(fn.childForFieldName('parameters')).map((p) => p.childForFieldName('pattern') ?? p);
}

/** The description of a zod schema expression: `.describe("…")` anywhere in its chain, or `{ description }`. */
export function zodDescription(n: TSNode, scope: JsScope): MetaString | undefined {
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

/** The string elements of an array literal (or of a reference to one). */
function stringsOf(n: TSNode | undefined, scope: JsScope): MetaString[] {
  const list = resolve(n, scope);
  if (list?.type !== 'array') return [];
  return kids(list).flatMap((el) => str(el, scope) ?? []);
}

/** The string title, default, const, enum values and examples of a JSON Schema property written in code. */
export function jsonSchemaTexts(v: TSNode | undefined, scope: JsScope): MetaString[] {
  if (v?.type !== 'object') return [];
  const out: MetaString[] = [];
  for (const k of ['title', 'default', 'const']) {
    const s = str(prop(v, k), scope);
    if (s) out.push(s);
  }
  for (const k of ['enum', 'examples']) out.push(...stringsOf(prop(v, k), scope));
  return out;
}

/** The strings of a zod chain other than its description: `z.enum([…])`, `z.literal(…)`, `.default(…)`, `.catch(…)`. */
export function zodTexts(n: TSNode, scope: JsScope): MetaString[] {
  const out: MetaString[] = [];
  let cur: TSNode | undefined = resolve(n, scope);
  for (let i = 0; cur && i < 30; i++) {
    if (cur.type === 'call_expression') {
      const fn = cur.childForFieldName('function');
      const args = kids(cur.childForFieldName('arguments'));
      const method = fn?.type === 'member_expression' ? fn.childForFieldName('property')?.text : undefined;
      if (method === 'enum') out.push(...stringsOf(args[0], scope));
      else if (method === 'literal' || method === 'default' || method === 'catch') {
        const s = str(args[0], scope);
        if (s) out.push(s);
      }
      cur = fn ?? undefined;
    } else if (cur.type === 'member_expression') cur = cur.childForFieldName('object') ?? undefined;
    else break;
  }
  return out;
}

/** The object literal that lists parameters, from a raw zod shape, `z.object({…})`, a JSON Schema or a reference. */
export function schemaShape(
  n: TSNode | undefined,
  scope: JsScope,
  depth = 0,
): { shape: TSNode; json: boolean } | undefined {
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
export function paramsFromSchema(n: TSNode | undefined, scope: JsScope): McpParam[] {
  const s = schemaShape(n, scope);
  if (!s) return [];
  return pairs(s.shape).map(({ key, keySpan, value }) => {
    const p: McpParam = { name: key, nameSpan: keySpan };
    const d = s.json ? str(prop(resolve(value, scope), 'description'), scope) : zodDescription(value, scope);
    if (d) p.description = d;
    const texts = s.json ? jsonSchemaTexts(resolve(value, scope), scope) : zodTexts(value, scope);
    if (texts.length) p.texts = texts;
    return p;
  });
}

/** True for an object that only holds tool annotations (hints and a title). */
export function isAnnotations(obj: TSNode): boolean {
  const keys = pairs(obj).map((p) => p.key);
  return (
    keys.length > 0 &&
    keys.every((k) => /^(?:title|readOnlyHint|destructiveHint|idempotentHint|openWorldHint)$/.test(k))
  );
}

/** Titles and descriptions of a config or annotations object. */
export function describedBy(obj: TSNode | undefined, scope: JsScope): MetaString[] {
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

/**
 * The function a call handler argument denotes when it is wrapped by middleware
 * (`wrapHandler("CallTool", withMonitoring(async (request) => …))`): the first function literal among the arguments
 * of the wrapping calls, searched a few levels deep.
 */
export function unwrappedHandler(n: TSNode | undefined, scope: JsScope, depth = 0): TSNode | undefined {
  const direct = handlerOf(n, scope);
  if (direct || !n || depth > 3) return direct;
  const u = stripCasts(n);
  if (u.type !== 'call_expression') return undefined;
  const args = kids(u.childForFieldName('arguments'));
  for (let i = args.length - 1; i >= 0; i--) {
    const f = unwrappedHandler(args[i], scope, depth + 1);
    if (f) return f;
  }
  return undefined;
}

// Names a handler gives the non-input parameter it sometimes takes first (`handle(context, params)`).
const CONTEXT_PARAM =
  /^_*(?:ctx|context|server|session|client|extra|env|config|deps|services|runtime|lara|page|browser)$/i;

/**
 * The parameter of a tool handler that receives the arguments: the first one, unless it is named like a context
 * object and a second one follows (`async function handleNavigate(context, params)`).
 */
export function inputParam(fn: TSNode): TSNode | undefined {
  const ps = paramsOf(fn);
  if (ps.length >= 2 && ps[0]!.type === 'identifier' && CONTEXT_PARAM.test(ps[0]!.text)) return ps[1];
  return ps[0];
}

/** Where a name imported by the file comes from: the module specifier and the exported name. */
export interface ImportedName {
  /** The module specifier (`"@supabase/mcp-utils"`, `"./tools/translate.js"`). */
  source: string;
  /** The exported name (`default` for a default import, `*` for a namespace). */
  imported: string;
}

/** Local names bound by ES imports and by `const x = require("m")` / `const { a: b } = require("m")`. */
export function importedNames(index: NodeIndex): Map<string, ImportedName> {
  const out = new Map<string, ImportedName>();
  for (const imp of index.of('import_statement')) {
    const src = imp?.childForFieldName('source');
    if (!imp || !src) continue;
    const source = src.text.slice(1, -1);
    for (const n of imp.descendantsOfType(['import_specifier', 'namespace_import', 'identifier'])) {
      if (!n) continue;
      if (n.type === 'import_specifier') {
        const name = n.childForFieldName('name')?.text ?? '';
        out.set(n.childForFieldName('alias')?.text ?? name, { source, imported: name });
      } else if (n.type === 'namespace_import') {
        const id = kids(n).find((k) => k.type === 'identifier');
        if (id) out.set(id.text, { source, imported: '*' });
      } else if (n.parent?.type === 'import_clause') out.set(n.text, { source, imported: 'default' });
    }
  }
  for (const call of index.of('call_expression')) {
    if (call?.childForFieldName('function')?.text !== 'require') continue;
    const a = kids(call.childForFieldName('arguments'))[0];
    const decl = call.parent;
    if (a?.type !== 'string' || decl?.type !== 'variable_declarator') continue;
    const source = a.text.slice(1, -1);
    const name = decl.childForFieldName('name');
    if (name?.type === 'identifier') out.set(name.text, { source, imported: '*' });
    else if (name?.type === 'object_pattern') {
      for (const p of kids(name)) {
        if (p.type === 'shorthand_property_identifier_pattern') out.set(p.text, { source, imported: p.text });
        else if (p.type === 'pair_pattern') {
          const v = p.childForFieldName('value');
          const k = p.childForFieldName('key')?.text;
          if (v?.type === 'identifier' && k) out.set(v.text, { source, imported: k });
        }
      }
    }
  }
  return out;
}

/**
 * The handler of a tool object's handler value: a function here (literal, method, or a function declared in this
 * file), or, for a name imported from another module or a member of one (`tools.run`), the reference to record for
 * cross-file analysis.
 */
export function handlerValue(
  v: TSNode | undefined,
  scope: JsScope,
  imports: Map<string, ImportedName>,
): { fn?: TSNode; ref?: TSNode } | undefined {
  if (!v) return undefined;
  if (v.type === 'method_definition') return { fn: v };
  const fn = handlerOf(v, scope);
  if (fn) return { fn };
  const u = stripCasts(v);
  const root = u.type === 'member_expression' ? memberRoot(u) : u;
  if (root?.type === 'identifier' && imports.has(root.text)) return { ref: u };
  return undefined;
}

/** The leftmost identifier of a member chain (`a` in `a.b.c`). */
function memberRoot(n: TSNode): TSNode | undefined {
  let cur: TSNode | null = n;
  for (let i = 0; cur && cur.type === 'member_expression' && i < 10; i++) cur = cur.childForFieldName('object');
  return cur ?? undefined;
}

/** The value of `key` in an object literal, a method `key() {}` included. */
export function member(obj: TSNode | undefined, key: string): TSNode | undefined {
  const p = prop(obj, key);
  if (p || !obj || obj.type !== 'object') return p;
  return kids(obj).find((c) => c.type === 'method_definition' && c.childForFieldName('name')?.text === key);
}

/** Handler keys of tool objects across libraries and projects, in the order they are preferred. */
export const HANDLER_KEYS = ['handler', 'execute', 'run', 'callback', 'handle', 'invoke', 'call', 'fn'];

/**
 * True for a value that can be an input schema: a JSON Schema or zod shape object, a call building one
 * (`z.object(…)`, `toJSONSchema(…)`, a minified `ve({…})`), a reference to one, or a member (`X.shape`). Plain
 * literals (a string, a number, a boolean) cannot.
 */
export function schemaLike(v: TSNode | undefined, scope: JsScope): boolean {
  if (!v) return false;
  const u = resolve(v, scope);
  if (!u) return stripCasts(v).type === 'identifier' || stripCasts(v).type === 'member_expression';
  // `IS_REMOTE ? toJSONSchema(A) : toJSONSchema(B)`: either branch will do.
  if (u.type === 'ternary_expression')
    return (
      schemaLike(u.childForFieldName('consequence') ?? undefined, scope) ||
      schemaLike(u.childForFieldName('alternative') ?? undefined, scope)
    );
  return u.type === 'object' || u.type === 'call_expression' || u.type === 'member_expression';
}
