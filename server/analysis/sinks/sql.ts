import { stripAwaitAndCasts } from '../ast';
import type { TSNode } from '../parse';
import type { CodeFacts } from './facts';
import type { Sink } from './types';
import { ESCAPERS } from '../taint/models';
import { definitionOf, hasDynamicPart, literalSkeleton, NUMERIC_SAFE, stringParts, type StringPart } from './values';

/**
 * SQL sinks, shared by the JS and Python finders: the query text is read through a local variable it was built in,
 * and judged by what it is built from (`values.ts`) and whether it looks like SQL.
 */

/** The parts of a SQL argument: the expression itself, or the string a local variable was built as. */
export function sqlParts(arg: TSNode, facts: CodeFacts): StringPart[] | undefined {
  const a = stripAwaitAndCasts(arg);
  const direct = stringParts(a);
  if (direct) return direct;
  if (a.type === 'identifier') {
    const def = definitionOf(a, facts);
    return def ? stringParts(def) : undefined;
  }
  return undefined;
}

/**
 * Spliced values that cannot carry SQL syntax: numbers, and values through an SQL escaper or identifier quoter of
 * the one table (taint/models.ts `ESCAPERS.sql`), e.g. `PRAGMA table_info(${quoteIdentifier(name)})`.
 */
const SQL_SAFE = (q: string) => NUMERIC_SAFE(q) || ESCAPERS.sql.test(q);

/**
 * The SQL sink of a query call, shared by the JS and Python finders: reported when the SQL is built from
 * non-literal parts around SQL-looking text, or when the method and receiver make it certainly a database call
 * (`strict`), in which case a tool parameter reaching it is reported even if the SQL looks plain.
 */
export function sqlSink(
  call: TSNode,
  method: string,
  arg: TSNode,
  strict: boolean,
  facts: CodeFacts,
  sqlLike: (s: string) => boolean,
): Sink | undefined {
  const parts = sqlParts(arg, facts);
  const dynamic = !!parts && hasDynamicPart(parts, facts, SQL_SAFE) && sqlLike(literalSkeleton(parts, ' '));
  if (!dynamic && !strict) return undefined;
  return {
    call,
    family: 'sql',
    api: `.${method}()`,
    args: [arg],
    dynamicArg: dynamic ? arg : undefined,
    reportTainted: strict,
  };
}
