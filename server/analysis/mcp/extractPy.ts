import { kids } from '../ast';
import { indexNodes, type NodeIndex, type TSNode } from '../parse';
import { decodePyEscape, metaFromPieces, type Piece } from './strings';
import type { McpDispatcher, McpEntity, McpMetadata, McpParam, MetaString } from './types';

/**
 * MCP metadata from Python servers: FastMCP decorators (`@mcp.tool()`, `@mcp.prompt()`, `@mcp.resource(uri)`) with
 * docstrings and signature parameters, the low-level `Server` (`@server.list_tools()` returning `Tool(...)`,
 * `@server.call_tool()`), and server construction (`FastMCP("name", instructions=…)`).
 */

/** Module-level (and nested) simple assignments `NAME = value`, first one wins. */
class PyScope {
  private readonly values = new Map<string, TSNode>();

  constructor(index: NodeIndex) {
    for (const a of index.of('assignment')) {
      const left = a?.childForFieldName('left');
      const right = a?.childForFieldName('right');
      if (left?.type === 'identifier' && right && !this.values.has(left.text)) this.values.set(left.text, right);
    }
  }

  /** The value assigned to a name. */
  value(name: string): TSNode | undefined {
    return this.values.get(name);
  }
}

/** Follows identifiers and parentheses to a value. */
function resolve(n: TSNode | null | undefined, scope: PyScope): TSNode | undefined {
  let cur = n ?? undefined;
  for (let i = 0; cur && i < 10; i++) {
    if (cur.type === 'parenthesized_expression') cur = kids(cur)[0];
    else if (cur.type === 'identifier') cur = scope.value(cur.text);
    else break;
  }
  return cur;
}

