import type { TSNode } from '../parse';
import {
  ancestorsOfType,
  calleeOf,
  enclosingFunction,
  keywordArg,
  positionalArgs,
  propertyName,
  receiverOf,
  stripAwaitAndCasts,
} from '../ast';
import { argumentsForParameter, callbackCollection, closureConstant, hasParam, numericParam } from './callSites';
import { derivedDynamic, NUMERIC_SAFE } from './derived';
import { qualify, valueOfBinding, type CodeFacts } from './facts';
import { safePatternTestBefore } from './safePattern';

/**
 * What a string-valued expression is made of, read from the tree: literal text and the expressions spliced
 * into it by template literals, f-strings, `+`, Python `%` and `.format`. This is how the rules tell a fixed
 * command or query from one assembled out of input.
 */

/** One part of a built string: literal text, or an expression whose value is spliced in. */
export type StringPart = { lit: string } | { expr: TSNode };

const MAX_DEPTH = 8;

/**
 * The parts of a string-building expression, or undefined when the expression does not build a string from
 * literal parts (a bare identifier, a call, a number).
 */
export function stringParts(node: TSNode, depth = 0): StringPart[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const n = stripAwaitAndCasts(node);
  switch (n.type) {
    case 'string':
      // Python strings (including f-strings) have string_start/string_content/interpolation children.
      return n.children.some((c) => c?.type === 'string_start') ? pyStringParts(n) : [{ lit: literalText(n) }];
    case 'template_string': {
      const out: StringPart[] = [];
      for (const c of n.namedChildren) {
        if (!c) continue;
        if (c.type === 'template_substitution') {
          const e = c.namedChildren[0];
          if (e) out.push({ expr: e });
        } else out.push({ lit: c.text });
      }
      return out;
    }
    case 'concatenated_string':
      return n.namedChildren.flatMap((c) => (c ? (stringParts(c, depth + 1) ?? [{ expr: c }]) : []));
    case 'binary_expression':
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.text;
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (!left || !right) return undefined;
      if (op === '+') {
        const l = stringParts(left, depth + 1);
        const r = stringParts(right, depth + 1);
        if (!l && !r) return undefined;
        return [...(l ?? [{ expr: left }]), ...(r ?? [{ expr: right }])];
      }
      if (op === '%' && n.type === 'binary_operator') {
        const l = stringParts(left, depth + 1);
        if (!l) return undefined;
        const r = stripAwaitAndCasts(right);
        const values = r.type === 'tuple' ? r.namedChildren.filter((c): c is TSNode => !!c) : [r];
        return splice(l, /%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrifeEgGxXoca]/g, values, () => undefined);
      }
      return undefined;
    }
    case 'call': {
      // "…{}…".format(a, b) and "…{name}…".format(name=a)
      if (propertyName(calleeOf(n)!) !== 'format') return undefined;
      const recv = receiverOf(n);
      if (!recv) return undefined;
      const l = stringParts(recv, depth + 1);
      const args = positionalArgs(n);
      if (!l) return [{ expr: recv }, ...args.map((a) => ({ expr: a }))];
      return splice(l, /\{[^{}]*\}/g, args, (field) => {
        const name = field.slice(1, -1).split(/[!:.[]/)[0] ?? '';
        return name && !/^\d+$/.test(name) ? keywordArg(n, name) : undefined;
      });
    }
    default:
      return undefined;
  }
}

/** Replaces each format specifier in the literal parts by the next value (or a named one). */
function splice(
  parts: StringPart[],
  spec: RegExp,
  values: readonly TSNode[],
  named: (field: string) => TSNode | undefined,
): StringPart[] {
  const out: StringPart[] = [];
  let next = 0;
  for (const p of parts) {
    if (!('lit' in p)) {
      out.push(p);
      continue;
    }
    let last = 0;
    for (const m of p.lit.matchAll(spec)) {
      out.push({ lit: p.lit.slice(last, m.index) });
      const v = named(m[0]) ?? values[Math.min(next++, values.length - 1)];
      if (v) out.push({ expr: v });
      last = m.index! + m[0].length;
    }
    out.push({ lit: p.lit.slice(last) });
  }
  return out;
}

