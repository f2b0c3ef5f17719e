// `--verbose` explains every kind of dismissal, not only the heuristic secret rules' fixtures: a provider-format
// token that is a template or a fixture, and each finding left out because its file is test, script or build code
// (the summary only counts those).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cli } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'mcp-sentinel-dismissals-'));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'src'));
mkdirSync(join(root, 'test'));
mkdirSync(join(root, 'scripts'));
writeFileSync(
  join(root, 'src/tokens.ts'),
  `export const a = "ghp_${'x'.repeat(36)}";\nexport const b = "glpat-mock-Zq8w2XbR7pLmN4tY";\n`,
);
writeFileSync(
  join(root, 'test/spawn.test.js'),
  'const { execSync } = require("child_process");\nexports.run = (c) => execSync(`git ${c}`);\n',
);
writeFileSync(
  join(root, 'scripts/release.js'),
  'const { execSync } = require("child_process");\nexecSync(`git tag v${process.argv[2]}`);\n',
);

test('--verbose gives the reason of every dismissal: template, fixture, test and script files', async () => {
  const r = await cli(['scan', root, '--fail-on', 'none', '--verbose'], { project: {} });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('  dismissed '));
  const has = (re: RegExp) =>
    assert.ok(
      lines.some((l) => re.test(l)),
      `${re} in:\n${lines.join('\n')}`,
    );
  has(/^  dismissed src\/tokens\.ts:1 secret-github-pat ghp_…\(40 chars\): template or test fixture/);
  has(/^  dismissed src\/tokens\.ts:2 secret-gitlab-pat glpa…\(\d+ chars\): template or test fixture/);
  has(
    /^  dismissed test\/spawn\.test\.js:2 js-command-injection .*: in a test, spec or fixture file \(--include-tests shows it\)$/,
  );
  has(
    /^  dismissed scripts\/release\.js:2 js-command-injection .*: in a maintainer script \(--include-tests shows it\)$/,
  );
  // Nothing of a dismissed value is printed whole.
  assert.doesNotMatch(r.stderr, /x{36}|mock-Zq8w2XbR7pLmN4tY/);
});

test('with --include-tests, findings in test files are reported instead of dismissed', async () => {
  const r = await cli(['scan', root, '--fail-on', 'none', '--verbose', '--include-tests'], { project: {} });
  assert.doesNotMatch(r.stderr, /--include-tests shows it/);
  assert.match(r.stdout, /test\/spawn\.test\.js/);
});
