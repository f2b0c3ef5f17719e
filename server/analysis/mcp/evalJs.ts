import type { Span } from '../../core/rule';
import { kids, stripCasts } from '../ast';
import type { NodeIndex, TSNode } from '../parse';
import { decodeJsEscape, type Piece } from './strings';

/**
 * Constant folding of JavaScript/TypeScript string expressions, enough to read MCP metadata the way authors write
 * it: literals, templates with `${CONST}`, `+` concatenation, `[…].join(sep)`, tagged templates such as `dedent`,
 * and references to constants (including `OBJ.key`). Anything unknown folds to an empty piece so the rest still
 * reads, and detectors never see code as if it were text.
 */

/** Named declarations in one file: variable initialisers and function declarations, by name. */
export class JsScope {
  private readonly values = new Map<string, TSNode>();
  private readonly functions = new Map<string, TSNode>();

  constructor(index: NodeIndex) {
    for (const d of index.of('variable_declarator')) {
      const name = d?.childForFieldName('name');
      const value = d?.childForFieldName('value');
      // The first declaration wins: a later shadowing declaration in a nested scope is rarer than the module one.
      if (name?.type === 'identifier' && value && !this.values.has(name.text)) this.values.set(name.text, value);
    }
    for (const f of index.of(['function_declaration', 'generator_function_declaration'])) {
      const name = f?.childForFieldName('name');
      if (name && f && !this.functions.has(name.text)) this.functions.set(name.text, f);
    }
  }

  /** The initialiser of a declared variable. */
  value(name: string): TSNode | undefined {
    return this.values.get(name);
  }

  /** A function declared by name, or a variable initialised with a function. */
  fn(name: string): TSNode | undefined {
    const f = this.functions.get(name);
    if (f) return f;
    const v = this.values.get(name);
    return v && isFunction(v) ? v : undefined;
  }
}

const FUNCTION_TYPES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);

/** True for a function literal or declaration. */
export function isFunction(n: TSNode): boolean {
  return FUNCTION_TYPES.has(n.type) || n.type === 'function_declaration' || n.type === 'generator_function_declaration';
}

/** Follows identifiers to the value they were initialised with (bounded, to survive cycles). */
export function resolve(n: TSNode | null | undefined, scope: JsScope): TSNode | undefined {
  let cur = n ? stripCasts(n) : undefined;
  for (let i = 0; cur && cur.type === 'identifier' && i < 8; i++) {
    const v = scope.value(cur.text);
    cur = v ? stripCasts(v) : undefined;
  }
  return cur;
}

/** The text of an object key (identifier, string or number key). */
export function keyText(k: TSNode | null): string | undefined {
  if (!k) return undefined;
  if (k.type === 'string') return k.text.slice(1, -1);
  if (k.type === 'computed_property_name') return undefined;
  return k.text;
}

/** The value node of `key` in an object literal (a `shorthand_property_identifier` yields itself). */
export function prop(obj: TSNode | undefined, key: string): TSNode | undefined {
  if (!obj || obj.type !== 'object') return undefined;
  for (const c of kids(obj)) {
    if (c.type === 'pair' && keyText(c.childForFieldName('key')) === key)
      return c.childForFieldName('value') ?? undefined;
    if (c.type === 'shorthand_property_identifier' && c.text === key) return c;
  }
  return undefined;
}

/** Pairs of an object literal: key text, the span of the key (inside quotes for a string key), value node. */
export function pairs(obj: TSNode | undefined): { key: string; keySpan: Span; value: TSNode }[] {
  if (!obj || obj.type !== 'object') return [];
  const out: { key: string; keySpan: Span; value: TSNode }[] = [];
  for (const c of kids(obj)) {
    if (c.type === 'pair') {
      const k = c.childForFieldName('key');
      const v = c.childForFieldName('value');
      const t = keyText(k);
      if (k && v && t !== undefined) {
        const q = k.type === 'string' ? 1 : 0;
        out.push({ key: t, keySpan: { start: k.startIndex + q, end: k.endIndex - q }, value: v });
      }
    } else if (c.type === 'shorthand_property_identifier')
      out.push({ key: c.text, keySpan: { start: c.startIndex, end: c.endIndex }, value: c });
  }
  return out;
}

