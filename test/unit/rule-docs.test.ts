// The rule pages in docs/rules/ are generated from rule metadata (scripts/gen-rule-docs.mjs). Diagnostics link to
// them, so a page that drifts from its rule misleads users: this test fails until the pages are regenerated.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderRuleDoc } from '../../server/lsp/ruleDocs';
import { ruleCatalogue } from '../../server/rules/catalogue';

const dir = join(process.cwd(), 'docs', 'rules');
const rules = ruleCatalogue();
const regenerate = 'run `node scripts/gen-rule-docs.mjs`';

test('every rule has an up-to-date documentation page', () => {
  for (const r of rules) {
    const file = join(dir, `${r.id}.md`);
    assert.ok(existsSync(file), `docs/rules/${r.id}.md is missing: ${regenerate}`);
    assert.equal(readFileSync(file, 'utf8'), renderRuleDoc(r), `docs/rules/${r.id}.md is stale: ${regenerate}`);
  }
});

test('no documentation page outlives its rule', () => {
  const ids = new Set(rules.map((r) => `${r.id}.md`));
  const orphans = readdirSync(dir).filter((f) => f !== 'README.md' && !ids.has(f));
  assert.deepEqual(orphans, [], `pages without a rule: ${regenerate}`);
});
