import type { DetectContext } from '../../core/rule';
import { codeFactsOf, type CodeFacts } from './facts';
import { jsSinks } from './js';
import { pySinks } from './python';
import type { Sink } from './types';

export type { Sink, SinkFamily } from './types';
export { codeFactsOf, type CodeFacts } from './facts';

/**
 * Literal SQL text: a statement keyword followed later by a clause keyword, or a statement that starts the text.
 * Written in the syntax shared by RE2 and JS (no lookaround).
 */
const SQL_LIKE =
  '(?:\\b(?:select|delete)\\b[\\s\\S]*\\bfrom\\b)|(?:\\binsert\\s+(?:or\\s+\\w+\\s+)?into\\b)|(?:\\bupdate\\b[\\s\\S]*\\bset\\b)|(?:\\b(?:create|drop|alter|truncate)\\s+(?:temp\\w*\\s+)?(?:table|index|view|database|schema)\\b)|(?:\\bwhere\\b[\\s\\S]*(?:=|\\blike\\b|\\bin\\b))|(?:^\\s*(?:select|with|pragma)\\b)';

/** Every dangerous sink in the document, found in one pass over its calls and memoised for all rules. */
export function sinksOf(ctx: DetectContext): { facts: CodeFacts; sinks: Sink[] } | undefined {
  const facts = codeFactsOf(ctx);
  if (!facts) return undefined;
  return ctx.memo('injection:sinks', () => {
    const sql = ctx.re(SQL_LIKE, 'i');
    const sqlLike = (s: string) => sql.test(s);
    return { facts, sinks: facts.lang === 'js' ? jsSinks(facts, sqlLike) : pySinks(facts, sqlLike) };
  });
}
