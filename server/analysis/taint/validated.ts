import { calleeOf, positionalArgs, propertyName, receiverOf, stripAwaitAndCasts, stripQuotes } from '../ast';
import type { McpEntity } from '../mcp/types';
import type { TSNode } from '../parse';
import { SAFE_ZOD_PATTERN, ZOD_CLOSED } from './models';

/**
 * Tool parameters whose declared schema lets only safe values through: the SDK validates the arguments against the
 * schema before the handler runs, so a parameter declared `z.enum(["json", "text"])`, `z.number()`,
 * `z.string().regex(/^[a-z0-9-]+$/)` or, in JSON Schema, `{ "enum": [...] }` / `{ "type": "integer" }` cannot carry
 * a command, a path or a URL. (Python's twin, parameters typed `int`, `bool` or `Literal[...]`, is read from the
 * signature in index.ts.)
 */

/** The names of an entity's parameters that its schema confines to safe values (JS/TS sources). */
export function closedParams(e: McpEntity, root: TSNode): Set<string> {
  const out = new Set<string>();
  for (const p of e.params) {
    const key = root.descendantForIndex(p.nameSpan.start, p.nameSpan.end);
    // The name is a `key: schema` pair's key (possibly inside the key's string node).
    let pair: TSNode | null = key;
    for (let i = 0; pair && pair.type !== 'pair' && i < 3; i++) pair = pair.parent;
    const value = pair?.type === 'pair' ? pair.childForFieldName('value') : null;
    if (value && closedSchema(value)) out.add(p.name);
  }
  return out;
}

/** True for a zod chain or JSON Schema object that admits only numbers, booleans, fixed literals or safe words. */
function closedSchema(node: TSNode): boolean {
  let n: TSNode | undefined = stripAwaitAndCasts(node);
  if (n.type === 'object') return closedJsonSchema(n);
  for (let i = 0; n && n.type === 'call_expression' && i < 20; i++) {
    const callee = calleeOf(n);
    const name = callee ? propertyName(callee) : undefined;
    if (!name) return false;
    if (ZOD_CLOSED.has(name)) return true;
    if (name === 'regex') {
      const re = positionalArgs(n)[0];
      const pattern = re?.type === 'regex' ? re.childForFieldName('pattern')?.text : undefined;
      if (pattern && SAFE_ZOD_PATTERN.test(pattern)) return true;
    }
    n = receiverOf(n);
  }
  return false;
}

/** A JSON Schema property: `enum`, `const`, a number/integer/boolean type, or a safe `pattern`. */
function closedJsonSchema(obj: TSNode): boolean {
  for (const c of obj.namedChildren) {
    if (c?.type !== 'pair') continue;
    const k = stripQuotes(c.childForFieldName('key')?.text ?? '');
    const v = c.childForFieldName('value');
    if (!v) continue;
    if (k === 'enum' || k === 'const') return true;
    if (k === 'type' && /^(?:number|integer|boolean)$/.test(stripQuotes(v.text))) return true;
    if (k === 'pattern' && v.type === 'string' && SAFE_ZOD_PATTERN.test(stripQuotes(v.text).replace(/\\\\/g, '\\')))
      return true;
  }
  return false;
}
