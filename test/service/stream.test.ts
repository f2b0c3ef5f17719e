// The scan service's streaming and flow control, on a real child process: progress and findings as found, cancel by
// DELETE and by disconnect (the scan really stops: a file that hangs its worker forever would otherwise hold it), a
// full queue answered 429 with Retry-After, and SIGTERM draining. Scans are held or hung by test hooks, so every
// step waits for an event.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT } from '../cli/helpers';
import { parseMetrics, postJson, serve, SseReader } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-serve-stream-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const SERVER_PY = readFileSync(join(ROOT, 'examples/vulnerable-server-py/server.py'), 'utf8');
/**
 * a.py reports; z.yaml hangs its worker (MCP_SENTINEL_TEST_HOOKS) with a per-file budget far beyond any test. The
 * hanging file is YAML so that the facts pass (which reads only files that can define MCP tools) never sends it.
 */
const hanging = join(tmp, 'hanging');
mkdirSync(hanging);
writeFileSync(join(hanging, 'a.py'), SERVER_PY);
writeFileSync(join(hanging, 'z.yaml'), '# mcp-sentinel-test:hang\naws_key: AKIAIOSFODNN7EXAMPLQ\n');
writeFileSync(join(hanging, '.mcp-sentinel.json'), JSON.stringify({ limits: { timeoutMs: 3_600_000 } }));
const plain = join(tmp, 'plain');
mkdirSync(plain);
writeFileSync(join(plain, 'server.py'), SERVER_PY);

const HOOKS = { MCP_SENTINEL_TEST_HOOKS: '1', MCP_SENTINEL_SERVE_TEST_HOOKS: '1' };

describe('streaming', () => {
  test('progress and findings arrive as found; DELETE stops the scan; a disconnect stops it too', async () => {
    const s = await serve(['--root', tmp, '--workers-per-scan', '1'], HOOKS);
    try {
      const res = await postJson(`${s.base}/api/v1/scan/stream`, { path: 'hanging' });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /text\/event-stream/);
      const events = new SseReader(res);
      const { id } = (await events.next('scan')).data as { id: string };
      const finding = await events.next('finding');
      assert.equal(finding.data.file, 'a.py');
      assert.equal((await events.next('progress')).data.done, 1);
      // z.yaml now hangs its worker: only cancelling can end the scan.
      const del = await fetch(`${s.base}/api/v1/scans/${id}`, { method: 'DELETE' });
      assert.equal(del.status, 202);
      assert.equal((await events.next('cancelled')).data.reason, 'cancel');
      assert.ok(!events.events.some((e) => e.type === 'done'));

      // The client that started a scan goes away: a second client following the same scan sees it cancelled.
      const abort = new AbortController();
      const owner = new SseReader(
        await postJson(`${s.base}/api/v1/scan/stream`, { path: 'hanging' }, {}, abort.signal),
      );
      const id2 = ((await owner.next('scan')).data as { id: string }).id;
      await owner.next('finding');
      const follower = new SseReader(await fetch(`${s.base}/api/v1/scans/${id2}/events`));
      await follower.next('finding');
      abort.abort();
      assert.equal((await follower.next('cancelled')).data.reason, 'disconnect');
      const m = parseMetrics(await (await fetch(`${s.base}/metrics`)).text());
      assert.equal(m.get('mcp_sentinel_scans_total{outcome="cancelled",source="path"}'), 2);
    } finally {
      assert.equal(await s.stop(), 0);
    }
  });
});

describe('flow control', () => {
  test('a full queue answers 429 with Retry-After; held scans finish once released', async () => {
    const s = await serve(['--root', tmp, '--concurrency', '1', '--queue', '1'], HOOKS);
    try {
      await postJson(`${s.base}/api/v1/test/hold`, {});
      const first = new SseReader(await postJson(`${s.base}/api/v1/scan/stream`, { path: 'plain' }));
      await first.next('held');
      const second = new SseReader(await postJson(`${s.base}/api/v1/scan/stream`, { path: 'plain' }));
      await second.next('queued');
      const m = parseMetrics(await (await fetch(`${s.base}/metrics`)).text());
      assert.equal(m.get('mcp_sentinel_queue_depth'), 1);
      const third = await postJson(`${s.base}/api/v1/scan`, { path: 'plain' });
      assert.equal(third.status, 429);
      assert.equal(third.headers.get('retry-after'), '1');
      await postJson(`${s.base}/api/v1/test/release`, {});
      assert.ok(((await first.next('done')).data.findings as number) > 0);
      assert.ok(((await second.next('done')).data.findings as number) > 0);
    } finally {
      assert.equal(await s.stop(), 0);
    }
  });

  test('SIGTERM drains: an in-flight scan finishes, then the process exits 0', async () => {
    const s = await serve(['--root', tmp], HOOKS);
    await postJson(`${s.base}/api/v1/test/hold`, {});
    const scan = new SseReader(await postJson(`${s.base}/api/v1/scan/stream`, { path: 'plain' }));
    await scan.next('held');
    s.child.kill('SIGTERM');
    assert.equal((await s.logEvent('draining')).scans, 1);
    // The listener is closed now: the test hook's signal lets the held scan go on.
    s.child.kill('SIGUSR2');
    assert.ok(((await scan.next('done')).data.findings as number) > 0);
    assert.equal(await s.exited, 0);
  });

  test('SIGTERM past the deadline cancels what is still running, then exits 0', async () => {
    const s = await serve(['--root', tmp, '--shutdown-ms', '0'], HOOKS);
    await postJson(`${s.base}/api/v1/test/hold`, {});
    const scan = new SseReader(await postJson(`${s.base}/api/v1/scan/stream`, { path: 'plain' }));
    await scan.next('held');
    s.child.kill('SIGTERM');
    assert.equal((await scan.next('cancelled')).data.reason, 'shutdown');
    assert.equal(await s.exited, 0);
  });
});
