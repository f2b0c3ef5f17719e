// The CLI side of "severity follows reachability": generic findings in test and build code are left out and
// counted in the summary, `--include-tests` shows them, and `--verbose` says why each secret candidate was dismissed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cli } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'mcp-sentinel-include-tests-'));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'scripts'));
mkdirSync(join(root, 'src'));
writeFileSync(
  join(root, 'scripts/release.js'),
  'const { execSync } = require("child_process");\nexecSync(`git tag v${readVersion()}`);\n',
);
writeFileSync(join(root, 'src/client.ts'), 'export const apiKey = "sk-proj-a8F3kQ9z...";\n');

describe('--include-tests', () => {
  test('hidden by default and counted in the text summary and the JSON stats', async () => {
    const text = await cli(['scan', root, '--fail-on', 'none', '--no-color'], { project: {} });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /1 finding in test and build code not shown \(--include-tests shows them\)/);
    assert.doesNotMatch(text.stdout, /release\.js/);
    const json = await cli(['scan', root, '--format', 'json', '--fail-on', 'none'], { project: {} });
    const report = JSON.parse(json.stdout) as { findings: unknown[]; stats: { hiddenInTests?: number } };
    assert.deepEqual(report.findings, []);
    assert.equal(report.stats.hiddenInTests, 1);
  });

  test('the flag shows them, at medium, and leaves nothing hidden', async () => {
    const json = await cli(['scan', root, '--format', 'json', '--fail-on', 'none', '--include-tests'], {
      project: {},
    });
    const report = JSON.parse(json.stdout) as {
      findings: { ruleId: string; severity: string; file: string }[];
      stats: { hiddenInTests?: number };
    };
    assert.deepEqual(
      report.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}`),
      ['js-command-injection medium scripts/release.js'],
    );
    assert.equal(report.stats.hiddenInTests, undefined);
  });

  test('only scan and baseline take it', async () => {
    const r = await cli(['rules', '--include-tests'], { project: {} });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--include-tests only applies to scan and baseline/);
  });

  test('--verbose says why a secret candidate was dismissed, with the value masked', async () => {
    const r = await cli(['scan', root, '--fail-on', 'none', '--verbose'], { project: {} });
    assert.match(
      r.stderr,
      /dismissed src\/client\.ts:1 secret-generic-assignment sk-…\(19 chars\): truncated value \(ends in "\.\.\." or "…"\)/,
    );
    assert.doesNotMatch(r.stderr, /a8F3kQ9z/, 'the value is masked');
    assert.match(r.stderr, /hidden in test and build code: 1/);
  });
});
