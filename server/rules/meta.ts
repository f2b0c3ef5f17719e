/**
 * The meta rules: findings about suppressions themselves (no reason, unused, malformed, expired ignore entries).
 * They have metadata, so the rule list, the docs and SARIF define them, but no detector: the suppression pass
 * (server/engine/suppress/apply.ts) produces their findings, and their empty `kinds` keeps the engine from running
 * them on documents.
 */
import type { Severity } from '../../shared/types';
import type { Rule } from '../core/rule';

/**
 * The directive keyword; `-file` appended makes it file-wide. It lives with the meta rules because their
 * documentation and keywords name it; the directive grammar (server/engine/suppress/directives.ts) reads it here.
 */
export const DIRECTIVE = 'mcp-sentinel-ignore';

/** The file-wide form of the directive keyword. */
export const FILE_DIRECTIVE = `${DIRECTIVE}-file`;

function metaRule(id: string, title: string, description: string, severity: Severity, docs: string): Rule {
  return {
    id,
    title,
    description,
    category: 'other',
    severity,
    cwe: [],
    owasp: [],
    kinds: [],
    keywords: [DIRECTIVE],
    docs,
    detect: () => [],
    positive: [],
    negative: [],
  };
}

/** A suppression comment without a reason. */
export const SUPPRESSION_WITHOUT_REASON = 'mcp-sentinel-suppression-without-reason';
/** A suppression comment that suppresses nothing. */
export const UNUSED_SUPPRESSION = 'mcp-sentinel-unused-suppression';
/** A suppression comment that cannot be understood (no rule id, unknown rule id, missing colon). */
export const INVALID_SUPPRESSION = 'mcp-sentinel-invalid-suppression';
/** An ignore-list entry past its `expires` date. */
export const EXPIRED_IGNORE = 'mcp-sentinel-expired-ignore';

/** The meta rules; `openProject` adds them to the engine so overrides and reports know them. */
export const metaRules: readonly Rule[] = [
  metaRule(
    SUPPRESSION_WITHOUT_REASON,
    'Suppression without a reason',
    'A suppression comment gives no reason, so nobody can later tell whether the hidden finding is still acceptable.',
    'low',
    `Write the reason after a colon: \`// ${DIRECTIVE} <rule-id>: <why this is safe>\`. The finding stays suppressed; this note stays until a reason is given.`,
  ),
  metaRule(
    UNUSED_SUPPRESSION,
    'Unused suppression',
    'A suppression comment suppresses no finding, so it only hides whatever the rule may report there in the future.',
    'low',
    'The rule no longer reports anything on the line (or in the file) the comment covers. Remove the comment.',
  ),
  metaRule(
    INVALID_SUPPRESSION,
    'Malformed suppression',
    'A suppression comment names no rule, an unknown rule or is missing its colon, so it suppresses nothing although it looks as if it did.',
    'low',
    `The grammar is \`${DIRECTIVE} <rule-id>[, <rule-id>…]: <reason>\` (or \`${FILE_DIRECTIVE}\`), at the start of a comment.`,
  ),
  metaRule(
    EXPIRED_IGNORE,
    'Expired ignore entry',
    'An ignore-list entry is past its expiry date and no longer suppresses anything, so the findings it covered are reported again.',
    'low',
    'Fix the findings, or, if they are still acceptable, renew the entry with a new `expires` date and an up-to-date reason.',
  ),
];
