// The receiving end of the FileFindings notifications (shared/findingShifts.ts), which the extension and the protocol
// tests share: a delta is restored against the URI's previous list, a delta whose base was not received is refused
// instead of restored against the wrong list, and a file whose list became empty has no base left.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileFindingsRestorer } from '../../shared/findingShifts';
import type { Finding } from '../../shared/types';

const URI = 'file:///w/server.ts';

function finding(id: string, line: number): Finding {
  return {
    ruleId: id,
    category: 'secret',
    severity: 'high',
    message: id,
    file: 'server.ts',
    range: { start: { line, character: 2 }, end: { line, character: 9 } },
    fingerprint: `${id}:fp`,
    cwe: [],
    related: [
      {
        file: 'server.ts',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        message: 'here',
      },
      {
        file: 'other.ts',
        range: { start: { line: 7, character: 0 }, end: { line: 7, character: 1 } },
        message: 'there',
      },
    ],
  };
}

test('a delta is the previous list with the named findings moved and the new ones inserted', () => {
  const r = new FileFindingsRestorer();
  const a = finding('a', 1);
  const b = finding('b', 10);
  r.restore({ uri: URI, version: 1, seq: 4, findings: [a, b] });
  const c = finding('c', 3);
  const out = r.restore({
    uri: URI,
    version: 2,
    seq: 5,
    findings: [],
    delta: { base: 4, shift: { from: 2, by: 1 }, findings: [0, c, 1] },
  });
  assert.equal(out.delta, undefined);
  assert.deepEqual(
    out.findings.map((f) => [f.ruleId, f.range.start.line, f.range.end.line]),
    [
      ['a', 1, 1],
      ['c', 3, 3],
      ['b', 11, 11],
    ],
  );
  assert.equal(out.findings[0], a, 'a finding above the edit is shared, not copied');
  // Related locations move with their file only.
  assert.deepEqual(
    out.findings[2]!.related!.map((x) => x.range.start.line),
    [0, 7],
  );

  // The restored list is the base of the next delta.
  const next = r.restore({
    uri: URI,
    version: 3,
    seq: 6,
    findings: [],
    delta: { base: 5, shift: { from: 0, by: -1 }, findings: [2] },
  });
  assert.deepEqual(
    next.findings.map((f) => [f.ruleId, f.range.start.line]),
    [['b', 10]],
  );
});

test('a delta whose base was not received is refused', () => {
  const r = new FileFindingsRestorer();
  r.restore({ uri: URI, version: 1, seq: 1, findings: [finding('a', 1)] });
  assert.throws(
    () =>
      r.restore({
        uri: URI,
        version: 2,
        seq: 3,
        findings: [],
        delta: { base: 2, shift: { from: 0, by: 0 }, findings: [0] },
      }),
    /change list 2, which was not received/,
  );
  assert.throws(
    () =>
      r.restore({
        uri: 'file:///w/other.ts',
        version: 2,
        seq: 4,
        findings: [],
        delta: { base: 1, shift: { from: 0, by: 0 }, findings: [] },
      }),
    /was not received/,
  );
  assert.throws(
    () =>
      r.restore({
        uri: URI,
        version: 2,
        seq: 5,
        findings: [],
        delta: { base: 1, shift: { from: 0, by: 0 }, findings: [3] },
      }),
    /names finding 3 of 1/,
  );
});

test('an empty list leaves no base behind', () => {
  const r = new FileFindingsRestorer();
  r.restore({ uri: URI, version: 1, seq: 1, findings: [finding('a', 1)] });
  r.restore({ uri: URI, version: 2, seq: 2, findings: [] });
  assert.throws(() =>
    r.restore({
      uri: URI,
      version: 3,
      seq: 3,
      findings: [],
      delta: { base: 2, shift: { from: 0, by: 0 }, findings: [] },
    }),
  );
});