function pyStringParts(n: TSNode): StringPart[] {
  const out: StringPart[] = [];
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === 'string_content') out.push({ lit: c.text });
    else if (c.type === 'interpolation') {
      const e = c.childForFieldName('expression') ?? c.namedChildren[0];
      if (e) out.push({ expr: e });
    }
  }
  return out;
}

/** The literal text of a string node without quotes or prefixes (escapes are left as written). */
export function literalText(n: TSNode): string {
  if (n.type === 'string') {
    const content = n.namedChildren.filter(
      (c) => c?.type === 'string_content' || c?.type === 'string_fragment' || c?.type === 'escape_sequence',
    );
    if (content.length) return content.map((c) => c!.text).join('');
    // JS strings expose string_fragment children; an empty string has none.
    return n.text.replace(/^[a-zA-Z]*(['"]{1,3})/, '').replace(/(['"]{1,3})$/, '');
  }
  return n.text;
}

/** Value stands for "trusted configuration": read from the process environment, not from a caller. */
const ENV = '';

/**
 * The value of an expression when it is fixed when the code is written: literals, constants (names bound once to
 * a fixed value in an enclosing scope), and environment reads (`process.env.X`, `os.environ[...]`, `os.getenv`),
 * which are operator configuration, not caller input (their value is unknown and reported as an empty string).
 * Undefined when the value depends on anything else.
 */
export function staticValue(node: TSNode, facts: CodeFacts, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const n = stripAwaitAndCasts(node);
  switch (n.type) {
    case 'number':
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'null':
    case 'none':
    case 'undefined':
      return n.text;
    case 'identifier': {
      const def = definitionOf(n, facts);
      return def ? staticValue(def, facts, depth + 1) : undefined;
    }
    case 'member_expression':
    case 'subscript_expression':
    case 'attribute':
    case 'subscript':
    case 'call':
    case 'call_expression':
      if (isEnvRead(n, facts)) return ENV;
      break;
    default:
      break;
  }
  const parts = stringParts(n, depth);
  if (!parts) return undefined;
  let out = '';
  for (const p of parts) {
    if ('lit' in p) out += p.lit;
    else {
      const v = staticValue(p.expr, facts, depth + 1);
      if (v === undefined) return undefined;
      out += v;
    }
  }
  return out;
}

/** True for reads of the process environment, which hold operator configuration. */
export function isEnvRead(node: TSNode, facts: CodeFacts): boolean {
  const n = stripAwaitAndCasts(node);
  let target: TSNode | null = n;
  if (n.type === 'call' || n.type === 'call_expression') {
    const q = qualify(calleeOf(n)!, facts.aliases);
    if (q === 'os.getenv' || q === 'os.environ.get') return true;
    return false;
  }
  if (n.type === 'member_expression' || n.type === 'attribute') target = n.childForFieldName('object');
  else if (n.type === 'subscript_expression') target = n.childForFieldName('object');
  else if (n.type === 'subscript') target = n.childForFieldName('value');
  if (!target) return false;
  // The command line the operator started the server with is configuration too (`process.argv.slice(2)`).
  if (ARGV.has(qualify(n, facts.aliases) ?? '')) return true;
  const q = qualify(target, facts.aliases);
  return (
    q === 'process.env' ||
    q === 'os.environ' ||
    q === 'Deno.env' ||
    q === 'Bun.env' ||
    q === 'import.meta.env' ||
    ARGV.has(q ?? '')
  );
}

/** The process's command-line arguments: set by whoever starts the server (the operator's MCP client config). */
const ARGV = new Set(['process.argv', 'sys.argv', 'Deno.args']);

/**
 * The expression last bound to an identifier before its use, in the same function (or, for module-level names,
 * the single module-level binding), provided no enclosing function takes a parameter of the same name.
 */
export function definitionOf(ident: TSNode, facts: CodeFacts): TSNode | undefined {
  const list = facts.bindings.get(ident.text);
  if (!list) return undefined;
  const fn = enclosingFunction(ident);
  const fnId = fn ? fn.id : -1;
  const { starts, owners } = bindingOwners(list);
  const at = ident.startIndex;
  let best: TSNode | undefined;
  for (let i = 0; i < starts.length; i++) {
    if (starts[i]! >= at) break;
    if (owners[i] === fnId) best = list[i];
  }
  if (best) return valueOfBinding(best) ?? undefined;
  // A closure reading a `const` of a function around it.
  const captured = closureConstant(ident, facts);
  if (captured) return captured;
  // Fall back to a module-level name bound exactly once, unless a parameter shadows it.
  const module = list.filter((b) => !enclosingFunction(b));
  if (module.length !== 1 || list.length !== 1) return undefined;
  for (let f = fn; f; f = enclosingFunction(f)) if (hasParam(f, ident.text)) return undefined;
  return valueOfBinding(module[0]!) ?? undefined;
}

/** The start offset and enclosing function id (-1 at module level) of each binding of one name, in list order. */
interface BindingOwners {
  starts: number[];
  owners: number[];
}
const bindingOwnersOf = new WeakMap<readonly TSNode[], BindingOwners>();

/**
 * Where each binding of a name is and which function holds it, read once per list: a name bound in every handler of
 * a large server (`const p = …` in 800 tools) was otherwise compared binding by binding, through tree-sitter, at
 * each of its uses. A list that grew since is read again.
 */
function bindingOwners(list: readonly TSNode[]): BindingOwners {
  let o = bindingOwnersOf.get(list);
  if (!o || o.starts.length !== list.length) {
    o = { starts: list.map((b) => b.startIndex), owners: list.map((b) => enclosingFunction(b)?.id ?? -1) };
    bindingOwnersOf.set(list, o);
  }
  return o;
}

export { NUMERIC_SAFE } from './derived';

/**
 * True when some spliced part of a built string has a value that is not fixed (numeric conversions count as fixed,
 * and so do calls `safe` accepts: the sink family's escapers).
 */
export function hasDynamicPart(
  parts: StringPart[],
  facts: CodeFacts,
  safe: (qualified: string) => boolean = NUMERIC_SAFE,
): boolean {
  return parts.some((p) => 'expr' in p && isDynamic(p.expr, facts, safe));
}

/** The literal text of built parts, with spliced expressions replaced by a placeholder. */
export function literalSkeleton(parts: StringPart[], placeholder = '\u0000'): string {
  return parts.map((p) => ('lit' in p ? p.lit : placeholder)).join('');
}

/**
 * True when an expression's value is not fixed, ignoring parts that pass through an escaper accepted by `safe`
 * (for example `shlex.quote(x)` inside a shell command).
 */
export function isDynamic(node: TSNode, facts: CodeFacts, safe?: (qualified: string) => boolean, depth = 0): boolean {
  // A value is followed through bindings, call sites and derivations up to DYNAMIC_DEPTH steps deep, with a budget
  // of visited expressions per question: call sites fan out, and a value nobody could settle counts as dynamic.
  if (depth === 0) steps = 0;
  if (++steps > DYNAMIC_STEPS) return true;
  if (staticValue(node, facts) !== undefined) return false;
  const n = stripAwaitAndCasts(node);
  if (safe && (n.type === 'call' || n.type === 'call_expression') && safe(qualify(calleeOf(n)!, facts.aliases) ?? ''))
    return false;
  if (depth >= DYNAMIC_DEPTH) return true;
  const branches = conditionalBranches(n);
  // `isWindows ? "tasklist" : "ps aux"` is fixed whichever way the condition goes.
  if (branches) return branches.some((b) => isDynamic(b, facts, safe, depth + 1));
  if (n.type === 'identifier') {
    // Checked against an anchored pattern of safe characters, and not rebound since: no syntax can be in it.
    const tested = facts.lang === 'js' ? safePatternTestBefore(n, facts) : undefined;
    if (
      tested !== undefined &&
      !facts.bindings.get(n.text)?.some((b) => b.startIndex > tested && b.startIndex < n.startIndex)
    )
      return false;
    // Follow a local variable to its value: `const n = parseInt(id)` is as safe as the call itself.
    const def = definitionOf(n, facts);
    const loop = loopOver(n);
    // A loop variable takes each element of what it iterates over, unless the body rebinds it before this use.
    if (loop && !(def && def.startIndex > loop.startIndex))
      return elementsDynamic(loop.iterable, facts, safe, depth + 1);
    if (def) return isDynamic(def, facts, safe, depth + 1);
    // A parameter typed `number` holds no text; a callback's element parameter is as fixed as the collection.
    if (numericParam(n)) return false;
    const collection = callbackCollection(n);
    if (collection) return elementsDynamic(collection, facts, safe, depth + 1);
    // A parameter of a file-private helper is as fixed as every argument the file passes to it.
    const args = argumentsForParameter(n, facts);
    return !args || args.some((a) => isDynamic(a, facts, safe, depth + 1));
  }
  const derived = derivedDynamic(n, facts, (x) => isDynamic(x, facts, safe, depth + 1));
  if (derived !== undefined) return derived;
  const parts = stringParts(n);
  if (!parts) return true;
  return parts.some((p) => 'expr' in p && isDynamic(p.expr, facts, safe, depth + 1));
}

/** How deep isDynamic follows a value (a start-up argument reaches a helper's shell line through a dozen steps). */
const DYNAMIC_DEPTH = 24;
/** How many expressions one isDynamic question may visit. */
const DYNAMIC_STEPS = 400;
let steps = 0;

/** The two possible values of a conditional expression (JS `c ? a : b`, Python `a if c else b`), if it is one. */
function conditionalBranches(n: TSNode): [TSNode, TSNode] | undefined {
  if (n.type === 'ternary_expression') {
    const a = n.childForFieldName('consequence');
    const b = n.childForFieldName('alternative');
    return a && b ? [a, b] : undefined;
  }
  if (n.type === 'conditional_expression') {
    // Python: `consequence if condition else alternative`, children in that order.
    const [a, , b] = n.namedChildren;
    return a && b ? [a, b] : undefined;
  }
  return undefined;
}

const LOOP_TYPES = ['for_in_statement', 'for_statement'];

/** The loop that binds `ident` as its element variable (`for (const x of xs)`, `for x in xs:`), with its iterable. */
function loopOver(ident: TSNode): { startIndex: number; iterable: TSNode } | undefined {
  for (const p of ancestorsOfType(ident, LOOP_TYPES)) {
    const isJsOf = p.type === 'for_in_statement' && p.children.some((c) => c?.type === 'of');
    if (!isJsOf && p.type !== 'for_statement') continue;
    const left = p.childForFieldName('left');
    const right = p.childForFieldName('right');
    if (left?.type === 'identifier' && left.text === ident.text && right && left.id !== ident.id)
      return { startIndex: p.startIndex, iterable: right };
  }
  return undefined;
}

/**
 * True when some element of an iterable may not be fixed. Array and list literals, constants bound to them and
 * conditionals choosing between them are read element by element; anything else counts as dynamic.
 */
function elementsDynamic(
  node: TSNode,
  facts: CodeFacts,
  safe: ((qualified: string) => boolean) | undefined,
  depth: number,
): boolean {
  if (depth >= DYNAMIC_DEPTH) return true;
  const n = stripAwaitAndCasts(node);
  if (n.type === 'array' || n.type === 'list' || n.type === 'tuple') {
    return n.namedChildren.some((c) => !!c && c.type !== 'comment' && isDynamic(c, facts, safe, depth + 1));
  }
  const branches = conditionalBranches(n);
  if (branches) return branches.some((b) => elementsDynamic(b, facts, safe, depth + 1));
  if (n.type === 'identifier') {
    const def = definitionOf(n, facts);
    if (def) return elementsDynamic(def, facts, safe, depth + 1);
  }
  // A fixed collection has fixed elements (`process.argv.slice(2)`).
  return isDynamic(n, facts, safe, depth + 1);
}
