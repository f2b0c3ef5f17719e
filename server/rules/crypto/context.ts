// What the weak-crypto rules share: how a value's purpose is read from the names around it. A hash, a random
// number or a comparison is only a weakness when what it protects is a secret, and code says so in its names
// (`password`, `sessionToken`, `api_key`), not in its types.
import { ancestor, FUNCTION_TYPES } from '../../analysis/ast';
import type { TSNode } from '../../analysis/parse';

/** Words that name a secret a weak primitive must not produce or protect. */
const SECRET_WORDS =
  /(?:^|[^a-z])(?:pass(?:word|wd|phrase)?|pwd|secret|token|api_?key|apikey|credential|session(?:_?id)?|nonce|otp|csrf|salt|signature|private_?key|auth_?code|reset_?code|verification_?code|pin)(?:[^a-z]|$)/i;

/** Words that name a password: what a fast hash, salted or not, must never store. */
const PASSWORD_WORDS = /(?:^|[^a-z])(?:pass(?:word|wd|phrase)?|pwd)(?:[^a-z]|$)/i;

/** Splits camelCase so `sessionToken` reads as `session_Token` for the word patterns above. */
function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
}

/** True when a name or expression text names a secret. */
export function namesSecret(text: string): boolean {
  return SECRET_WORDS.test(words(text));
}

/** True when a name or expression text names a password. */
export function namesPassword(text: string): boolean {
  return PASSWORD_WORDS.test(words(text));
}

/**
 * The name a value is given where it is produced: the variable, attribute or object key it is assigned to, else the
 * function it is returned from. Undefined when the value goes nowhere named (an argument, a bare expression).
 */
export function destinationName(node: TSNode): string | undefined {
  let n: TSNode = node;
  for (let steps = 0; n.parent && steps < 8; steps++) {
    const p: TSNode = n.parent;
    switch (p.type) {
      case 'variable_declarator':
        return p.childForFieldName('name')?.text;
      case 'assignment_expression':
      case 'assignment':
      case 'augmented_assignment':
        return p.childForFieldName('left')?.text;
      case 'pair':
        return p.childForFieldName('key')?.text;
      case 'return_statement': {
        const fn = ancestor(p, (a) => FUNCTION_TYPES.has(a.type));
        return fn?.childForFieldName('name')?.text ?? (fn && destinationName(fn));
      }
      case 'arguments':
      case 'argument_list':
        // A conversion passes the value on (`str(uuid1())`, `String(Math.random())`); any other call consumes it.
        if (!isConversion(p.parent)) return undefined;
        break;
      case 'expression_statement':
      case 'statement_block':
      case 'block':
        return undefined;
    }
    // An arrow function's expression body is its return value.
    if (p.type === 'arrow_function' && p.childForFieldName('body')?.id === n.id) return destinationName(p);
    n = p;
  }
  return undefined;
}

/** Calls that only convert or join their argument, so the value keeps its purpose through them. */
const CONVERSIONS = new Set(['str', 'String', 'int', 'hex', 'repr', 'bytes', 'Number', 'parseInt']);

function isConversion(call: TSNode | null): boolean {
  const callee = call?.childForFieldName('function');
  if (!callee) return false;
  return CONVERSIONS.has(callee.text) || /\.join$/.test(callee.text);
}
