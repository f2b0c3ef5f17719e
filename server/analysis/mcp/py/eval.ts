import { kids } from '../../ast';
import type { NodeIndex, TSNode } from '../../parse';
import { decodePyEscape, metaFromPieces, type Piece } from '../strings';
import type { MetaString } from '../types';

/**
 * What the Python extractors know about a module's names, and how they fold Python string expressions into
 * metadata strings. Real servers assemble descriptions from constants, implicit concatenation, f-strings and
 * `textwrap.dedent`, and register handlers by name, so both the values bound to names and the functions defined
 * under them are looked up here.
 */

/** Module-level and nested bindings of one Python file: assignments, function definitions and imports. */
export class PyScope {
  private readonly values = new Map<string, TSNode>();
  private readonly functions = new Map<string, TSNode>();
  private readonly methods = new Map<string, TSNode>();
  private readonly imported = new Map<string, string>();

  constructor(index: NodeIndex) {
    for (const a of index.of('assignment')) {
      const left = a?.childForFieldName('left');
      const right = a?.childForFieldName('right');
      // `self.mcp = FastMCP(...)` is keyed by its text, so a decorator on `self.mcp` finds the server it holds.
      if (!left || !right || (left.type !== 'identifier' && left.type !== 'attribute')) continue;
      if (!this.values.has(left.text)) this.values.set(left.text, right);
    }
    // A class attribute is also keyed `Class.name`: tool names are often enum members
    // (`class GitTools(str, Enum): STATUS = "git_status"`, then `Tool(name=GitTools.STATUS)`). Read from each class
    // body's own statements: climbing `parent` from every assignment costs a walk from the root per step.
    for (const cls of index.of('class_definition')) {
      const clsName = cls.childForFieldName('name')?.text;
      if (!clsName) continue;
      for (const stmt of kids(cls.childForFieldName('body'))) {
        if (stmt.type !== 'expression_statement') continue;
        for (const a of kids(stmt)) {
          const left = a.type === 'assignment' ? a.childForFieldName('left') : null;
          const right = a.childForFieldName('right');
          if (left?.type === 'identifier' && right && !this.values.has(`${clsName}.${left.text}`))
            this.values.set(`${clsName}.${left.text}`, right);
        }
      }
    }
    for (const fn of index.of('function_definition')) {
      // The first definition of a name wins; plain functions and methods are kept apart.
      const name = fn.childForFieldName('name')?.text;
      const table = isMethod(fn) ? this.methods : this.functions;
      if (name && !table.has(name)) table.set(name, fn);
    }
    for (const imp of index.of(['import_statement', 'import_from_statement'])) {
      const from = imp.type === 'import_from_statement' ? (imp.childForFieldName('module_name')?.text ?? '') : '';
      for (const k of kids(imp)) {
        if (k.type !== 'dotted_name' && k.type !== 'aliased_import') continue;
        if (imp.type === 'import_from_statement' && k.id === imp.childForFieldName('module_name')?.id) continue;
        const name = k.type === 'aliased_import' ? k.childForFieldName('name')?.text : k.text;
        const local = k.type === 'aliased_import' ? k.childForFieldName('alias')?.text : k.text.split('.')[0];
        if (name && local) this.imported.set(local, from ? `${from}:${name}` : name);
      }
    }
  }

  /** The value assigned to a name (or to `self.attr`, keyed by its text). */
  value(name: string): TSNode | undefined {
    return this.values.get(name);
  }

  /**
   * The function a reference names: `fn` for a `def fn` of this file (not a method), `self.fn` / `cls.fn` for a
   * method `fn` of a class of this file.
   */
  functionOf(ref: TSNode): TSNode | undefined {
    // A bare name never means a method, and an imported name means the other module's function.
    if (ref.type === 'identifier') return this.imported.has(ref.text) ? undefined : this.functions.get(ref.text);
    if (ref.type === 'attribute' && /^(?:self|cls)$/.test(ref.childForFieldName('object')?.text ?? ''))
      return this.methods.get(ref.childForFieldName('attribute')?.text ?? '');
    return undefined;
  }

