// Every shipped rule tells how to fix its findings in one line and links to a page that exists: reports print both
// under each finding (issue 13, "self-serve messages"), so a rule without them leaves its reader stuck.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repositoryUrl, ruleDocLink } from '../../server/core/help';
import { ruleCatalogue } from '../../server/rules/catalogue';
import { RULE_FIXES } from '../../server/rules/fixes';

const rules = ruleCatalogue();

test('every shipped rule has a one-line fix and an existing documentation page', () => {
  for (const r of rules) {
    assert.ok(r.fix, `${r.id} has no fix line: add one to server/rules/fixes.ts (or a \`fix\` on the rule)`);
    assert.doesNotMatch(r.fix, /\n/, `${r.id}: the fix must be one line`);
    assert.ok(r.fix.length <= 240, `${r.id}: the fix line is ${r.fix.length} characters (at most 240)`);
    assert.match(r.fix, /[.)]$/, `${r.id}: the fix line is a sentence`);
    assert.equal(r.helpUri, ruleDocLink(r.id));
    assert.ok(existsSync(join(process.cwd(), 'docs', 'rules', `${r.id}.md`)), `docs/rules/${r.id}.md is missing`);
  }
});

test('secret findings say to rotate the credential', () => {
  for (const r of rules.filter((r) => r.category === 'secret')) {
    if (r.id === 'secret-generic-assignment') continue; // may be no credential at all: rotation is conditional
    assert.match(r.fix!, /^(Rotate|Revoke|Remove the public half)/, `${r.id}: "${r.fix}"`);
  }
});

test('the fix table names only rules that exist', () => {
  const ids = new Set(rules.map((r) => r.id));
  assert.deepEqual(
    Object.keys(RULE_FIXES).filter((id) => !ids.has(id)),
    [],
  );
});

test('rule pages link into the repository when package.json names one, and stay package-relative otherwise', () => {
  assert.equal(ruleDocLink('js-command-injection', {}), 'docs/rules/js-command-injection.md');
  assert.equal(
    ruleDocLink('js-command-injection', { repository: { url: 'git+https://github.com/acme/sentinel.git' } }),
    'https://github.com/acme/sentinel/blob/main/docs/rules/js-command-injection.md',
  );
  assert.equal(
    repositoryUrl({ homepage: 'https://github.com/acme/sentinel#readme' }),
    'https://github.com/acme/sentinel',
  );
  assert.equal(repositoryUrl({ repository: 'github:acme/sentinel' }), undefined);
});
