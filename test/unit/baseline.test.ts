// The baseline file (write/read), fingerprint stability under edits elsewhere in a file, and the baseline pass:
// after a baseline, only new findings are unsuppressed.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Finding } from '../../shared/types';
import { parseBaseline, writeBaseline } from '../../server/project/baseline';
import { openProject, scanDocument, type Project } from '../../server/engine/project';
import { dangerRule } from '../fixtures/suppression/testRule';

function danger(p: Project, file: string, text: string): Finding[] {
  return scanDocument(p, file, text).findings.filter((f) => f.ruleId === 'test-danger');
}

function freshRoot(): string {
  return mkdtempSync(join(tmpdir(), 'baseline-'));
}

const SOURCE = [
  'import x from "./x";',
  'function main() {',
  '  run(DANGER_ONE);',
  '  run(DANGER_TWO);',
  '  run(DANGER_ONE);',
  '}',
].join('\n');

describe('fingerprints', () => {
  test('survive inserted lines above, re-indentation and re-wrapping', async () => {
    const p = await openProject(freshRoot(), { extraRules: [dangerRule()] });
    const before = danger(p, 'src/a.ts', SOURCE).map((f) => f.fingerprint);
    const edited = ['// a new header comment', '', 'import y from "./y";', SOURCE.replace(/^ {2}/gm, '        ')].join(
      '\n',
    );
    const after = danger(p, 'src/a.ts', edited);
    assert.deepEqual(
      after.map((f) => f.fingerprint),
      before,
    );
    assert.notEqual(after[0]!.range.start.line, 2, 'the line moved, the fingerprint did not');
  });

  test('two identical findings get distinct fingerprints, stable across scans', async () => {
    const p = await openProject(freshRoot(), { extraRules: [dangerRule()] });
    const [one, , oneAgain] = danger(p, 'src/a.ts', SOURCE);
    assert.notEqual(one!.fingerprint, oneAgain!.fingerprint);
    assert.deepEqual(
      danger(p, 'src/a.ts', SOURCE).map((f) => f.fingerprint),
      danger(p, 'src/a.ts', SOURCE).map((f) => f.fingerprint),
    );
  });

  test('depend on the file path and the rule', async () => {
    const p = await openProject(freshRoot(), { extraRules: [dangerRule(), dangerRule('test-danger-2')] });
    const a = danger(p, 'src/a.ts', SOURCE)[0]!.fingerprint;
    const b = danger(p, 'src/b.ts', SOURCE)[0]!.fingerprint;
    assert.notEqual(a, b);
    const other = scanDocument(p, 'src/a.ts', SOURCE).findings.find((f) => f.ruleId === 'test-danger-2')!;
    assert.notEqual(other.fingerprint, a);
  });
});

describe('baseline file', () => {
  const f = (fingerprint: string, file: string, ruleId = 'r'): Finding => ({
    ruleId,
    category: 'other',
    severity: 'high',
    message: 'm',
    file,
    fingerprint,
    cwe: [],
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
  });

  test('writes a stable, sorted, de-duplicated file and reads it back', () => {
    const findings = [
      f('r:2', 'b.ts'),
      f('r:1', 'a.ts'),
      f('r:2', 'b.ts'),
      { ...f('r:3', 'c.ts'), suppressed: { kind: 'inline' as const, reason: 'x' } },
      { ...f('r:4', 'd.ts'), suppressed: { kind: 'baseline' as const, reason: '' } },
    ];
    const text = writeBaseline(findings, { toolVersion: '1.2.3' });
    assert.equal(
      text,
      writeBaseline([...findings].reverse(), { toolVersion: '1.2.3' }),
      'order of input does not matter',
    );
    const { baseline: parsed, errors } = parseBaseline(text, '/p/baseline.json');
    assert.deepEqual(errors, []);
    assert.ok(parsed);
    assert.equal(parsed.version, 1);
    assert.deepEqual(parsed.tool, { name: 'mcp-sentinel', version: '1.2.3' });
    assert.equal(parsed.createdAt, undefined);
    // Inline-suppressed findings stay out; already-baselined ones stay in.
    assert.deepEqual(
      parsed.fingerprints.map((e) => e.fingerprint),
      ['r:1', 'r:2', 'r:4'],
    );
    assert.deepEqual(parsed.fingerprints[0], { fingerprint: 'r:1', ruleId: 'r', file: 'a.ts' });
    assert.ok(text.endsWith('}\n'));
  });

  test('rejects malformed files with the first problem at its position', () => {
    // Every text is one line, so the 0-based character is the offset of the problem.
    const cases: [string, RegExp, number][] = [
      ['{ "version": 1, "fingerprints": [ }', /not valid JSON/, 34],
      ['{ "version": 2, "fingerprints": [] }', /unsupported baseline version 2/, 13],
      ['[]', /must be a JSON object/, 0],
      ['{ "version": 1, "fingerprints": [ { "ruleId": "x" } ] }', /"fingerprints"\[0\]/, 34],
      ['{ "version": 1 }', /"fingerprints" must be an array/, 0],
    ];
    for (const [text, message, offset] of cases) {
      const { baseline, errors } = parseBaseline(text, '/p/baseline.json');
      assert.equal(baseline, undefined, text);
      assert.equal(errors.length, 1, text);
      assert.match(errors[0]!.message, message, text);
      assert.equal(errors[0]!.file, '/p/baseline.json');
      assert.deepEqual(errors[0]!.range.start, { line: 0, character: offset }, text);
      assert.deepEqual([errors[0]!.line, errors[0]!.column], [1, offset + 1], text);
    }
  });
});

describe('the baseline pass', () => {
  test('after a baseline, a new finding is the only unsuppressed one', async () => {
    const root = freshRoot();
    const first = await openProject(root, { extraRules: [dangerRule()] });
    writeFileSync(join(root, 'baseline.json'), writeBaseline(danger(first, 'src/a.ts', SOURCE)));

    const p = await openProject(root, { extraRules: [dangerRule()], baselinePath: 'baseline.json' });
    const edited = SOURCE.replace('function main() {', '// refactored\nfunction main() {\n  run(DANGER_NEW);');
    const fs = danger(p, 'src/a.ts', edited);
    assert.equal(fs.length, 4);
    const open = fs.filter((x) => !x.suppressed);
    assert.deepEqual(
      open.map((x) => x.message),
      ['danger DANGER_NEW'],
    );
    for (const x of fs.filter((y) => y.suppressed))
      assert.deepEqual(x.suppressed, { kind: 'baseline', reason: 'in baseline baseline.json' });
  });

  test('the config baseline path is relative to the config file; a missing one is an error at the value', async () => {
    const root = freshRoot();
    writeFileSync(join(root, 'b.json'), writeBaseline([]));
    writeFileSync(join(root, '.mcp-sentinel.json'), '{\n  "baseline": "b.json"\n}\n');
    const p = await openProject(root, { extraRules: [dangerRule()] });
    assert.equal(p.suppression.baseline?.file, 'b.json');
    writeFileSync(join(root, '.mcp-sentinel.json'), '{\n  "baseline": "missing.json"\n}\n');
    const bad = await openProject(root, { extraRules: [dangerRule()], onConfigError: 'collect' });
    assert.equal(bad.errors.length, 1);
    assert.deepEqual([bad.errors[0]!.line, bad.errors[0]!.column], [2, 15]);
    assert.match(bad.errors[0]!.message, /baseline file not found/);
    // skipBaseline (the baseline verb) opens the project anyway.
    const skipped = await openProject(root, { extraRules: [dangerRule()], skipBaseline: true });
    assert.equal(skipped.suppression.baseline, undefined);
  });
});
