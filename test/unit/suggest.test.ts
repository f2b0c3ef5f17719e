// "Did you mean": the edit distance, which names are close enough to offer, and the messages that use it (the
// project config, the ignore list and suppression comments; the CLI's explain is in test/cli/explain.test.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { closestNames, didYouMean, editDistance } from '../../server/core/suggest';
import { openProject, scanDocument } from '../../server/engine/project';
import { parseProjectConfig } from '../../server/project';
import { ruleCatalogue } from '../../server/rules/catalogue';

const ids = ruleCatalogue().map((r) => r.id);

test('edit distance counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('js-comand-injection', 'js-command-injection'), 1);
  assert.equal(editDistance('js-commnad-injection', 'js-command-injection'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('abcdef', 'uvwxyz', 2), 3, 'stops early above the limit');
});

test('close ids are offered, fragments find the ids that contain them, far ones nothing', () => {
  assert.deepEqual(closestNames('js-comand-injection', ids), ['js-command-injection']);
  assert.deepEqual(closestNames('command-injection', ids), ['js-command-injection', 'py-command-injection']);
  assert.deepEqual(closestNames('secret-github-token', ids).slice(0, 1), ['secret-gitlab-token']);
  assert.deepEqual(closestNames('banana', ids), []);
  assert.equal(didYouMean('banana', ids), '');
  assert.equal(didYouMean('js-sql-injektion', ids), ' (did you mean "js-sql-injection"?)');
  assert.equal(didYouMean('sql-injection', ids), ' (did you mean "js-sql-injection" or "py-sql-injection"?)');
});

test('the project config offers the closest rule id for an unknown one', () => {
  const errors = parseProjectConfig(
    '{ "rules": { "js-comand-injection": "off" } }',
    '/p/.mcp-sentinel.json',
    ids,
  ).errors;
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.message, 'unknown rule id "js-comand-injection" (did you mean "js-command-injection"?)');
});

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-suggest-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('a suppression comment naming an unknown rule gets a "did you mean" in its finding', async () => {
  const project = await openProject(tmp);
  const text = 'const x = 1; // mcp-sentinel-ignore js-comand-injection: reviewed\n';
  const found = scanDocument(project, join(tmp, 'a.ts'), text).findings.filter(
    (f) => f.ruleId === 'mcp-sentinel-invalid-suppression',
  );
  assert.equal(found.length, 1);
  assert.match(found[0]!.message, /unknown rule id "js-comand-injection" \(did you mean "js-command-injection"\?\)/);
});