  /**
   * True when the class a call names (`Tool`, `types.Tool`, `Tool.from_function`) is the MCP SDK's: imported from
   * `mcp` or `fastmcp`, or not imported at all in a file that uses an SDK. LangChain has a `Tool` class too, with
   * the same `name=` / `description=` and a `Tool.from_function`.
   */
  isMcpClass(callee: string, usesMcpSdk: boolean): boolean {
    const from = this.imported.get(callee.split('.')[0]!);
    return from !== undefined ? /^(?:mcp|fastmcp)(?:[.:]|$)/.test(from) : usesMcpSdk;
  }

  /** Where an imported name comes from: `module:name` for `from module import name`, the module for `import m`. */
  importOf(name: string): string | undefined {
    return this.imported.get(name);
  }
}

/** True for a `def` directly in a class body (possibly decorated). */
export function isMethod(fn: TSNode): boolean {
  let p = fn.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  return p?.type === 'block' && p.parent?.type === 'class_definition';
}

/** Follows identifiers and parentheses to a value. */
export function resolve(n: TSNode | null | undefined, scope: PyScope): TSNode | undefined {
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
    case 'attribute':
    case 'dotted_name': {
      // `GitTools.STATUS`, `TimeTools.GET_TIME.value` (an enum member's value is its string), `self.name`.
      const v = scope.value(n.text) ?? scope.value(n.text.replace(/\.value$/, ''));
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
            if (i > 0) for (const x of sep) out.push(x);
            for (const x of evalPy(el, scope, depth + 1) ?? []) out.push(x);
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
      for (const x of v ?? [{ start: c.startIndex, end: c.startIndex, value: '' }]) out.push(x);
    }
  }
  return out;
}

/** A MetaString from a Python expression, when it folds to a string. */
export function str(n: TSNode | null | undefined, scope: PyScope): MetaString | undefined {
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
export function keywords(call: TSNode): Map<string, TSNode> {
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
export function positional(call: TSNode): TSNode[] {
  return kids(call.childForFieldName('arguments')).filter(
    (a) => a.type !== 'keyword_argument' && !a.type.includes('splat'),
  );
}

/** The docstring of a function or class, if its body starts with a string. */
export function docstring(fn: TSNode, scope: PyScope): MetaString | undefined {
  const first = kids(fn.childForFieldName('body'))[0];
  const s = first?.type === 'expression_statement' ? kids(first)[0] : undefined;
  return s?.type === 'string' ? str(s, scope) : undefined;
}

/** Value of a string key in a dict literal. */
export function dictGet(d: TSNode | undefined, key: string): TSNode | undefined {
  if (d?.type !== 'dictionary') return undefined;
  for (const p of kids(d)) {
    if (p.type !== 'pair') continue;
    const k = p.childForFieldName('key');
    if (k?.type === 'string' && k.text.slice(1, -1) === key) return p.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/**
 * The string title, default, const, enum values and examples of a JSON Schema property written as a Python dict, or
 * of the keyword arguments of a pydantic `Field(...)` (`title=`, `default=`, `examples=`).
 */
export function schemaTexts(n: TSNode | undefined, scope: PyScope): MetaString[] {
  const v = resolve(n, scope);
  const get =
    v?.type === 'dictionary'
      ? (k: string) => dictGet(v, k)
      : v?.type === 'call'
        ? (k: string) => keywords(v).get(k)
        : undefined;
  if (!get) return [];
  const out: MetaString[] = [];
  for (const k of ['title', 'default', 'const']) {
    const s = str(get(k), scope);
    if (s) out.push(s);
  }
  for (const k of ['enum', 'examples']) {
    const list = resolve(get(k), scope);
    if (list?.type !== 'list' && list?.type !== 'tuple') continue;
    for (const el of kids(list)) {
      const s = str(el, scope);
      if (s) out.push(s);
    }
  }
  return out;
}

/**
 * The title of a tool's annotations (`annotations={"title": …}`, `annotations=ToolAnnotations(title=…)`): clients
 * show it, and the model reads it with the description.
 */
export function annotationTitle(n: TSNode | undefined, scope: PyScope): MetaString | undefined {
  const a = resolve(n, scope);
  if (a?.type === 'dictionary') return str(dictGet(a, 'title'), scope);
  if (a?.type === 'call') return str(keywords(a).get('title'), scope);
  return undefined;
}
