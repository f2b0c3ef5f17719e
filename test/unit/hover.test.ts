// The hover answers three questions in order — what the rule catches, why it matters here, how to fix it —
// without repeating the rule's whole documentation under the fix heading.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, RuleMeta } from '../../shared/types';
import { hoverMarkdown } from '../../server/lsp/hover';

const finding: Finding = {
  ruleId: 'demo-rule',
  category: 'secret',
  severity: 'high',
  message: 'Token ghp_…(40 chars) is hardcoded',
  file: 'a.ts',
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } },
  fingerprint: 'demo-rule:0',
  cwe: ['CWE-798'],
};
const meta = (docs: string): RuleMeta => ({
  id: 'demo-rule',
  title: 'Demo',
  description: 'A token is written into the file.',
  category: 'secret',
  severity: 'high',
  cwe: ['CWE-798'],
  owasp: [],
  kinds: ['js'],
  keywords: [],
  docs,
});
const hover = (docs: string) => hoverMarkdown([finding], new Map([['demo-rule', meta(docs)]]), 'text', () => 0);

test('docs with their own "How to fix" paragraph contribute only that paragraph', () => {
  const h = hover(
    '**What it finds.** Tokens.\n\n**Why it matters.** Leaks.\n\n**How to fix.** Read it from the environment and rotate it.',
  );
  assert.match(h, /\*\*What it catches:\*\* A token is written into the file\./);
  assert.match(h, /\*\*Why it matters here:\*\* Token ghp\\_…\(40 chars\) is hardcoded \(secret, CWE-798\)/);
  assert.match(h, /\*\*How to fix it:\*\* Read it from the environment and rotate it\./);
  assert.doesNotMatch(h, /What it finds/, 'the rest of the docs is not repeated');
});

test('docs written as one piece are shown whole under the fix heading', () => {
  const h = hover('Finds tokens. Move them to the environment.');
  assert.match(h, /\*\*How to fix it:\*\*\n\nFinds tokens\. Move them to the environment\./);
});
