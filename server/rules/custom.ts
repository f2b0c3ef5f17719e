/**
 * Custom rules: the user patterns of the config's `customRules` list, compiled into ordinary engine rules. The
 * project loader has already validated them (server/project/customPattern.ts gates the pattern), so compiling
 * cannot fail; they are user data, not shipped code, so the rule-sample test (which walks `builtinRules`) skips them.
 */
import { CONFIG_FILE } from '../../shared/projectFiles';
import type { FileKind } from '../../shared/types';
import { globMatcher } from '../core/glob';
import type { RawFinding, Rule } from '../core/rule';
import type { CustomRuleConfig } from '../project/types';

/** Every kind the discovery reads: a custom rule runs on any of them, narrowed by its `files` globs. */
const ALL_KINDS: FileKind[] = [
  'js',
  'python',
  'mcp-config',
  'vscode-settings',
  'json',
  'dotenv',
  'yaml',
  'dockerfile',
  'text',
];

/** Turns a validated custom rule into an engine rule. */
export function customRuleToRule(c: CustomRuleConfig): Rule {
  const globs = c.files ?? [];
  // Globs without a slash match the file name anywhere (like .gitignore), so `*.ts` means every TypeScript file.
  const matches = globs.length ? globMatcher(globs) : () => true;
  const flags = c.flags ?? '';
  return {
    id: c.id,
    title: c.message,
    description: `Custom project rule: ${c.message}`,
    category: c.category,
    severity: c.severity,
    cwe: [],
    owasp: [],
    kinds: ALL_KINDS,
    keywords: [],
    docs:
      `A custom rule from the project config (\`${CONFIG_FILE}\`).\n\nPattern (RE2 syntax): \`${c.pattern}\`` +
      (flags ? ` with flags \`${flags}\`` : '') +
      (globs.length ? `\n\nFiles: ${globs.map((g) => `\`${g}\``).join(', ')}` : ''),
    detect(ctx): RawFinding[] {
      if (!matches(ctx.path)) return [];
      const out: RawFinding[] = [];
      for (const m of ctx.re(c.pattern, flags).matchAll(ctx.doc)) {
        if (m.end > m.start) out.push({ start: m.start, end: m.end, message: c.message });
      }
      return out;
    },
    // Custom rules are user data, not shipped code: the sample test only walks the built-in rules.
    positive: [],
    negative: [],
  };
}
