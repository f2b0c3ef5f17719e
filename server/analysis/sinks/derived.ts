import { calleeOf, positionalArgs, propertyName, receiverOf } from '../ast';
import type { TSNode } from '../parse';
import { NUMERIC_MEMBERS, PROPAGATORS, STRING_METHODS } from '../taint/models';
import { configMember } from './callSites';
import { qualify, type CodeFacts } from './facts';

/**
 * Values derived from other values, for the "is this value fixed?" question of values.ts (`isDynamic`): numbers,
 * the host's own state, members and elements, and the results of functions that only carry their inputs. Kept apart
 * from values.ts so that the tables of what carries fixedness sit in one place.
 */

/** Numeric conversions: their result cannot carry SQL or shell syntax. */
export const NUMERIC_SAFE = (q: string) =>
  /^(?:parseInt|parseFloat|Number|Number\.parseInt|Number\.parseFloat|int|float|len|Math\.\w+)$/.test(q);

/** Calls whose result is the host's or the process's own state, chosen by nobody who talks to the server. */
const OPERATOR_CALLS = new Set([
  'os.homedir',
  'os.tmpdir',
  'os.platform',
  'os.hostname',
  'os.arch',
  'process.cwd',
  'Date.now',
  'os.getcwd',
  'tempfile.gettempdir',
  'pathlib.Path.home',
]);

/** Arithmetic and bitwise operators: their result is a number whatever the operands. */
const NUMERIC_OPERATORS = /^(?:-|\*|\/|%|\*\*|&|\||\^|<<|>>|>>>)$/;

/**
 * Whether a value derived from others is dynamic, judged by `rec` on what it is derived from, or undefined when
 * the expression is not such a derivation: a number (`.length`, arithmetic, a numeric conversion), the host's own
 * state (`os.homedir()`), a member or element of a fixed value, a configuration constant's member, and the result
 * of a function or string method that only carries its inputs (`path.join`, `realpath`, `.slice`, `.toUpperCase`:
 * the tables of taint/models.ts) is fixed when its inputs are.
 */
export function derivedDynamic(n: TSNode, facts: CodeFacts, rec: (x: TSNode) => boolean): boolean | undefined {
  switch (n.type) {
    case 'regex':
      return false;
    case 'member_expression': {
      if (NUMERIC_MEMBERS.has(n.childForFieldName('property')?.text ?? '')) return false;
      const config = configMember(n, facts);
      if (config) return rec(config);
      const obj = n.childForFieldName('object');
      return obj && obj.type !== 'this' ? rec(obj) : undefined;
    }
    case 'subscript_expression': {
      const obj = n.childForFieldName('object');
      const idx = n.childForFieldName('index');
      return obj && idx ? rec(obj) || rec(idx) : undefined;
    }
    case 'binary_expression':
      return NUMERIC_OPERATORS.test(n.childForFieldName('operator')?.text ?? '') ? false : undefined;
    case 'call_expression':
    case 'call': {
      const callee = calleeOf(n);
      if (!callee) return undefined;
      const q = qualify(callee, facts.aliases) ?? '';
      if (NUMERIC_SAFE(q) || OPERATOR_CALLS.has(q)) return false;
      const args = positionalArgs(n);
      const recv = receiverOf(n);
      const name = propertyName(callee) ?? '';
      if (PROPAGATORS.has(q) || (PROPAGATORS.has(name) && !recv)) return args.some(rec);
      if (recv && STRING_METHODS.has(name)) return rec(recv) || args.some(rec);
      return undefined;
    }
    default:
      return undefined;
  }
}