/** Folds a string expression into pieces, or undefined when it is not a string the file determines. */
export function evalJs(n: TSNode | null | undefined, scope: JsScope, depth = 0): Piece[] | undefined {
  if (!n || depth > 12) return undefined;
  const node = stripCasts(n);
  switch (node.type) {
    case 'string':
      return literalPieces(node);
    case 'template_string':
      return templatePieces(node, scope, depth);
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text;
      // `toolName || "web_search_exa"`: a name with a default reads as its default.
      if (op === '||' || op === '??')
        return (
          evalJs(node.childForFieldName('left'), scope, depth + 1) ??
          evalJs(node.childForFieldName('right'), scope, depth + 1)
        );
      if (op !== '+') return undefined;
      const l = evalJs(node.childForFieldName('left'), scope, depth + 1);
      const r = evalJs(node.childForFieldName('right'), scope, depth + 1);
      if (!l && !r) return undefined;
      return [...(l ?? []), ...(r ?? [])];
    }
    case 'identifier': {
      const v = scope.value(node.text);
      return v ? evalJs(v, scope, depth + 1) : undefined;
    }
    case 'member_expression': {
      const obj = resolve(node.childForFieldName('object'), scope);
      const key = node.childForFieldName('property')?.text;
      if (!obj || !key) return undefined;
      const v = prop(obj, key);
      return v && v !== obj ? evalJs(v, scope, depth + 1) : undefined;
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments');
      // A tagged template (dedent`…`, String.raw`…`): the template is the text.
      if (args?.type === 'template_string') return templatePieces(args, scope, depth);
      if (fn?.type !== 'member_expression') return undefined;
      const method = fn.childForFieldName('property')?.text;
      const target = fn.childForFieldName('object');
      if (method === 'join') {
        const arr = resolve(target, scope);
        if (arr?.type !== 'array') return undefined;
        const sepArg = kids(args)[0];
        const sep = sepArg ? evalJs(sepArg, scope, depth + 1) : [{ start: fn.endIndex, end: fn.endIndex, value: ',' }];
        const out: Piece[] = [];
        kids(arr).forEach((el, i) => {
          // Element by element, never push(...spread): an array literal can hold more elements than a call may
          // take arguments.
          if (i > 0 && sep) for (const p of sep) out.push({ ...p });
          for (const p of evalJs(el, scope, depth + 1) ?? []) out.push(p);
        });
        return out;
      }
      if (method === 'trim' || method === 'trimStart' || method === 'trimEnd' || method === 'toString')
        return evalJs(target, scope, depth + 1);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Pieces of a plain string literal: fragments verbatim, escapes decoded. */
function literalPieces(node: TSNode): Piece[] {
  const out: Piece[] = [];
  for (const c of node.children) {
    if (!c) continue;
    if (c.type === 'string_fragment') out.push({ start: c.startIndex, end: c.endIndex, value: c.text });
    else if (c.type === 'escape_sequence')
      out.push({ start: c.startIndex, end: c.endIndex, value: decodeJsEscape(c.text) });
  }
  return out;
}

/** Pieces of a template literal, with `${…}` substitutions folded when they are known constants. */
function templatePieces(node: TSNode, scope: JsScope, depth: number): Piece[] {
  const out: Piece[] = [];
  for (const c of node.children) {
    if (!c) continue;
    if (c.type === 'string_fragment') out.push({ start: c.startIndex, end: c.endIndex, value: c.text });
    else if (c.type === 'escape_sequence')
      out.push({ start: c.startIndex, end: c.endIndex, value: decodeJsEscape(c.text) });
    else if (c.type === 'template_substitution') {
      const v = evalJs(kids(c)[0], scope, depth + 1);
      for (const p of v ?? [{ start: c.startIndex, end: c.startIndex, value: '' }]) out.push(p);
    }
  }
  return out;
}
