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

test('an idle owner re-parses a version ahead of its scan, and results crossing as changes equal a fresh scan', async () => {
  const pool = new WorkerPool(workerScript(), 1, {}, { keepProcessAlive: true });
  const fresh = new WorkerPool(workerScript(), 1, {}, { keepProcessAlive: true });
  try {
    // Many findings, most of which move when a line is inserted above them, with related locations in the file.
    const tools = Array.from(
      { length: 12 },
      (_, i) =>
        `server.tool('run_${i}', 'Runs command ${i}.', { cmd: z.string() }, async ({ cmd }) => {\n  exec(cmd);\n  return { content: [] };\n});\n`,
    ).join('');
    const base =
      "import { exec } from 'node:child_process';\nimport { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nimport { z } from 'zod';\nconst server = new McpServer({ name: 's', version: '1' });\n" +
      tools;
    let text = base;
    const first = await pool.run(job('d', text, 1, []));
    assert.equal(parsed(first), 'full');
    for (let v = 2; v <= 5; v++) {
      // A line typed between two tools, then the scan after the debounce; the prepare goes first, as the server
      // sends it when the change arrives.
      const at = text.indexOf("server.tool('run_6'");
      const line = `const token${v} = 'value ${v}';\n`;
      const steps: ChangeStep[] = [{ base: v - 1, version: v, edits: [{ start: at, end: at, text: line }] }];
      text = text.slice(0, at) + line + text.slice(at);
      pool.prepare({ key: 'd', version: v, steps }, text, 'typescript');
      const live = await pool.run(job('d', text, v, steps));
      assert.equal(parsed(live), 'advanced', `version ${v}`);
      const whole = await fresh.run({ ...job(`fresh-${v}`, text, 1, []), file: 'd.ts' });
      assert.ok(live.kind === 'done' && whole.kind === 'done');
      assert.ok(whole.result.findings.length >= 12, 'the fixture has findings to move');
      assert.deepEqual(live.result.findings, whole.result.findings, `version ${v}: findings`);
      assert.deepEqual(live.result.facts, whole.result.facts, `version ${v}: facts`);
    }
  } finally {
    await pool.dispose();
    await fresh.dispose();
  }
});
