// escapeControl (server/reports/escape.ts): every control, bidi and separator character becomes a visible escape,
// and ordinary text (accents, emoji, CJK, backslashes) passes unchanged.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { escapeControl } from '../../server/reports/escape';

describe('escapeControl', () => {
  test('terminal sequences, line breaks and bidi controls are written as escapes', () => {
    assert.equal(escapeControl('a\x1b[2Jb'), 'a\\x1b[2Jb');
    assert.equal(escapeControl('\x1b]0;title\x07'), '\\x1b]0;title\\x07');
    assert.equal(escapeControl('one\ntwo\r\n\tthree'), 'one\\ntwo\\r\\n\\tthree');
    assert.equal(escapeControl('\x00\x7f\x85\x9b'), '\\x00\\x7f\\x85\\x9b');
    assert.equal(
      escapeControl('a\u202eb\u2066c\u2069\u200e\u200f\u061c'),
      'a\\u202eb\\u2066c\\u2069\\u200e\\u200f\\u061c',
    );
    assert.equal(escapeControl('x\u2028y\u2029z'), 'x\\u2028y\\u2029z');
  });

  test('every code point below U+00A0 that is not printable ASCII is escaped, and nothing else changes', () => {
    for (let c = 0; c < 0xa0; c++) {
      const ch = String.fromCharCode(c);
      const printable = c >= 0x20 && c < 0x7f;
      assert.equal(escapeControl(ch) === ch, printable, `U+${c.toString(16).padStart(4, '0')}`);
    }
    const plain = 'naïve café — 日本語 😀 C:\\path\\x "quoted" <b>';
    assert.equal(escapeControl(plain), plain);
  });
});
