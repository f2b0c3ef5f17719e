// The one change between two texts (core/text.ts differingSpan): what the language server records for an editor's
// whole-text change and what a worker edits its kept tree with, so both must turn the old text into the new one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { differingSpan } from '../../server/core/text';

function apply(text: string, e: { start: number; end: number; text: string }): string {
  return text.slice(0, e.start) + e.text + text.slice(e.end);
}

test('the differing span is the smallest change between common prefix and suffix', () => {
  assert.deepEqual(differingSpan('const a = 1;\n', 'const a = 12;\n'), { start: 11, end: 11, text: '2' });
  assert.deepEqual(differingSpan('abc', 'abc'), { start: 3, end: 3, text: '' });
  assert.deepEqual(differingSpan('', 'new'), { start: 0, end: 0, text: 'new' });
  assert.deepEqual(differingSpan('old', ''), { start: 0, end: 3, text: '' });
  // A repeated character: the suffix does not overlap the prefix.
  assert.deepEqual(differingSpan('aaa', 'aaaa'), { start: 3, end: 3, text: 'a' });
});

test('the differing span never splits a surrogate pair', () => {
  // U+1F600 and U+1F601 share their high surrogate: the change must take both halves.
  const e = differingSpan('x\u{1F600}y', 'x\u{1F601}y');
  assert.deepEqual(e, { start: 1, end: 3, text: '\u{1F601}' });
  // U+1F600 and U+2F600 differ in the high surrogate only: again the whole character.
  const f = differingSpan('\u{1F600}', '\u{2F600}');
  assert.equal(f.start, 0);
  assert.equal(f.end, 2);
});

test('applying the differing span to the old text gives the new text, on random pairs', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = ['a', 'b', '\n', '\u{1F600}', '\u{1F601}', 'é'];
  const word = () => Array.from({ length: Math.floor(rnd() * 6) }, () => alphabet[Math.floor(rnd() * 6)]).join('');
  for (let i = 0; i < 500; i++) {
    const before = word() + word() + word();
    const after = rnd() < 0.5 ? before.slice(0, Math.floor(rnd() * before.length)) + word() : word() + before;
    const e = differingSpan(before, after);
    assert.equal(apply(before, e), after, JSON.stringify({ before, after, e }));
    assert.ok(e.start <= e.end && e.end <= before.length);
  }
});
