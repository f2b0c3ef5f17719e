// Every rule id that the user-facing text names exists: the README, the docs, the CI recipes, the walkthrough
// pages and the settings' descriptions (package.json) are where users copy ids from, and a setting example that
// named a rule that did not exist (issue 13) turned the copy into a silent no-op. Words that share a rule id's
// shape but are not rules (the command, directive keywords, diagnostic codes, categories) are listed explicitly.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CATEGORIES } from '../../shared/types';
import { ruleCatalogue } from '../../server/rules/catalogue';

const ROOT = process.cwd();
const NOT_RULES = new Set([
  'mcp-sentinel',
  'mcp-sentinel-ignore',
  'mcp-sentinel-ignore-file',
  'mcp-sentinel-rule',
  'mcp-sentinel-skipped',
  'mcp-sentinel-config-error',
  'secret-looking',
  ...CATEGORIES,
]);
// A token of a rule id's shape: a known prefix and dash-separated words, not part of a path, package or file name
// (`mcp-sentinel-0.1.0.tgz` is a file name: a dot followed by a word character continues the token).
const RULE_LIKE =
  /(?<![\w./@-])((?:secret|js|py|mcp|dockerfile|k8s|compose|cors|weak|insecure|jwt|hardcoded|cloud)-[a-z0-9]+(?:-[a-z0-9]+)*)(?![\w/@-]|\.\w)/g;

function markdownIn(dir: string): string[] {
  const abs = join(ROOT, dir);
  return existsSync(abs)
    ? readdirSync(abs)
        .filter((f) => f.endsWith('.md'))
        .map((f) => join(dir, f))
    : [];
}

test('every rule id named in the README, docs, walkthrough and settings exists', () => {
  const ids = new Set(ruleCatalogue().map((r) => r.id));
  const files = [
    'README.md',
    'package.json',
    'examples/README.md',
    ...markdownIn('docs'),
    ...markdownIn('docs/ci'),
    ...markdownIn('media/walkthrough'),
  ];
  const unknown: string[] = [];
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue;
    for (const m of readFileSync(join(ROOT, f), 'utf8').matchAll(RULE_LIKE))
      if (!ids.has(m[1]!) && !NOT_RULES.has(m[1]!)) unknown.push(`${f}: ${m[1]}`);
  }
  assert.deepEqual(unknown, [], 'rule ids that do not exist (or add a non-rule word to NOT_RULES)');
});

test('the walkthrough pages the manifest names exist', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { walkthroughs: { steps: { media: { markdown: string } }[] }[] };
  };
  const pages = pkg.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown));
  assert.equal(pages.length, 3);
  for (const p of pages) assert.ok(existsSync(join(ROOT, p)), `${p} is missing`);
});
