import { calleeOf, enclosingFunction, positionalArgs, propertyName, receiverOf, stripAwaitAndCasts } from '../ast';
import type { TSNode } from '../parse';
import { valueOfBinding, type CodeFacts } from './facts';

/**
 * Where a value without a local binding comes from, for the "is this value fixed?" question of values.ts: the
 * arguments every call site passes for a parameter (or its default), the collection a callback's element parameter
 * walks, the constant a `const` of an enclosing function holds, and the member of a configuration object. Each
 * answer is a set of expressions the caller judges in turn; undefined means "unknown", which the caller treats as
 * dynamic.
 */

/** True when the function `fn` declares a parameter named `name` (destructured names included). */
export function hasParam(fn: TSNode, name: string): boolean {
  return paramNode(fn, name) !== undefined;
}

/** The node declaring parameter `name` of `fn` (the identifier), if any. */
function paramNode(fn: TSNode, name: string): TSNode | undefined {
  const params = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!params) return undefined;
  // A loop over a stack rather than recursion: destructuring patterns nest as deep as the source makes them.
  const stack: TSNode[] = [params];
  while (stack.length) {
    const n = stack.pop()!;
    if ((n.type === 'identifier' || n.type === 'shorthand_property_identifier_pattern') && n.text === name) return n;
    for (const c of n.namedChildren) if (c && c.type !== 'type_annotation' && c.type !== 'type') stack.push(c);
  }
  return undefined;
}

/** The innermost function around `ident` that declares it as a parameter. */
export function declaringFunction(ident: TSNode): TSNode | undefined {
  let fn = enclosingFunction(ident);
  while (fn && !hasParam(fn, ident.text)) fn = enclosingFunction(fn);
  return fn;
}

/** The top-level parameters of a function, in order (comments left out). */
function topParams(fn: TSNode): TSNode[] {
  const params = fn.childForFieldName('parameters');
  if (params) return params.namedChildren.filter((c): c is TSNode => !!c && c.type !== 'comment');
  const single = fn.childForFieldName('parameter');
  return single ? [single] : [];
}

/** The name a top-level parameter binds (`x`, `x = 1`, `x: number`), when it is a plain name. */
function paramName(p: TSNode): string | undefined {
  const n = p.type === 'identifier' ? p : (p.childForFieldName('pattern') ?? p.childForFieldName('left'));
  return n?.type === 'identifier' ? n.text : undefined;
}

/**
 * True when a TypeScript parameter is declared `number`, `bigint` or `boolean` (`port: number`): the compiler keeps
 * a string out, so the value cannot carry shell or SQL syntax.
 */
export function numericParam(ident: TSNode): boolean {
  const fn = declaringFunction(ident);
  if (!fn) return false;
  const p = topParams(fn).find((x) => paramName(x) === ident.text);
  const type = p?.childForFieldName('type')?.text.replace(/^:\s*/, '');
  return !!type && /^(?:number|bigint|boolean)$/.test(type);
}

/**
 * The arguments every call in the file passes for the parameter `ident` names, when that parameter belongs to a
 * JS/TS `function name(…)` declaration that cannot be called from anywhere else: not exported, and its name
 * appears in the file only in the declaration and as the callee of those calls (so it is never handed out as a
 * value, exported by `module.exports`, or passed as a callback). A call that passes fewer arguments gives the
 * parameter's default (`port = config.defaultPort`). Undefined when that cannot be established, when a call
 * spreads its arguments or omits one without a default, or when the file never calls the function.
 */
export function argumentsForParameter(ident: TSNode, facts: CodeFacts): TSNode[] | undefined {
  if (facts.lang !== 'js') return undefined;
  const fn = declaringFunction(ident);
  if (!fn || fn.type !== 'function_declaration' || fn.parent?.type === 'export_statement') return undefined;
  const name = fn.childForFieldName('name')?.text;
  if (!name) return undefined;
  const params = topParams(fn);
  const position = params.findIndex((c) => paramName(c) === ident.text);
  if (position < 0) return undefined;
  const declared = params[position]!;
  const fallback = declared.type === 'assignment_pattern' ? declared.childForFieldName('right') : null;
  const calls = facts.calls.filter(
    (c) => c.type === 'call_expression' && calleeOf(c)?.type === 'identifier' && calleeOf(c)!.text === name,
  );
  if (calls.length === 0 || wordOccurrences(facts.root.text, name) !== calls.length + 1) return undefined;
  const out: TSNode[] = [];
  for (const c of calls) {
    const args = positionalArgs(c);
    if (args.some((a) => a.type === 'spread_element')) return undefined;
    const a = args[position] ?? fallback;
    if (!a) return undefined;
    out.push(a);
  }
  return out;
}

