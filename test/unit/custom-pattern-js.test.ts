// Issue 16 item 5, the custom-rule gate: a custom pattern the linear JS backend refuses is refused when the config
// loads, with the JS backend's reason, on every machine. Before, the gate compiled it only in RE2 and as a V8
// RegExp, so the config loaded where RE2 does, and on a machine without RE2 the rule could not run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBackend } from '../../server/core/regex';
import { checkCustomPattern } from '../../server/project';

describe('custom patterns are checked with the JS backend too', () => {
  const refusedByJs: [string, RegExp][] = [
    // 25 repetitions of 1,000: within RE2's limits, past the JS backend's 20,000-instruction program.
    ['a{1000}'.repeat(25), /too large once its repetitions are expanded/],
    // RE2 reads a leading ] as a literal, V8 as an empty class: the JS backend refuses the ambiguity.
    ['[]a]+', /a class may not start with \]/],
  ];
  for (const [pattern, reason] of refusedByJs)
    test(`attack: ${pattern.length > 20 ? `${pattern.slice(0, 20)}…` : pattern} is refused up front`, () => {
      assert.throws(() => createBackend('js').compile(pattern), reason, 'the JS backend refuses it');
      const problem = checkCustomPattern(pattern) ?? 'accepted';
      assert.match(problem, /^pattern cannot run on the JS regex engine, which scans when RE2 is unavailable: /);
      assert.match(problem, reason);
    });

  test('patterns both engines run are still accepted', () => {
    for (const p of ['token_[A-Za-z0-9]{20,}', 'a{1000}', '(a+)+$', '^\\s*password\\s*=\\s*\\S+$'])
      assert.equal(checkCustomPattern(p, 'm'), undefined, p);
  });
});
