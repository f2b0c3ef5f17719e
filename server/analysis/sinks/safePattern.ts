import { calleeOf, positionalArgs, propertyName, receiverOf, stripAwaitAndCasts } from '../ast';
import type { TSNode } from '../parse';
import type { CodeFacts } from './facts';
import { SAFE_ZOD_PATTERN } from '../taint/models';

/**
 * Values checked against an anchored pattern of safe characters before they are used (`if (/^[a-z0-9-]+$/.test(name))
 * exec(`git checkout ${name}`)`, or `if (!/^\d+$/.test(pid)) return; exec(`kill ${pid}`)`): such a value holds no
 * shell or SQL syntax, whoever chose it. JavaScript only; the pattern must be a regex literal accepted by
 * `SAFE_ZOD_PATTERN` (anchored both ends, character classes without "any").
 */

/**
 * Where a safe-pattern test of the same name has passed before `ident` is used (the test's start offset), or
 * undefined. The caller checks that the name is not rebound between the test and the use.
 */
export function safePatternTestBefore(ident: TSNode, facts: CodeFacts): number | undefined {
  // The ancestor walk asks tree-sitter for parents, which descends from the root each time: only names some safe
  // pattern tests anywhere in the file are walked (a 10,000-branch dispatcher has 10,000 sinks and no such test).
  if (!testedNames(facts).has(ident.text)) return undefined;
  let child: TSNode = ident;
  for (let p = ident.parent; p; child = p, p = p.parent) {
    if (FUNCTION_TYPES.has(p.type)) return undefined;
    // Inside the consequence of `if (RE.test(x) && …)`.
    if (p.type === 'if_statement' && p.childForFieldName('consequence')?.id === child.id) {
      const cond = p.childForFieldName('condition');
      if (cond && conjuncts(cond).some((c) => safeTest(c, ident.text))) return cond.startIndex;
    }
    // After `if (!RE.test(x)) return / throw …` earlier in the same block.
    if (p.type === 'statement_block' || p.type === 'program') {
      for (const s of p.namedChildren) {
        if (!s || s.startIndex >= child.startIndex) break;
        if (s.type !== 'if_statement' || s.childForFieldName('alternative')) continue;
        const cond = s.childForFieldName('condition');
        const body = s.childForFieldName('consequence');
        if (!cond || !body || !exits(body)) continue;
        const c = unwrap(cond);
        if (c.type === 'unary_expression' && c.childForFieldName('operator')?.text === '!') {
          const arg = c.childForFieldName('argument');
          if (arg && safeTest(unwrap(arg), ident.text)) return s.startIndex;
        }
      }
    }
  }
  return undefined;
}

const tested = new WeakMap<CodeFacts, Set<string>>();

/** The names a safe pattern tests somewhere in the document (`/^\w+$/.test(name)`), read once per document. */
function testedNames(facts: CodeFacts): Set<string> {
  let out = tested.get(facts);
  if (!out) {
    out = new Set();
    for (const c of facts.calls) {
      const arg = c.type === 'call_expression' ? positionalArgs(c)[0] : undefined;
      if (arg?.type === 'identifier' && safeTest(c, arg.text)) out.add(arg.text);
    }
    tested.set(facts, out);
  }
  return out;
}

const FUNCTION_TYPES = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
]);

/** Strips parentheses (`if (…)` wraps its condition in a parenthesized_expression). */
function unwrap(n: TSNode): TSNode {
  let x = n;
  while (x.type === 'parenthesized_expression' && x.namedChildren[0]) x = x.namedChildren[0];
  return x;
}

/** The operands of a chain of `&&`, each unwrapped. */
function conjuncts(n: TSNode): TSNode[] {
  const x = unwrap(n);
  if (x.type === 'binary_expression' && x.childForFieldName('operator')?.text === '&&') {
    const l = x.childForFieldName('left');
    const r = x.childForFieldName('right');
    return [...(l ? conjuncts(l) : []), ...(r ? conjuncts(r) : [])];
  }
  return [x];
}

/** True for `/safe/.test(name)` on exactly the name. */
function safeTest(n: TSNode, name: string): boolean {
  if (n.type !== 'call_expression') return false;
  const callee = calleeOf(n);
  if (!callee || propertyName(callee) !== 'test') return false;
  const re = receiverOf(n);
  const pattern = re && stripAwaitAndCasts(re).type === 'regex' ? re.childForFieldName('pattern')?.text : undefined;
  const arg = positionalArgs(n)[0];
  return !!pattern && SAFE_ZOD_PATTERN.test(pattern) && arg?.type === 'identifier' && arg.text === name;
}

/** True when a block always leaves: its last statement returns, throws, continues or breaks. */
function exits(body: TSNode): boolean {
  const last =
    body.type === 'statement_block' ? body.namedChildren.filter((c) => c && c.type !== 'comment').pop() : body;
  return !!last && /^(?:return|throw|continue|break)_statement$/.test(last.type);
}
