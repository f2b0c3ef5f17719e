/**
 * `mcp-sentinel explain RULE`: prints a rule's page. The page is rendered from the rule catalogue that is bundled
 * into dist/cli.js (the same renderer writes docs/rules/<id>.md), so it works from an installed package whether or
 * not the docs folder ships with it. An unknown id is a usage error with the closest ids offered.
 */
import { didYouMean } from '../core/suggest';
import { renderRuleDoc } from '../lsp/ruleDocs';
import { ruleCatalogue } from '../rules/catalogue';
import { UsageError } from './args';

/** The text `explain` prints for a rule id: its Markdown page, then where the page lives. */
export function explainRule(ruleId: string): string {
  const rules = ruleCatalogue();
  const rule = rules.find((r) => r.id === ruleId);
  if (!rule) {
    const hint =
      didYouMean(
        ruleId,
        rules.map((r) => r.id),
      ) || ' (mcp-sentinel rules lists every id)';
    throw new UsageError(`unknown rule id "${ruleId}"${hint}`);
  }
  const page = renderRuleDoc(rule).trimEnd();
  return `${page}\n\n${rule.helpUri ? `Page: ${rule.helpUri}\n` : ''}`;
}
