// Sticky assignment of editor documents in the worker pool: every job of a document goes to the worker that owns it,
// which re-parses incrementally from its kept tree; `forget` frees the state (the next job parses in full), and a
// worker that crashed takes its state with it (the next job parses the full text on its replacement).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { WorkerPool, workerScript, type PoolJob, type PoolOutcome } from '../../server/workers/pool';
import type { ChangeStep } from '../../server/workers/protocol';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-sticky-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const BASE = 'import { exec } from "node:child_process";\nexport function run(cmd: string) {\n  exec(cmd);\n}\n';

function job(key: string, text: string, version: number, steps: ChangeStep[]): PoolJob {
  return {
    key,
    timeoutMs: 60_000,
    project: { root: tmp, overrides: {} },
    file: `${key}.ts`,
    text,
    epoch: 0,
    document: { key, version, steps },
  };
}

function parsed(o: PoolOutcome): string | undefined {
  assert.equal(o.kind, 'done');
  return o.kind === 'done' ? o.result.parsed : undefined;
}

test('a document’s jobs go to its owner worker, which re-parses incrementally; forget frees the state', async () => {
  const pool = new WorkerPool(workerScript(), 2, {}, { keepProcessAlive: true });
  try {
    // Two documents at once, so both workers hold one each; then each document's edits find their owner.
    const [a1, b1] = await Promise.all([pool.run(job('a', BASE, 1, [])), pool.run(job('b', BASE, 1, []))]);
    assert.equal(parsed(a1), 'full');
    assert.equal(parsed(b1), 'full');
    const line = 'const x = 1;\n';
    const step: ChangeStep = { base: 1, version: 2, edits: [{ start: 0, end: 0, text: line }] };
    for (let round = 0; round < 3; round++) {
      const v = 2 + round;
      const steps: ChangeStep[] = [{ ...step, base: v - 1, version: v }];
      const text = line.repeat(round + 1) + BASE;
      const [a, b] = await Promise.all([pool.run(job('a', text, v, steps)), pool.run(job('b', text, v, steps))]);
      assert.equal(parsed(a), 'incremental', `round ${round}: a`);
      assert.equal(parsed(b), 'incremental', `round ${round}: b`);
    }
    pool.forget('a');
    const text = line.repeat(4) + BASE;
    const again = await pool.run(job('a', text, 5, [{ ...step, base: 4, version: 5 }]));
    assert.equal(parsed(again), 'full');
  } finally {
    await pool.dispose();
  }
});

test('a crashed owner loses its state: the next job parses the full text on the replacement worker', async () => {
  // The crash hook (server/workers/testHooks.ts) is read by the workers, which copy the environment when they start.
  const saved = process.env.MCP_SENTINEL_TEST_HOOKS;
  process.env.MCP_SENTINEL_TEST_HOOKS = '1';
  const pool = new WorkerPool(workerScript(), 1, {}, { keepProcessAlive: true });
  try {
    assert.equal(parsed(await pool.run(job('c', BASE, 1, []))), 'full');
    const crashed = await pool.run(job('c', '// mcp-sentinel-test:crash\n', 2, []));
    assert.equal(crashed.kind, 'skipped');
    const line = 'const y = 2;\n';
    const next = await pool.run(
      job('c', line + BASE, 3, [{ base: 1, version: 3, edits: [{ start: 0, end: 0, text: line }] }]),
    );
    assert.equal(parsed(next), 'full');
  } finally {
    await pool.dispose();
    if (saved === undefined) delete process.env.MCP_SENTINEL_TEST_HOOKS;
    else process.env.MCP_SENTINEL_TEST_HOOKS = saved;
  }
});
