// `mcp-sentinel explain RULE` prints the rule page from the bundled catalogue (so it works from an installed
// package), and a mistyped id or command exits with 2 and the closest names.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cli, ROOT } from './helpers';

test('explain prints the rule page: title, fix, suppression and where the page lives', async () => {
  const r = await cli(['explain', 'secret-github-pat']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^# Hardcoded GitHub personal access token \(`secret-github-pat`\)/);
  assert.match(r.stdout, /## Fix\n\nRotate the GitHub personal access token now/);
  assert.match(r.stdout, /mcp-sentinel-ignore secret-github-pat: <reason>/);
  assert.match(r.stdout, /\nPage: docs\/rules\/secret-github-pat\.md\n$/);
});

test('an unknown rule id or command is a usage error with a "did you mean"', async () => {
  const typo = await cli(['explain', 'js-comand-injection']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown rule id "js-comand-injection" \(did you mean "js-command-injection"\?\)/);
  const far = await cli(['explain', 'banana']);
  assert.equal(far.code, 2);
  assert.match(far.stderr, /unknown rule id "banana" \(mcp-sentinel rules lists every id\)/);
  const verb = await cli(['scna', '.']);
  assert.equal(verb.code, 2);
  assert.match(verb.stderr, /unknown command "scna" \(did you mean "scan"\?\)/);
  assert.equal((await cli(['explain'])).code, 2);
  assert.equal((await cli(['explain', 'a', 'b'])).code, 2);
  assert.equal((await cli(['explain', 'js-command-injection', '--format', 'json'])).code, 2);
});

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-explain-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('the built CLI explains a rule from a copy of dist/ alone, with no docs folder beside it', () => {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  cpSync(join(ROOT, 'dist'), join(tmp, 'dist'), { recursive: true });
  const r = spawnSync(process.execPath, [join(tmp, 'dist', 'cli.js'), 'explain', 'mcp-config-unpinned-package'], {
    cwd: tmp,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /## Fix\n\nPin an exact version/);
});
