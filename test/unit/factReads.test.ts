// The batch scan parses each file once (workers/batch.ts): a first job scans a file knowing only its own facts and
// records what the rules read of the cross-file facts (engine/factReads.ts); after the merge only the files where a
// value they read changed are scanned again. These tests check the record itself, and that the batch reports
// exactly what a scan with the merged facts from the start reports (the in-process path, which has no first pass).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runScan } from '../../server/cli/scan';
import { readsHold, watchFacts, type FactField } from '../../server/engine/factReads';
import { ROOT } from '../cli/helpers';
import { dangerRule } from '../fixtures/suppression/testRule';

test('a watched scan records the keys it looked up and the fields it read whole', () => {
  const w = watchFacts({ toolNames: new Map([['read_file', 'a.ts']]) });
  assert.equal(w.facts.entryTaints?.get('b.ts'), undefined, 'an absent field reads as empty');
  assert.equal(w.facts.toolReach?.has('b.ts'), false);
  assert.deepEqual([...(w.facts.toolNames ?? [])], [['read_file', 'a.ts']]);
  const reads = w.reads();
  assert.deepEqual(reads, [
    { field: 'toolNames', value: '[["read_file","a.ts"]]' },
    { field: 'entryTaints', key: 'b.ts', value: 'null' },
    { field: 'toolReach', key: 'b.ts', value: 'null' },
  ]);
  const cache = () => new Map<FactField, string>();
  // Values the scan did not read may change; a value it read may not.
  assert.ok(readsHold(reads, { toolNames: new Map([['read_file', 'a.ts']]), entryTaints: new Map() }, cache()));
  assert.ok(
    readsHold(reads, { toolNames: new Map([['read_file', 'a.ts']]), toolReach: new Map([['c.ts', []]]) }, cache()),
  );
  assert.ok(
    !readsHold(
      reads,
      {
        toolNames: new Map([
          ['read_file', 'a.ts'],
          ['write_file', 'c.ts'],
        ]),
      },
      cache(),
    ),
  );
  assert.ok(
    !readsHold(reads, { toolNames: new Map([['read_file', 'a.ts']]), toolReach: new Map([['b.ts', []]]) }, cache()),
  );
  // Collecting the reads is not itself a read.
  assert.deepEqual(w.reads(), reads);
});

for (const fixture of ['test/fixtures/cross-file', 'examples']) {
  test(`the batch scan reports what a scan with the merged facts reports: ${fixture}`, async () => {
    const dir = join(ROOT, fixture);
    const pooled = await runScan({ paths: [dir], cwd: dir, workers: 1 });
    assert.ok(pooled.workers > 0, 'the batch ran in the pool');
    // An extra rule keeps the scan on this thread: the facts are merged first, then every file is scanned once.
    const inProcess = await runScan({ paths: [dir], cwd: dir, projectOptions: { extraRules: [dangerRule()] } });
    assert.equal(inProcess.workers, 0);
    const shown = (o: typeof pooled) =>
      o.findings.filter((f) => f.ruleId !== 'test-danger').map((f) => JSON.stringify(f));
    assert.ok(shown(pooled).length > 0);
    assert.deepEqual(shown(pooled), shown(inProcess));
  });
}
