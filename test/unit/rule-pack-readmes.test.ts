// Each rule pack's README has an id → file table: the way a reader finds a rule's source without grep. A table that
// misses a rule, or names a file that does not declare it, sends the reader to the wrong place; this test fails
// until the table is fixed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Rule } from '../../server/core/rule';
import { capabilityPackRules } from '../../server/rules/capabilities';
import { configRules } from '../../server/rules/client-config';
import { deploymentRules } from '../../server/rules/deployment';
import { injectionRules } from '../../server/rules/injection';
import { mcpRules } from '../../server/rules/mcp';
import { promptInjectionRules } from '../../server/rules/prompt-injection';
import { secretsRules } from '../../server/rules/secrets';

const packs: [string, readonly Rule[]][] = [
  ['secrets', secretsRules],
  ['injection', injectionRules],
  ['client-config', configRules],
  ['mcp', mcpRules],
  ['prompt-injection', promptInjectionRules],
  ['deployment', deploymentRules],
  ['capabilities', capabilityPackRules],
];

/** The rows of a README table: the rule ids of the first cell, with the file named in the second. */
function tableRows(readme: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readme.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const file = /^`([\w.-]+\.ts)`$/.exec(cells[2] ?? '')?.[1];
    if (!line.startsWith('|') || !file) continue;
    for (const m of (cells[1] ?? '').matchAll(/`([a-z0-9-]+)`/g)) out.set(m[1]!, file);
  }
  return out;
}

for (const [pack, rules] of packs) {
  test(`the ${pack} README lists every rule of the pack with the file that declares it`, () => {
    const dir = join(process.cwd(), 'server', 'rules', pack);
    const rows = tableRows(readFileSync(join(dir, 'README.md'), 'utf8'));
    for (const r of rules) {
      const file = rows.get(r.id);
      assert.ok(file, `server/rules/${pack}/README.md has no row for ${r.id}`);
      const source = readFileSync(join(dir, file), 'utf8');
      assert.ok(source.includes(`'${r.id}'`), `server/rules/${pack}/${file} does not declare ${r.id}`);
    }
    const ids = new Set(rules.map((r) => r.id));
    assert.deepEqual(
      [...rows.keys()].filter((id) => !ids.has(id)),
      [],
      `rows for rules that are not in the ${pack} pack`,
    );
  });
}
