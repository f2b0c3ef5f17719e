// Package requests (`{ package: "npm:name@version" }`) in-process with a fake vetting function: the report is
// rendered as the CLI renders it, vetting errors map to clear statuses, and repeated resolver failures open the
// circuit breaker (503 with Retry-After) so that a broken registry is not hammered by every request.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { runScan } from '../../server/cli/scan';
import { VetError, type PackageVet, type VetOptions } from '../../server/cli/vet';
import { renderJson } from '../../server/reports';
import { buildService } from '../../server/service/app';
import { parseServeArgs } from '../../server/service/options';
import { setUpTracing } from '../../server/service/tracing';
import { writeWorkspace } from '../cli/helpers';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-serve-pkg-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('package requests go through vetPackage behind a circuit breaker', async () => {
  const dir = writeWorkspace(tmp, 'pkg', {
    'index.js': 'const { exec } = require("child_process");\nexec(process.argv[2]);\n',
  });
  const { report } = await runScan({ paths: [dir], cwd: dir });
  const seen: { request: string; options: VetOptions }[] = [];
  let fail: VetError | undefined;
  const vet = async (request: string, options: VetOptions): Promise<PackageVet> => {
    seen.push({ request, options });
    if (fail) throw fail;
    return {
      request,
      name: 'demo',
      version: '1.0.0',
      integrity: 'sha512-test',
      from: 'registry',
      report,
      inventory: { servers: [] } as unknown as PackageVet['inventory'],
    };
  };
  const opts = parseServeArgs(['--port', '0', '--no-cache'], {}, tmp, undefined);
  assert.notEqual(opts, 'help');
  const svc = buildService(opts as Exclude<typeof opts, 'help'>, setUpTracing({}), {
    vetPackage: vet,
    logStream: new PassThrough(),
    cwd: tmp,
  });
  try {
    const post = (body: unknown) =>
      svc.app.inject({ method: 'POST', url: '/api/v1/scan', payload: body as Record<string, unknown> });
    const ok = await post({ package: 'npm:demo@1.0.0', format: 'json' });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.body, renderJson(report));
    assert.equal(seen[0]!.request, 'npm:demo@1.0.0');
    assert.equal(seen[0]!.options.cwd, tmp);
    assert.ok(seen[0]!.options.signal instanceof AbortSignal);
    const sarif = await post({ package: 'npm:demo@1.0.0', format: 'sarif' });
    assert.equal(sarif.statusCode, 200);
    assert.equal((await post({ package: 'npm:demo@1.0.0', rules: ['js-command-injection'] })).statusCode, 400);

    fail = new VetError('not-found', 'no such package: npm:nope');
    const missing = await post({ package: 'npm:nope@1.0.0' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /no such package/);

    // Resolver failures (network) count toward the breaker; after enough of them it opens and answers 503 at once.
    fail = new VetError('network', 'registry unreachable');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await post({ package: 'npm:demo@1.0.0' })).statusCode);
    assert.ok(statuses.includes(502), statuses.join());
    const open = await post({ package: 'npm:demo@1.0.0' });
    assert.equal(open.statusCode, 503);
    assert.equal(open.headers['retry-after'], '30');
    const calls = seen.length;
    await post({ package: 'npm:demo@1.0.0' });
    assert.equal(seen.length, calls, 'an open breaker does not call the resolver');
    const metrics = await svc.app.inject({ method: 'GET', url: '/metrics' });
    assert.match(metrics.body, /mcp_sentinel_package_breaker_open 1/);
  } finally {
    await svc.shutdown(0);
  }
});

test('with the real vetPackage: local files are refused, a registry package is vetted or refused with a reason', async () => {
  const opts = parseServeArgs(['--port', '0', '--no-cache'], {}, tmp, undefined);
  const svc = buildService(opts as Exclude<typeof opts, 'help'>, setUpTracing({}), {
    logStream: new PassThrough(),
    cwd: tmp,
  });
  try {
    const post = (body: Record<string, unknown>) =>
      svc.app.inject({ method: 'POST', url: '/api/v1/scan', payload: body });
    // vetPackage reads local tarballs too; the service takes registry packages only.
    for (const spec of ['npm:file:/etc/passwd', 'npm:demo@1.0.0.tgz', 'npm:../x', 'npm:/abs/pkg.tgz']) {
      const res = await post({ package: spec });
      assert.equal(res.statusCode, 400, spec);
    }
    // A name nobody publishes: 404 when the registry answers, 502 when it cannot be reached (no network here).
    const res = await post({ package: 'npm:@mcp-sentinel-test-none/no-such-package@1.0.0' });
    assert.ok([404, 502, 504].includes(res.statusCode), `${res.statusCode} ${res.body}`);
    assert.ok((JSON.parse(res.body) as { error: string }).error.length > 0);
  } finally {
    await svc.shutdown(0);
  }
});
