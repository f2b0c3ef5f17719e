import type { TSNode } from '../parse';
import { valueOfBinding, type CodeFacts } from '../sinks/facts';

/**
 * The functions and methods a file defines, by name, for the guards that ask what a helper called as a statement
 * does (`this.validateUrl(url);` guards only if `validateUrl` throws). Read once per document and only when a
 * handler calls a helper named like a validator.
 */

const cache = new WeakMap<CodeFacts, Map<string, TSNode[]>>();

/** The node types that declare a named function or method, both languages. */
const DECLARATIONS = ['function_declaration', 'method_definition', 'function_definition'];

/** The bodies of the functions and methods named `name` in the document (declarations, methods, `const f = () => …`). */
export function definitionsOf(facts: CodeFacts, name: string): TSNode[] {
  let byName = cache.get(facts);
  if (!byName) {
    byName = new Map();
    for (const d of facts.root.descendantsOfType(DECLARATIONS)) {
      const n = d?.childForFieldName('name')?.text;
      const body = d?.childForFieldName('body');
      if (!n || !body) continue;
      const list = byName.get(n);
      if (list) list.push(body);
      else byName.set(n, [body]);
    }
    cache.set(facts, byName);
  }
  const out = [...(byName.get(name) ?? [])];
  // A function bound to a name: `const validateUrl = (u) => { … }`.
  for (const b of facts.bindings.get(name) ?? []) {
    const v = valueOfBinding(b);
    if (v && (v.type === 'arrow_function' || v.type === 'function_expression' || v.type === 'function')) {
      const body = v.childForFieldName('body');
      if (body) out.push(body);
    }
  }
  return out;
}
