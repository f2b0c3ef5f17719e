// Bounded memory of the batch pool (server/workers/recycle.ts, pool.ts): workers retire by the recycling policy and
// fresh ones take their place without a file lost or a finding changed; every answer carries the worker's memory;
// and with a bounded heap, a file whose worker runs out of memory is retried once on a worker with a larger heap,
// then listed as skipped with the reason, never lost silently and never a crash of the scan.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runScan } from '../../server/cli/scan';
import { OOM_RETRY_FACTOR, WorkerPool, workerScript, type PoolJob } from '../../server/workers/pool';
import { nearHeapBound, WorkerLife } from '../../server/workers/recycle';
import type { EntryTaint } from '../../server/core/rule';
import { ROOT, spawnCli } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-recycle-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function job(file: string, text: string): PoolJob {
  return { key: file, timeoutMs: 60_000, project: { root: tmp, overrides: {} }, file, text, epoch: 0 };
}

/** Runs `fn` with the test hooks on (the workers copy the environment when they start). */
async function withHooks<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.MCP_SENTINEL_TEST_HOOKS;
  process.env.MCP_SENTINEL_TEST_HOOKS = '1';
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.MCP_SENTINEL_TEST_HOOKS;
    else process.env.MCP_SENTINEL_TEST_HOOKS = saved;
  }
}

const SHELL = 'import { exec } from "node:child_process";\nexport function run(cmd: string) {\n  exec(cmd);\n}\n';

