// The batch scan in the pool (workers/batch.ts) extracts each file's facts in a facts pass and, when the scan reads
// the same bytes, the worker takes the file's own facts from the published ones instead of extracting them again
// (`factsFromText`). The batch must report exactly what the in-process path reports, which merges the facts first
// and scans every file with them on this thread.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runScan } from '../../server/cli/scan';
import { ROOT } from '../cli/helpers';
import { dangerRule } from '../fixtures/suppression/testRule';

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
