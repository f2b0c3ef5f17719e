// `mcp-sentinel serve` as a real child process on 127.0.0.1: each endpoint, the same report bytes as the CLI, paths
// confined to --root (symlinks too), uploads (hostile entries and oversize refused) and auth off loopback.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tar from 'tar';
import { ROOT, spawnCli } from '../cli/helpers';
import { parseMetrics, postJson, serve, type Served } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-serve-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const root = join(tmp, 'root');
const outside = join(tmp, 'outside');
mkdirSync(join(root, 'app'), { recursive: true });
mkdirSync(outside, { recursive: true });
const SERVER_PY = readFileSync(join(ROOT, 'examples/vulnerable-server-py/server.py'), 'utf8');
writeFileSync(join(root, 'app/server.py'), SERVER_PY);
writeFileSync(join(outside, 'secret.py'), SERVER_PY);
symlinkSync(outside, join(root, 'escape'));

/** A gzipped tar of the given files (names as written, so hostile ones can be made too). */
async function tgz(files: Record<string, string>): Promise<Buffer> {
  const dir = mkdtempSync(join(tmp, 'tgz-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const chunks: Buffer[] = [];
  for await (const c of tar.c({ gzip: true, cwd: dir, portable: true }, Object.keys(files)) as AsyncIterable<Buffer>)
    chunks.push(c);
  return Buffer.concat(chunks);
}

function upload(base: string, data: Buffer, fields: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([data]), 'pkg.tgz');
  return fetch(`${base}/api/v1/scan`, { method: 'POST', body: form });
}

describe('serve on loopback', () => {
  let s: Served;
  before(async () => {
    s = await serve(['--root', root, '--max-upload-bytes', '20000']);
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  test('health, ready and metrics answer; ready names the regex backend', async () => {
    const health = await fetch(`${s.base}/api/v1/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
    const ready = (await (await fetch(`${s.base}/api/v1/ready`)).json()) as Record<string, string>;
    assert.equal(ready.status, 'ready');
    assert.equal(ready.workers, 'started');
    assert.match(ready.regexBackend!, /^(re2|js)$/);
    const metrics = await fetch(`${s.base}/metrics`);
    assert.match(metrics.headers.get('content-type')!, /text\/plain/);
    assert.ok(parseMetrics(await metrics.text()).has('mcp_sentinel_process_resident_memory_bytes'));
  });

  test('a path scan answers the bytes the CLI writes, and the counters move', async () => {
    const before = parseMetrics(await (await fetch(`${s.base}/metrics`)).text());
    const res = await postJson(`${s.base}/api/v1/scan`, { path: 'app', format: 'text' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /text\/plain/);
    const cli = spawnCli(['scan', join(root, 'app'), '--no-cache', '--no-color', '--fail-on', 'none']);
    assert.equal(await res.text(), cli.stdout);
    const sarif = await postJson(`${s.base}/api/v1/scan`, { path: join(root, 'app'), format: 'sarif' });
    assert.equal(sarif.status, 200);
    assert.equal((JSON.parse(await sarif.text()) as { version: string }).version, '2.1.0');
    const m = parseMetrics(await (await fetch(`${s.base}/metrics`)).text());
    const key = 'mcp_sentinel_scans_total{outcome="ok",source="path"}';
    assert.equal(m.get(key)! - (before.get(key) ?? 0), 2);
    assert.equal(
      m.get('mcp_sentinel_files_processed_total')! - (before.get('mcp_sentinel_files_processed_total') ?? 0),
      2,
    );
    assert.ok(m.get('mcp_sentinel_findings_total{severity="critical",category="command-injection"}')! >= 2);
    assert.ok(m.get('mcp_sentinel_scan_duration_seconds_count{outcome="ok"}')! >= 2);
    // Per-rule detector time: the rule that found the injection ran, and its time is counted under its id.
    const ruleKey = 'mcp_sentinel_rule_seconds_total{rule="py-command-injection"}';
    assert.ok(m.get(ruleKey)! > (before.get(ruleKey) ?? 0), `${ruleKey} did not move`);
    // No label carries a path, a message or a secret.
    const text = await (await fetch(`${s.base}/metrics`)).text();
    assert.doesNotMatch(text, /server\.py|AKIA|subprocess/);
  });

  test('rules and categories narrow the scan; unknown ones are a 400 with a suggestion', async () => {
    const res = await postJson(`${s.base}/api/v1/scan`, { path: 'app', rules: ['py-command-injection'] });
    const report = (await res.json()) as { findings: { ruleId: string }[] };
    assert.deepEqual([...new Set(report.findings.map((f) => f.ruleId))], ['py-command-injection']);
    const bySecret = (await (
      await postJson(`${s.base}/api/v1/scan`, { path: 'app', categories: ['secret'] })
    ).json()) as {
      findings: { category: string }[];
    };
    assert.ok(bySecret.findings.length > 0 && bySecret.findings.every((f) => f.category === 'secret'));
    const bad = await postJson(`${s.base}/api/v1/scan`, { path: 'app', rules: ['py-command-injektion'] });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /unknown rule.*py-command-injection/);
  });

  test('bad bodies are a 400 with a clear message', async () => {
    for (const body of [
      {},
      { path: 'app', bogus: 1 },
      { path: 'app', package: 'npm:x@1' },
      { path: 'app', format: 'pdf' },
    ]) {
      const res = await postJson(`${s.base}/api/v1/scan`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(((await res.json()) as { message: string }).message);
    }
  });

  test('a path outside --root and a symlink escape are refused', async () => {
    for (const path of [outside, '../outside', join(root, '..', 'outside', 'secret.py')]) {
      const res = await postJson(`${s.base}/api/v1/scan`, { path });
      assert.equal(res.status, 400, path);
      assert.match(((await res.json()) as { error: string }).error, /outside the allowed roots/);
    }
    const link = await postJson(`${s.base}/api/v1/scan`, { path: 'escape' });
    assert.equal(link.status, 400);
    assert.match(((await link.json()) as { error: string }).error, /symbolic link/);
  });

  test('an uploaded .tgz is unpacked and scanned; hostile entries and oversize uploads are refused', async () => {
    const ok = await upload(s.base, await tgz({ 'package/server.py': SERVER_PY }), { format: 'json' });
    assert.equal(ok.status, 200);
    const report = (await ok.json()) as { findings: { ruleId: string; file: string }[] };
    assert.ok(report.findings.some((f) => f.ruleId === 'py-command-injection' && f.file === 'package/server.py'));
    const climb = await upload(s.base, await tgz({ 'a/../../x.py': 'x = 1\n' }));
    assert.equal(climb.status, 400);
    const big = await upload(s.base, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(30_000, 1)]));
    assert.equal(big.status, 413);
    const notArchive = await upload(s.base, Buffer.from('just text'));
    assert.equal(notArchive.status, 400);
  });

  test('a scan id that does not exist is a 404', async () => {
    const res = await fetch(`${s.base}/api/v1/scans/nope`, { method: 'DELETE' });
    assert.equal(res.status, 404);
  });
});

describe('serve off loopback', () => {
  test('refuses to start without a token (exit 2, the reason on stderr)', async () => {
    const r = spawnCli(['serve', '--host', '0.0.0.0', '--port', '0'], ROOT, { MCP_SENTINEL_TOKEN: '' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refusing to listen on 0\.0\.0\.0 without a bearer token/);
  });

  test('with a token file, requests need the bearer token; the probes do not', async () => {
    const tokenFile = join(tmp, 'token');
    writeFileSync(tokenFile, 'test-token-value\n');
    const s = await serve(['--host', '0.0.0.0', '--token-file', tokenFile, '--root', root]);
    try {
      assert.equal((await fetch(`${s.base}/api/v1/health`)).status, 200);
      assert.equal((await fetch(`${s.base}/api/v1/ready`)).status, 200);
      const none = await postJson(`${s.base}/api/v1/scan`, { path: 'app' });
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      assert.equal(
        (await postJson(`${s.base}/api/v1/scan`, { path: 'app' }, { authorization: 'Bearer wrong' })).status,
        401,
      );
      assert.equal((await fetch(`${s.base}/metrics`)).status, 401);
      const ok = await postJson(`${s.base}/api/v1/scan`, { path: 'app' }, { authorization: 'Bearer test-token-value' });
      assert.equal(ok.status, 200);
      // The token never reaches a log line.
      assert.ok(!s.logs.some((l) => JSON.stringify(l).includes('test-token-value')));
    } finally {
      assert.equal(await s.stop(), 0);
    }
  });
});
