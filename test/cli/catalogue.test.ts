// One rule catalogue: `mcp-sentinel rules`, the generated pages in docs/rules/, the SARIF rule definitions of a
// scan and of a merge must list exactly the same rule ids (the review found 128 in one place and 132 in the others).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const REPO = process.cwd();
const CLI = join(REPO, 'dist', 'cli.js');

function cli(args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

function sarifRuleIds(sarif: string): string[] {
  const log = JSON.parse(sarif) as { runs: { tool: { driver: { rules: { id: string }[] } } }[] };
  return log.runs[0]!.tool.driver.rules.map((r) => r.id).sort();
}

test('rules, docs/rules, and the SARIF rule lists of scan and merge have the same ids', () => {
  const listed = (JSON.parse(cli(['rules', '--format', 'json'])) as { id: string }[]).map((r) => r.id).sort();
  assert.ok(listed.length > 100, `the catalogue lists every rule (got ${listed.length})`);
  assert.match(cli(['rules']), new RegExp(`\\n${listed.length} rules\\n$`), 'the table counts the same rules');

  const pages = readdirSync(join(REPO, 'docs', 'rules'))
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((f) => f.slice(0, -3))
    .sort();
  assert.deepEqual(pages, listed, 'docs/rules has one page per catalogue rule');

  const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
  writeFileSync(join(dir, 'empty.ts'), 'export const ok = 1;\n');
  assert.deepEqual(sarifRuleIds(cli(['scan', dir, '--format', 'sarif'])), listed, 'a scan defines every rule');

  const json = join(dir, 'report.json');
  cli(['scan', dir, '--format', 'json', '--output', json]);
  assert.deepEqual(sarifRuleIds(cli(['merge', json, '--format', 'sarif'])), listed, 'a merge defines every rule');
});
