import type { Category, RuleMeta } from '../../shared/types';
import type { ReportFinding } from './model';

/**
 * The fix line of a category, for findings of rules that carry none (custom project rules, whose authors write a
 * message but no fix). Shipped rules all have their own line (server/rules/fixes.ts).
 */
const CATEGORY_FIX: Record<Category, string> = {
  secret:
    'Rotate the credential (treat it as leaked), delete it from the file, and read it from the environment or a secret manager.',
  'command-injection':
    'Run a fixed program with an argument list and no shell, and check each value against an allowlist.',
  'code-injection': 'Do not evaluate input as code: parse it as data or map it to fixed functions.',
  'path-traversal': 'Resolve the path against a fixed base folder and reject it unless it stays inside.',
  ssrf: 'Check the URL against an allowlist of hosts before the request.',
  'sql-injection': 'Pass values as query parameters instead of building the SQL text.',
  'unsafe-deserialization': 'Parse untrusted input as plain data (JSON, yaml.safe_load).',
  'prompt-injection': 'Remove the instruction aimed at the model from the text.',
  'tool-poisoning': 'Describe the tool plainly and remove instructions aimed at the model.',
  'hidden-unicode': 'Delete the invisible characters.',
  'insecure-config': 'Change the setting to its secure form.',
  'sensitive-file-access': 'Limit access to the files the server needs.',
  'weak-crypto': 'Use a vetted primitive from the platform’s crypto library.',
  'supply-chain': 'Pin the exact version or digest and update it deliberately.',
  'deployment-hardening': 'Apply the least-privilege setting for the container.',
  capability: 'Informational: confirm the tool needs this power.',
  other: 'See the rule’s documentation.',
};

/** The fix line a report prints for a finding of this rule (its own, else its category's). */
export function fixLine(category: Category, meta: RuleMeta | undefined): string {
  return meta?.fix ?? CATEGORY_FIX[category] ?? CATEGORY_FIX.other;
}

/**
 * Adds each finding's fix line and documentation link from the rules that ran, so every format (and `merge`, which
 * reads them back from JSON) carries the same self-serve help without looking the rule up again.
 */
export function withHelp(findings: ReportFinding[], rules: readonly RuleMeta[]): ReportFinding[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  for (const f of findings) {
    const meta = byId.get(f.ruleId);
    f.fix = fixLine(f.category, meta);
    if (meta?.helpUri) f.helpUri = meta.helpUri;
  }
  return findings;
}

/**
 * Where a person reads more about a finding's rule: its https page when the report has one, else the command that
 * prints the page wherever the tool is installed (a path relative to the package means nothing in a terminal).
 */
export function docPointer(f: Pick<ReportFinding, 'ruleId' | 'helpUri'>): string {
  return f.helpUri?.startsWith('https://') ? f.helpUri : `mcp-sentinel explain ${f.ruleId}`;
}
