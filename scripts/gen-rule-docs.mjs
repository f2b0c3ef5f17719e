// Writes docs/rules/<id>.md for every built-in rule from its metadata (server/lsp/ruleDocs.ts renders them, the same
// text the editor's hover and "Open Rule Documentation" show). Diagnostics link to these pages when they ship
// beside dist/ (see ruleDocHref). Run: node scripts/gen-rule-docs.mjs
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = join(root, 'out', 'gen-rule-docs.cjs');
await esbuild.build({
  stdin: {
    contents:
      "export { ruleCatalogue } from './server/rules/catalogue'; export { renderRuleDoc } from './server/lsp/ruleDocs';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: tmp,
  external: ['re2'],
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
const { ruleCatalogue, renderRuleDoc } = createRequire(import.meta.url)(tmp);
const out = join(root, 'docs', 'rules');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const rules = ruleCatalogue();
for (const r of rules) writeFileSync(join(out, `${r.id}.md`), renderRuleDoc(r));
const index = [
  '# MCP Sentinel rules',
  '',
  '| Rule | Category | Severity | Title |',
  '|---|---|---|---|',
  ...rules.map((r) => `| [\`${r.id}\`](${r.id}.md) | ${r.category} | ${r.severity} | ${r.title} |`),
  '',
];
writeFileSync(join(out, 'README.md'), index.join('\n'));
console.log(`wrote ${rules.length} rule pages to docs/rules/`);
