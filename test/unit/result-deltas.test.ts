// The result deltas between a worker and its pool (server/workers/resultDeltas.ts): the line shift of an edit, the
// checks that stand for "shifted, this equals that" without building the shifted copy, and a round trip through
// both ends, including a base the pool does not hold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { samePlainData } from '../../server/core/plainData';
import { LineIndex } from '../../server/core/text';
import {
  lineShift,
  ResultReceiver,
  ResultSender,
  sameShifted,
  sameShiftedFinding,
  shiftLines,
} from '../../server/workers/resultDeltas';
import { shiftFinding } from '../../shared/findingShifts';
import type { Finding } from '../../shared/types';

const shift = (before: string, after: string) => lineShift(new LineIndex(before), new LineIndex(after));

test('the line shift of an edit moves exactly the lines after the edited ones', () => {
  // A line inserted before line 1: lines 1 and 2 move down by one.
  assert.deepEqual(shift('a\nb\nc', 'a\nX\nb\nc'), { from: 1, by: 1 });
  // Line 1 edited in place: nothing moves, line 2 included.
  assert.deepEqual(shift('a\nb\nc', 'a\nB\nc'), { from: 2, by: 0 });
  // Line 1 deleted: line 2 (in the old text's numbers) moves up.
  assert.deepEqual(shift('a\nb\nc', 'a\nc'), { from: 2, by: -1 });
  // An edit at the very start moves everything.
  assert.deepEqual(shift('a\nb', 'X\na\nb'), { from: 0, by: 1 });
  // The same text: nothing moves.
  assert.deepEqual(shift('a\nb', 'a\nb').by, 0);
  // A lone carriage return is a line break in the findings' line model, so a line typed with one moves lines too.
  assert.deepEqual(shift('a\rb\rc', 'a\rX\rb\rc'), { from: 1, by: 1 });
});

const finding = (line: number, relatedLine: number, otherFile = false, id = 'x'): Finding => ({
  ruleId: 'r',
  category: 'secret',
  severity: 'high',
  message: 'm',
  file: 'a.ts',
  range: { start: { line, character: 2 }, end: { line, character: 9 } },
  fingerprint: `r:${id}`,
  cwe: [],
  related: [
    {
      file: otherFile ? 'b.ts' : 'a.ts',
      range: { start: { line: relatedLine, character: 0 }, end: { line: relatedLine, character: 1 } },
      message: 'here',
    },
  ],
  fix: { title: 't', edits: [{ range: { start: { line, character: 0 }, end: { line, character: 1 } }, newText: '' }] },
});

test('the shifted-equality checks agree with building the shifted copy', () => {
  const s = { from: 10, by: 2 };
  const cases: [Finding, Finding][] = [
    [finding(12, 3), finding(14, 3)],
    [finding(12, 11), finding(14, 13)],
    [finding(12, 11), finding(14, 11)],
    [finding(5, 11, true), finding(5, 11, true)],
    [finding(5, 11, true), finding(5, 13, true)],
    [finding(5, 3), finding(5, 3)],
    [finding(5, 3), finding(7, 5)],
    [finding(12, 3), { ...finding(14, 3), message: 'other' }],
    [finding(12, 3), { ...finding(14, 3), suppressed: { kind: 'inline' } as Finding['suppressed'] }],
  ];
  for (const [a, b] of cases) {
    const built = samePlainData(shiftFinding(a, s), b);
    assert.equal(sameShiftedFinding(a, b, s), built, JSON.stringify([a.range, b.range, b.related]));
  }
  const facts = { tools: [{ name: 't', line: 12, calls: [{ line: 3 }, { line: 40, to: 'x' }] }], line: undefined };
  const moved = shiftLines(facts, s);
  assert.ok(sameShifted(facts, moved, s));
  assert.equal(moved.tools[0]!.calls[0], facts.tools[0]!.calls[0], 'what does not move is shared');
  assert.ok(!sameShifted(facts, facts, s));
  assert.ok(!sameShifted(facts, { ...moved, extra: 1 }, s));
});

test('a result crosses as changes and is restored whole; a delta on a base the pool lacks is refused', () => {
  const sender = new ResultSender();
  const receiver = new ResultReceiver();
  const before = 'l0\nl1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nl13\n';
  const after = 'l0\nnew\n' + before.slice(3);
  const first = [finding(12, 3, false, 'a'), finding(0, 0, false, 'b')];
  const second = [finding(13, 4, false, 'a'), finding(0, 0, false, 'b'), finding(1, 1, false, 'c')];
  const a = structuredClone({ id: 1, ...sender.encode('doc', 1, new LineIndex(before), first, { line: 12 } as never) });
  receiver.receive('doc', a);
  assert.deepEqual(a.findings, first);
  const b = structuredClone({ id: 2, ...sender.encode('doc', 2, new LineIndex(after), second, { line: 13 } as never) });
  assert.deepEqual(
    b.delta?.findings.map((x) => (typeof x === 'number' ? x : 'sent')),
    [0, 1, 'sent'],
  );
  assert.equal(b.delta?.factsShifted, true);
  receiver.receive('doc', b);
  assert.deepEqual(b.findings, second);
  assert.deepEqual(b.facts, { line: 13 });
  // A pool that lost the base (it forgot the document) cannot restore the next delta, and says so.
  const c = structuredClone({ id: 3, ...sender.encode('doc', 3, new LineIndex(after + 'x\n'), second, undefined) });
  receiver.forget('doc');
  assert.throws(() => receiver.receive('doc', c), /does not hold/);
});