describe('batch pool memory', () => {
  test('a worker retires after its files and a fresh one scans the rest; each answer carries its memory', async () => {
    const logs: string[] = [];
    const pool = new WorkerPool(
      workerScript(),
      1,
      { onLog: (m) => logs.push(m) },
      { keepProcessAlive: true, recycle: { maxJobs: 2 } },
    );
    try {
      for (let i = 0; i < 5; i++) {
        const o = await pool.run(job(`f${i}.py`, `import os\nx${i} = os.getcwd()\n`));
        assert.equal(o.kind, 'done', `file ${i}`);
        const m = o.kind === 'done' ? o.result.memory : undefined;
        assert.ok(m && m.heap > 0 && m.heapUsed > 0 && m.wasm > 0, JSON.stringify(m));
      }
      assert.equal(pool.memory.recycled, 2);
      assert.deepEqual(
        logs.filter((l) => l.startsWith('worker retired')),
        ['worker retired after 2 files', 'worker retired after 2 files'],
      );
      assert.ok(pool.memory.freshWorker > 0 && pool.memory.workerHeap > 0 && pool.memory.workerWasm > 0);
    } finally {
      await pool.dispose();
    }
  });

  test("a job scans with the merge the batch published and its own file's slice of the per-file fields", async () => {
    const pool = new WorkerPool(workerScript(), 1, {}, { keepProcessAlive: true });
    try {
      // The batch publishes the whole-workspace part of the merge; a job brings its file's per-file values: here, a
      // tool input of another file that reaches the parameter of `run`, which the taint rules then treat as a source.
      pool.setMergedFacts(tmp, { toolNames: new Map([['run', 'server.ts']]), serverNames: new Set() });
      const taint: EntryTaint = {
        fn: 'run',
        param: 0,
        tool: 'run',
        kind: 'tool',
        toolParam: 'cmd',
        families: ['command'],
        hops: [{ file: 'server.ts', line: 3, character: 2, message: 'Tool input `cmd` is passed to `run` here.' }],
      };
      const scan = (fileFacts?: PoolJob['fileFacts']) =>
        // As in the batch: the file's own facts are the published ones, read from the same text.
        pool.run({ ...job('lib.ts', SHELL), factsFromText: true, ...(fileFacts ? { fileFacts } : {}) });
      const before = await scan();
      const after = await scan({ entryTaints: [taint] });
      assert.equal(before.kind, 'done');
      assert.equal(after.kind, 'done');
      if (before.kind !== 'done' || after.kind !== 'done') return;
      // The tool input's way from the other file shows in the finding (its steps, its wording).
      assert.notDeepEqual(after.result.findings, before.result.findings);
      assert.match(JSON.stringify(after.result.findings), /server\.ts/);
    } finally {
      await pool.dispose();
    }
  });

  test('a heap in use past three quarters of the bound is near it', () => {
    const used = (mb: number) => ({ heap: 2 * mb * 2 ** 20, heapUsed: mb * 2 ** 20, external: 0, wasm: 0 });
    assert.equal(nearHeapBound(used(97), 128), true);
    assert.equal(nearHeapBound(used(95), 128), false);
    // No bound (the editor's pool) or no report: never near.
    assert.equal(nearHeapBound(used(500), undefined), false);
    assert.equal(nearHeapBound(undefined, 128), false);
  });

  test('the recycling policy counts files, characters, and memory grown above the floor', () => {
    const MB = 1 << 20;
    const mem = (heap: number, wasm: number) => ({
      heap: heap * MB,
      heapUsed: heap * MB,
      external: 0,
      wasm: wasm * MB,
    });
    const life = new WorkerLife();
    life.reported(mem(20, 32)); // ready: the floor is 52 MB
    life.answered(10, mem(60, 32));
    assert.equal(life.retireReason({ maxJobs: 2, maxChars: 100, maxGrowthBytes: 48 * MB }), undefined);
    assert.equal(
      life.retireReason({ maxGrowthBytes: 40 * MB }),
      'its heap (60 MB) and tree-sitter memory (32 MB) grew 40 MB',
    );
    // Facts arrive: the next report is the new floor, so what the worker must keep never retires it.
    life.rebase();
    life.answered(95, mem(150, 32));
    assert.equal(life.retireReason({ maxGrowthBytes: 40 * MB }), undefined);
    assert.equal(life.retireReason({ maxJobs: 2 }), '2 files');
    assert.equal(life.retireReason({ maxChars: 100 }), '0 MB of text');
    // A large file grows tree-sitter's memory for good: that is growth.
    life.answered(1, mem(150, 96));
    assert.equal(
      life.retireReason({ maxGrowthBytes: 40 * MB }),
      'its heap (150 MB) and tree-sitter memory (96 MB) grew 64 MB',
    );
  });

  test('a file that needs more heap than the bound is retried once with a larger one, else skipped with the reason', async () => {
    const logs: string[] = [];
    const outcomes = await withHooks(async () => {
      const pool = new WorkerPool(
        workerScript(),
        1,
        { onLog: (m) => logs.push(m) },
        // Young generation bounded too, so that the allocation reaches the old generation quickly.
        { keepProcessAlive: true, heapLimitMb: 48, youngGenerationMb: 8 },
      );
      try {
        // 96 MB does not fit the 48 MB bound but fits 4 × 48; 400 MB fits neither the doubled bound nor 4 × that.
        const fits = await pool.run(job('big.ts', `// mcp-sentinel-test:alloc=96\n${SHELL}`));
        const never = await pool.run(job('huge.ts', `// mcp-sentinel-test:alloc=400\n${SHELL}`));
        const after = await pool.run(job('next.ts', SHELL));
        return { fits, never, after, memory: { ...pool.memory } };
      } finally {
        await pool.dispose();
      }
    });
    assert.equal(OOM_RETRY_FACTOR, 4);
    assert.equal(outcomes.fits.kind, 'done', JSON.stringify(outcomes.fits));
    assert.ok(
      outcomes.fits.kind === 'done' && outcomes.fits.result.findings.some((f) => f.ruleId.includes('command')),
      'the retried file was scanned in full',
    );
    assert.deepEqual(outcomes.never, {
      kind: 'skipped',
      reason: "the file needs more memory than the scanner's 384 MB heap",
    });
    assert.equal(outcomes.after.kind, 'done', 'the pool goes on');
    assert.equal(outcomes.memory.retriedOutOfMemory, 2);
    assert.ok(
      logs.some((l) => /ran out of its 48 MB heap while scanning big\.ts: retrying it with 192 MB/.test(l)),
      logs.join('\n'),
    );
    // Each worker that runs out doubles the bound of the workers started after it: huge.ts met 96 MB, not 48.
    assert.ok(
      logs.some((l) => /ran out of its 96 MB heap while scanning huge\.ts: retrying it with 384 MB/.test(l)),
      logs.join('\n'),
    );
  });

  test('recycling after every file changes no finding, skipped file or count of a scan', async () => {
    const target = join(ROOT, 'examples');
    const usual = await runScan({ paths: [target], workers: 2 });
    const recycled = await runScan({ paths: [target], workers: 2, recycle: { maxJobs: 1 } });
    assert.ok(usual.findings.length > 3);
    assert.deepEqual(recycled.findings, usual.findings);
    assert.deepEqual(recycled.report.skipped, usual.report.skipped);
    assert.equal(recycled.report.stats.filesScanned, usual.report.stats.filesScanned);
    assert.ok((recycled.memory?.pool?.recycled ?? 0) >= usual.report.stats.filesScanned - 2);
  });

  test('--verbose says where the memory went', () => {
    const r = spawnCli(['scan', join(ROOT, 'examples'), '--format', 'json', '--fail-on', 'none', '--verbose']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /memory: peak RSS \d+ MB; main thread heap ≤ \d+ MB \(\d+ MB used\), external ≤ \d+ MB; per worker: heap ≤ \d+ MB, tree-sitter ≤ \d+ MB, external ≤ \d+ MB \(fresh \d+ MB\); all workers ≤ \d+ MB; workers recycled: \d+\n/,
    );
  });
});