/** Folds a Python string expression into pieces (literals, implicit concatenation, +, f-strings, join, dedent). */
function evalPy(n: TSNode | null | undefined, scope: PyScope, depth = 0): Piece[] | undefined {
  if (!n || depth > 12) return undefined;
  switch (n.type) {
    case 'string':
      return stringPieces(n, scope, depth);
    case 'concatenated_string': {
      const out: Piece[] = [];
      // Piece by piece, never push(...spread): a concatenation can hold more pieces than a call may take arguments.
      for (const c of kids(n)) for (const p of evalPy(c, scope, depth + 1) ?? []) out.push(p);
      return out;
    }
    case 'binary_operator': {
      if (n.childForFieldName('operator')?.text !== '+') return undefined;
      const l = evalPy(n.childForFieldName('left'), scope, depth + 1);
      const r = evalPy(n.childForFieldName('right'), scope, depth + 1);
      return l || r ? [...(l ?? []), ...(r ?? [])] : undefined;
    }
    case 'parenthesized_expression':
      return evalPy(kids(n)[0], scope, depth + 1);
    case 'identifier': {
      const v = scope.value(n.text);
      return v ? evalPy(v, scope, depth + 1) : undefined;
    }
    case 'call': {
      const fn = n.childForFieldName('function');
      const args = kids(n.childForFieldName('arguments'));
      if (fn?.type === 'attribute') {
        const attr = fn.childForFieldName('attribute')?.text;
        const obj = fn.childForFieldName('object');
        if (attr === 'join' && args[0]) {
          const list = resolve(args[0], scope);
          if (!list || !['list', 'tuple'].includes(list.type)) return undefined;
          const sep = evalPy(obj, scope, depth + 1) ?? [];
          const out: Piece[] = [];
          kids(list).forEach((el, i) => {
            if (i > 0) for (const p of sep) out.push(p);
            for (const p of evalPy(el, scope, depth + 1) ?? []) out.push(p);
          });
          return out;
        }
        if (attr === 'strip' || attr === 'lstrip' || attr === 'rstrip') return evalPy(obj, scope, depth + 1);
      }
      // textwrap.dedent(…), inspect.cleandoc(…): the characters are the same, only indentation changes.
      if (/(?:^|\.)(?:dedent|cleandoc)$/.test(fn?.text ?? '') && args[0]) return evalPy(args[0], scope, depth + 1);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Pieces of one Python string literal (handles r/b/f prefixes; bytes are not text the model sees). */
function stringPieces(n: TSNode, scope: PyScope, depth: number): Piece[] | undefined {
  const startTok = n.children.find((c) => c?.type === 'string_start');
  const prefix = (startTok?.text ?? '').replace(/["']/g, '').toLowerCase();
  if (prefix.includes('b')) return undefined;
  const raw = prefix.includes('r');
  const out: Piece[] = [];
  for (const c of n.children) {
    if (!c) continue;
    if (c.type === 'string_content') {
      let at = c.startIndex;
      for (const esc of raw ? [] : c.children) {
        if (!esc || esc.type !== 'escape_sequence') continue;
        if (esc.startIndex > at)
          out.push({
            start: at,
            end: esc.startIndex,
            value: c.text.slice(at - c.startIndex, esc.startIndex - c.startIndex),
          });
        out.push({ start: esc.startIndex, end: esc.endIndex, value: decodePyEscape(esc.text) });
        at = esc.endIndex;
      }
      if (c.endIndex > at) out.push({ start: at, end: c.endIndex, value: c.text.slice(at - c.startIndex) });
    } else if (c.type === 'interpolation') {
      const v = evalPy(c.childForFieldName('expression'), scope, depth + 1);
      for (const p of v ?? [{ start: c.startIndex, end: c.startIndex, value: '' }]) out.push(p);
    }
  }
  return out;
}

/** A MetaString from a Python expression, when it folds to a string. */
function str(n: TSNode | null | undefined, scope: PyScope): MetaString | undefined {
  if (!n) return undefined;
  const pieces = evalPy(n, scope);
  if (!pieces) return undefined;
  let whole = { start: n.startIndex, end: n.endIndex };
  if (n.type === 'string') {
    const s = n.children.find((c) => c?.type === 'string_start');
    const e = n.children.find((c) => c?.type === 'string_end');
    if (s && e) whole = { start: s.endIndex, end: e.startIndex };
  }
  return metaFromPieces(pieces, whole);
}

/** Keyword arguments of a call, by name. */
function keywords(call: TSNode): Map<string, TSNode> {
  const m = new Map<string, TSNode>();
  for (const a of kids(call.childForFieldName('arguments'))) {
    if (a.type !== 'keyword_argument') continue;
    const k = a.childForFieldName('name')?.text;
    const v = a.childForFieldName('value');
    if (k && v) m.set(k, v);
  }
  return m;
}

/** Positional arguments of a call. */
function positional(call: TSNode): TSNode[] {
  return kids(call.childForFieldName('arguments')).filter(
    (a) => a.type !== 'keyword_argument' && !a.type.includes('splat'),
  );
}

/** The docstring of a function, if its body starts with a string. */
function docstring(fn: TSNode, scope: PyScope): MetaString | undefined {
  const first = kids(fn.childForFieldName('body'))[0];
  const s = first?.type === 'expression_statement' ? kids(first)[0] : undefined;
  return s?.type === 'string' ? str(s, scope) : undefined;
}

/** The name node and whole node of each parameter that carries client input (self, cls and Context skipped). */
function signature(fn: TSNode, scope: PyScope): { params: McpParam[]; nodes: TSNode[] } {
  const params: McpParam[] = [];
  const nodes: TSNode[] = [];
  for (const p of kids(fn.childForFieldName('parameters'))) {
    let nameNode: TSNode | undefined;
    if (p.type === 'identifier') nameNode = p;
    else if (p.type === 'typed_parameter') nameNode = kids(p).find((c) => c.type === 'identifier');
    else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter')
      nameNode = p.childForFieldName('name') ?? undefined;
    if (!nameNode) continue;
    const type = p.childForFieldName('type')?.text ?? '';
    if (nameNode.text === 'self' || nameNode.text === 'cls') continue;
    // FastMCP injects the request context; it is not a tool argument.
    if (/(?:^|\.|\[)(?:Context|RequestContext)\b/.test(type)) continue;
    const param: McpParam = { name: nameNode.text, nameSpan: { start: nameNode.startIndex, end: nameNode.endIndex } };
    for (const call of p.descendantsOfType('call')) {
      if (!call || !/(?:^|\.)Field$/.test(call.childForFieldName('function')?.text ?? '')) continue;
      const d = str(keywords(call).get('description'), scope);
      if (d) param.description = d;
    }
    params.push(param);
    nodes.push(nameNode);
  }
  return { params, nodes };
}

/** True when the file imports an MCP SDK (`mcp`, `mcp.server.fastmcp`, `fastmcp`, …). */
function importsMcp(index: NodeIndex): boolean {
  for (const imp of index.of(['import_statement', 'import_from_statement'])) {
    if (!imp) continue;
    const mod =
      imp.type === 'import_from_statement'
        ? [imp.childForFieldName('module_name')?.text ?? '']
        : kids(imp).map((k) => k.text);
    if (mod.some((m) => /^(?:mcp|fastmcp)(?:\.|$|\s)/.test(m))) return true;
  }
  return false;
}

const DECORATED = /^(tool|prompt|resource|list_tools|call_tool|get_prompt|read_resource)$/;

/** Extracts MCP metadata from a Python parse tree (`index` is its node index, shared with other analyses). */
export function extractPy(root: TSNode, index: NodeIndex = indexNodes(root)): McpMetadata {
  const meta: McpMetadata = {
    entities: [],
    instructions: [],
    serverNames: [],
    usesMcpSdk: importsMcp(index),
    dispatchers: [],
  };
  const scope = new PyScope(index);

  for (const dd of index.of('decorated_definition')) {
    const fn = dd?.childForFieldName('definition');
    if (!dd || fn?.type !== 'function_definition') continue;
    for (const dec of kids(dd).filter((k) => k.type === 'decorator')) {
      const expr = kids(dec)[0];
      const call = expr?.type === 'call' ? expr : undefined;
      const target = call ? call.childForFieldName('function') : expr;
      if (target?.type !== 'attribute') continue;
      const method = target.childForFieldName('attribute')?.text ?? '';
      const receiver = target.childForFieldName('object')?.text ?? '';
      if (!DECORATED.test(method)) continue;
      if (!meta.usesMcpSdk && !/server|mcp|app/i.test(receiver)) continue;
      const span = { start: dd.startIndex, end: dd.endIndex };
      const sig = signature(fn, scope);
      if (method === 'call_tool' || method === 'get_prompt' || method === 'read_resource') {
        const kind = method === 'call_tool' ? 'tool' : method === 'get_prompt' ? 'prompt' : 'resource';
        const d: McpDispatcher = { kind, lang: 'python', handler: fn, handlerParams: sig.nodes, span };
        meta.dispatchers.push(d);
        continue;
      }
      if (method === 'list_tools') continue; // Its Tool(...) objects are found below, wherever they are built.
      const kind = method as McpEntity['kind'];
      const kw = call ? keywords(call) : new Map<string, TSNode>();
      const pos = call ? positional(call) : [];
      const fnName = fn.childForFieldName('name')!;
      // @mcp.resource("uri") takes the URI first; FastMCP 2 also accepts @mcp.tool("name").
      const uri = kind === 'resource' ? str(kw.get('uri') ?? pos[0], scope) : undefined;
      const name = str(kw.get('name') ?? (kind === 'resource' ? undefined : pos[0]), scope) ?? {
        start: fnName.startIndex,
        end: fnName.endIndex,
        value: fnName.text,
      };
      const descriptions: MetaString[] = [];
      for (const k of ['description', 'title']) {
        const s = str(kw.get(k), scope);
        if (s) descriptions.push(s);
      }
      if (!kw.has('description')) {
        const doc = docstring(fn, scope);
        if (doc) descriptions.push(doc);
      }
      const untrusted = kind !== 'resource' || (uri?.value.includes('{') ?? false);
      const e: McpEntity = {
        kind,
        name,
        descriptions,
        params: kind === 'resource' && !untrusted ? [] : sig.params,
        span,
        handler: fn,
        handlerParams: untrusted ? sig.nodes : [],
        api: 'sdk',
      };
      const ps = fn.childForFieldName('parameters');
      if (ps) e.schemaSpan = { start: ps.startIndex, end: ps.endIndex };
      meta.entities.push(e);
    }
  }

  for (const call of index.of('call')) {
    if (!call) continue;
    const fnText = call.childForFieldName('function')?.text ?? '';
    const m = /(?:^|\.)(Tool|Prompt|Resource|FastMCP|Server|McpServer)$/.exec(fnText);
    if (!m) continue;
    const kw = keywords(call);
    const pos = positional(call);
    if (m[1] === 'FastMCP' || m[1] === 'Server' || m[1] === 'McpServer') {
      if (!meta.usesMcpSdk) continue;
      const n = str(kw.get('name') ?? pos[0], scope);
      if (n) meta.serverNames.push(n);
      const ins = str(kw.get('instructions'), scope);
      if (ins) meta.instructions.push(ins);
      continue;
    }
    if (!meta.usesMcpSdk) continue;
    const name = str(kw.get('name'), scope);
    if (!name) continue;
    const kind = m[1]!.toLowerCase() as McpEntity['kind'];
    const descriptions: MetaString[] = [];
    for (const k of ['description', 'title']) {
      const s = str(kw.get(k), scope);
      if (s) descriptions.push(s);
    }
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
    if (kind === 'prompt') e.params = promptArgs(resolve(kw.get('arguments'), scope), scope);
    meta.entities.push(e);
  }
  meta.entities.sort((a, b) => a.span.start - b.span.start);
  return meta;
}

/** Value of a string key in a dict literal. */
function dictGet(d: TSNode | undefined, key: string): TSNode | undefined {
  if (d?.type !== 'dictionary') return undefined;
  for (const p of kids(d)) {
    if (p.type !== 'pair') continue;
    const k = p.childForFieldName('key');
    if (k?.type === 'string' && k.text.slice(1, -1) === key) return p.childForFieldName('value') ?? undefined;
  }
  return undefined;
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