/** Array methods that call their callback with each element of the receiver as the first argument. */
const ELEMENT_CALLBACKS = new Set(['map', 'forEach', 'filter', 'flatMap', 'some', 'every', 'find', 'findIndex']);

/**
 * The collection whose elements the parameter `ident` takes, when it is the first parameter of a callback passed
 * first to an array method (`argv.map(async (p) => …)`): the caller judges the collection's elements.
 */
export function callbackCollection(ident: TSNode): TSNode | undefined {
  const fn = declaringFunction(ident);
  if (!fn || (fn.type !== 'arrow_function' && fn.type !== 'function_expression' && fn.type !== 'function'))
    return undefined;
  if (paramName(topParams(fn)[0] ?? fn) !== ident.text) return undefined;
  const args = fn.parent;
  const call = args?.type === 'arguments' ? args.parent : undefined;
  if (!call || call.type !== 'call_expression' || positionalArgs(call)[0]?.id !== fn.id) return undefined;
  const callee = calleeOf(call);
  return callee && ELEMENT_CALLBACKS.has(propertyName(callee) ?? '') ? receiverOf(call) : undefined;
}

/**
 * The value of a `const` bound in a function around the one using `ident` (a closure reading its parent's
 * constant: `const drive = …; async function probe() { exec(`… ${drive}`) }`). A `const` cannot be rebound, so
 * the value the closure sees is the one bound, whenever it runs. Undefined when a function in between declares a
 * parameter of that name or no such `const` exists.
 */
export function closureConstant(ident: TSNode, facts: CodeFacts): TSNode | undefined {
  const list = facts.bindings.get(ident.text);
  if (!list) return undefined;
  const inner = enclosingFunction(ident);
  if (!inner) return undefined;
  for (let fn = enclosingFunction(inner); fn; fn = enclosingFunction(fn)) {
    const b = list.find(
      (x) =>
        enclosingFunction(x)?.id === fn!.id && x.type === 'variable_declarator' && x.parent?.child(0)?.text === 'const',
    );
    if (b) return valueOfBinding(b) ?? undefined;
    if (hasParam(fn, ident.text)) return undefined;
  }
  return undefined;
}

/**
 * The value of `obj.key` when `obj` is a module-level name bound once to an object literal with that key, and no
 * assignment in the file writes a member of it (`var mcpConfig = { defaultWsPort: 9009 }`): the server's own
 * configuration constant.
 */
export function configMember(n: TSNode, facts: CodeFacts): TSNode | undefined {
  if (n.type !== 'member_expression') return undefined;
  const obj = n.childForFieldName('object');
  const key = n.childForFieldName('property')?.text;
  if (obj?.type !== 'identifier' || !key) return undefined;
  const list = facts.bindings.get(obj.text);
  if (list?.length !== 1 || enclosingFunction(list[0]!)) return undefined;
  const lit = valueOfBinding(list[0]!);
  if (!lit || stripAwaitAndCasts(lit).type !== 'object') return undefined;
  const written = facts.assignments.some((a) => {
    const left = a.childForFieldName('left')?.text ?? '';
    return left.startsWith(obj.text + '.') || left.startsWith(obj.text + '[');
  });
  if (written) return undefined;
  for (const c of stripAwaitAndCasts(lit).namedChildren) {
    if (c?.type !== 'pair') continue;
    const k = c.childForFieldName('key');
    if (k && k.text.replace(/^['"]|['"]$/g, '') === key) return c.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** How many times `word` occurs in `text` as a whole identifier (not inside a longer name). */
function wordOccurrences(text: string, word: string): number {
  const isIdent = (ch: string | undefined) => !!ch && /[A-Za-z0-9_$]/.test(ch);
  let n = 0;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) {
    if (!isIdent(text[i - 1]) && !isIdent(text[i + word.length])) n++;
  }
  return n;
}
