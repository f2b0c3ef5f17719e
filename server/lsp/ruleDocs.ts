import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULE_DOC_SCHEME } from '../../shared/protocol';
import type { RuleMeta } from '../../shared/types';
import { formatDirective } from '../engine/suppress/directives';

/**
 * Renders a rule's documentation page from its metadata, so the hover, the "Open Rule Documentation" command and
 * the generated docs/rules/<id>.md pages (scripts/gen-rule-docs.mjs) all say the same thing.
 */
export function renderRuleDoc(meta: RuleMeta): string {
  const tags = [...meta.cwe, ...meta.owasp].join(', ');
  return [
    `# ${meta.title} (\`${meta.id}\`)`,
    '',
    meta.description,
    '',
    `- Category: ${meta.category}`,
    `- Default severity: ${meta.severity}`,
    ...(tags ? [`- Tags: ${tags}`] : []),
    `- Files: ${meta.kinds.join(', ')}`,
    `- Quick fix: ${meta.fixable ? 'yes' : 'no'}`,
    '',
    meta.docs.trim(),
    '',
    // The same line every report prints under a finding of the rule, so the page and the report agree.
    ...(meta.fix ? ['## Fix', '', meta.fix, ''] : []),
    '## Suppressing',
    '',
    `On the line or the line before: \`${formatDirective({ scope: 'line', ruleIds: [meta.id], reason: '<reason>' })}\`; ` +
      `for the whole file: \`${formatDirective({ scope: 'file', ruleIds: [meta.id], reason: '<reason>' })}\` ` +
      `(in the file's comment syntax).`,
    '',
  ].join('\n');
}

/**
 * The `codeDescription.href` of a rule's diagnostics: the generated page shipped beside the server
 * (`docs/rules/<id>.md`, a file URL that opens offline in any editor) when it exists, else the client's virtual
 * documentation scheme, which VS Code opens through the extension's content provider.
 */
export function ruleDocHref(ruleId: string, bundleDir: string = __dirname): string {
  const page = join(bundleDir, '..', 'docs', 'rules', `${ruleId}.md`);
  if (existsSync(page)) return pathToFileURL(page).href;
  return `${RULE_DOC_SCHEME}:/${encodeURIComponent(ruleId)}.md`;
}
