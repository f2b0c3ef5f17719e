// The lock-file format (server/project/pins.ts): every problem is a positioned error naming the problem and the
// fix, a valid file reads back as JSON.parse reads it, and the index the drift rule reads keeps the first pin.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PIN_FILE } from '../../shared/projectFiles';
import { indexPins, loadPins, parsePins, serializePins, type PinFile } from '../../server/project/pins';

const SHA = 'a'.repeat(64);

/** The errors of a text as [line, column, message], one-based like the CLI prints them. */
function problems(text: string): [number, number, string][] {
  return parsePins(text, '/p/pins.json').errors.map((e) => [e.line, e.column, e.message]);
}

describe('parsePins', () => {
  test('rejects bad JSON and bad shapes at the value that breaks the format, naming the problem and the fix', () => {
    const cases: [string, RegExp, number, number][] = [
      ['{', /invalid pin file: JSON syntax error: close brace expected/, 1, 2],
      ['{ "version": 1, "servers": {}, }', /JSON syntax error/, 1, 32],
      ['[]', /the top level must be an object/, 1, 1],
      ['{"version": 2, "servers": {}}', /unsupported version 2 \(expected 1\)/, 1, 13],
      ['{"servers": {}}', /unsupported version undefined/, 1, 1],
      ['{"version": 1}', /"servers" must be an object/, 1, 1],
      ['{"version": 1, "servers": []}', /"servers" must be an object/, 1, 27],
      ['{"version": 1, "servers": {"s": {}}}', /server "s" must have a "tools" object/, 1, 33],
      ['{"version": 1, "servers": {"s": {"tools": {"t": 1}}}}', /tool "t" of server "s" must be an object/, 1, 49],
      [
        '{"version": 1, "servers": {"s": {"tools": {"t": {"sha256": "abc", "file": "a.ts"}}}}}',
        /tool "t" of server "s" has no valid "sha256"/,
        1,
        60,
      ],
      [`{"version": 1, "servers": {"s": {"tools": {"t": {"sha256": "${SHA}"}}}}}`, /has no "file"/, 1, 44],
    ];
    for (const [text, message, line, column] of cases) {
      const got = problems(text);
      assert.equal(got.length, 1, `${text}: ${JSON.stringify(got)}`);
      assert.match(got[0]![2], message, text);
      assert.match(got[0]![2], /^invalid pin file: .*\(rewrite it with "mcp-sentinel pin"\)$/, text);
      assert.deepEqual(got[0]!.slice(0, 2), [line, column], text);
    }
  });

  test('reports every broken tool, not only the first; nothing is loaded from a broken file', () => {
    const text = `{"version": 1, "servers": {"s": {"tools": {"a": {"sha256": "x", "file": "a.ts"}, "b": {"sha256": "${SHA}", "file": ""}}}}}`;
    const parsed = parsePins(text, '/p/pins.json');
    assert.deepEqual(
      parsed.errors.map((e) => e.message.replace(/ \(rewrite.*$/, '')),
      [
        'invalid pin file: tool "a" of server "s" has no valid "sha256"',
        'invalid pin file: tool "b" of server "s" has no "file"',
      ],
    );
    assert.equal(parsed.pins, undefined);
  });

  test('comments are not JSON: the lock file is strict, as the tool writes it', () => {
    assert.match(problems('// pins\n{"version": 1, "servers": {}}')[0]![2], /JSON syntax error/);
  });

  test('a valid file reads back as JSON.parse reads it, a repeated name included', () => {
    const text = `{"version": 1, "servers": {"s": {"tools": {"t": {"sha256": "${'b'.repeat(64)}", "file": "x.ts"}, "t": {"sha256": "${SHA}", "file": "a.ts"}}}}}`;
    assert.deepEqual(parsePins(text, '/p/pins.json'), { pins: JSON.parse(text) as PinFile, errors: [] });
    assert.deepEqual(parsePins('{"version": 1, "servers": {}}', 'x'), {
      pins: { version: 1, servers: {} },
      errors: [],
    });
  });
});

describe('serializePins and indexPins', () => {
  const pins: PinFile = {
    version: 1,
    servers: {
      z: { tools: { b: { sha256: SHA, file: 'b.ts' }, a: { sha256: SHA, file: 'a.ts' } } },
      m: { tools: { a: { sha256: 'c'.repeat(64), file: 'a.ts' } } },
    },
  };

  test('serialisation sorts servers and tools and round-trips', () => {
    const text = serializePins(pins);
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(Object.keys(JSON.parse(text).servers), ['m', 'z']);
    assert.deepEqual(parsePins(text, 'x').pins, JSON.parse(text));
  });

  test('the index is by file then tool name; the first server that pins a name for a file keeps it', () => {
    const index = indexPins(pins);
    assert.deepEqual([...index.keys()], ['b.ts', 'a.ts']);
    assert.deepEqual(index.get('a.ts')?.get('a'), { sha256: SHA, server: 'z' });
    assert.deepEqual(index.get('b.ts')?.get('b'), { sha256: SHA, server: 'z' });
  });
});

describe('loadPins', () => {
  test('no file: nothing and no error; a valid file: its index; a broken one: its path and its errors', () => {
    const root = mkdtempSync(join(tmpdir(), 'pins-'));
    assert.deepEqual(loadPins(root), { errors: [] });
    const file = join(root, ...PIN_FILE.split('/'));
    mkdirSync(join(root, '.mcp-sentinel'));
    writeFileSync(file, serializePins({ version: 1, servers: { s: { tools: { t: { sha256: SHA, file: 'a.ts' } } } } }));
    const ok = loadPins(root);
    assert.equal(ok.file, file);
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.pins?.get('a.ts')?.get('t'), { sha256: SHA, server: 's' });
    writeFileSync(file, '{ "version": 2, "servers": {} }\n');
    const bad = loadPins(root);
    assert.equal(bad.file, file);
    assert.equal(bad.pins, undefined);
    assert.equal(bad.errors[0]?.file, file);
    assert.deepEqual(bad.errors[0]?.range.start, { line: 0, character: 13 });
  });
});
