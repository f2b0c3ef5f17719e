// vetPackage on local tarballs (no network): the report's paths are named after the package, the inventory and the
// tool hashes are built, hostile entries and broken limits are findings of the package rules, an integrity mismatch
// is a VetError, a second vet is answered from the cache, and the private folder is always removed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { vetPackage, vetServers, VetError } from '../../server/cli/vet';
import { serverPackage, tarball } from './tarballs';

let base: string;
let scratch: string;
const savedTmp = process.env.TMPDIR;

before(() => {
  base = mkdtempSync(join(tmpdir(), 'vet-local-'));
  // The vets' private folders go here, so the tests can see that none is left behind.
  scratch = join(base, 'tmp');
  mkdirSync(scratch);
  process.env.TMPDIR = scratch;
});
after(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(base, { recursive: true, force: true });
});

function write(name: string, bytes: Buffer): string {
  const p = join(base, name);
  writeFileSync(p, bytes);
  return p;
}

describe('vetPackage with a local tarball', () => {
  test('scans the package, names paths after it and builds the inventory', async () => {
    const file = write('demo.tgz', tarball(serverPackage()));
    const v = await vetPackage(file, { cwd: base });
    assert.equal(v.name, 'demo-mcp-server');
    assert.equal(v.version, '1.0.0');
    assert.equal(v.from, 'tarball');
    assert.match(v.integrity, /^sha512-/);
    assert.equal(v.report.root, 'npm:demo-mcp-server@1.0.0');
    const ids = v.report.findings.map((f) => `${f.ruleId} ${f.file}:${f.range.start.line}`);
    assert.ok(ids.includes('js-command-injection npm:demo-mcp-server@1.0.0/dist/index.js:6'), ids.join('\n'));
    const tools = v.inventory.servers.flatMap((s) => s.tools);
    assert.deepEqual(
      tools.map((t) => [t.name, t.registration.file, t.capabilities.map((c) => c.capability)]),
      [['run', 'npm:demo-mcp-server@1.0.0/dist/index.js', ['shell']]],
    );
    assert.deepEqual(Object.keys(v.toolHashes ?? {}), ['run']);
    assert.deepEqual(readdirSync(scratch), [], 'the private folder was removed');
  });

  test('hostile entries and broken limits are findings, never files', async () => {
    const file = write(
      'hostile.tgz',
      tarball([
        ...serverPackage('hostile-server'),
        { path: 'package/../../../escaped.js', data: 'x' },
        { path: 'package/evil', type: 'SymbolicLink', linkpath: '/etc/passwd' },
        ...Array.from({ length: 20 }, (_, i) => ({ path: `package/junk/${i}.js`, data: 'x' })),
      ]),
    );
    const v = await vetPackage(file, { cwd: base, limits: { files: 12 } });
    const pkg = v.report.findings.filter((f) => f.ruleId.startsWith('package-'));
    assert.deepEqual(
      pkg.map((f) => [f.ruleId, f.file]),
      [
        ['package-unsafe-entry', 'npm:hostile-server@1.0.0/evil'],
        ['package-limit-exceeded', 'npm:hostile-server@1.0.0/package.json'],
        ['package-unsafe-entry', 'npm:hostile-server@1.0.0/package.json'],
      ],
    );
    assert.match(pkg[1]!.message, /more than 12 entries/);
    assert.match(pkg[2]!.message, /escaped\.js.*leaves the package folder/);
    assert.equal(v.report.stats.bySeverity.high >= 1, true);
    assert.deepEqual(readdirSync(base).sort(), ['demo.tgz', 'hostile.tgz', 'tmp']);
    assert.deepEqual(readdirSync(scratch), []);
  });

  test('an integrity mismatch is a VetError and leaves nothing behind', async () => {
    const file = write('mismatch.tgz', tarball(serverPackage()));
    const wrong = `sha512-${Buffer.alloc(64).toString('base64')}`;
    await assert.rejects(vetPackage(file, { cwd: base, integrity: wrong }), (e: unknown) => {
      assert.ok(e instanceof VetError);
      assert.equal(e.code, 'integrity');
      return true;
    });
    assert.deepEqual(readdirSync(scratch), []);
  });

  test('a corrupt tarball is a VetError', async () => {
    const file = write('corrupt.tgz', Buffer.from('not a tarball at all'));
    await assert.rejects(vetPackage(file, { cwd: base }), (e: unknown) => e instanceof VetError);
    assert.deepEqual(readdirSync(scratch), []);
  });

  test('the same tarball again comes from the cache, with the same report', async () => {
    const file = write('cached.tgz', tarball(serverPackage('cached-server')));
    const cacheDir = join(base, 'cache');
    const first = await vetPackage(file, { cwd: base, cacheDir });
    const second = await vetPackage(file, { cwd: base, cacheDir });
    assert.equal(first.from, 'tarball');
    assert.equal(second.from, 'cache');
    assert.deepEqual(second.report.findings, first.report.findings);
    assert.deepEqual(second.inventory, first.inventory);
  });

  test('registry requests that are not registry specs are refused before any fetch', async () => {
    for (const r of ['npm:git+https://github.com/a/b.git', 'npm:a@file:../x', 'npm:a@github:a/b', 'npm:../x'])
      await assert.rejects(vetPackage(r, { cwd: base, offline: true }), (e: unknown) => {
        assert.ok(e instanceof VetError, r);
        assert.equal(e.code, 'not-found');
        return true;
      });
  });
});

/** A workspace whose node_modules holds `name@version` (a small server) and whose Cursor config lists `servers`. */
function installedWorkspace(dir: string, name: string, version: string, servers: Record<string, unknown>): string {
  const cwd = join(base, dir);
  const pkg = join(cwd, 'node_modules', ...name.split('/'));
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  mkdirSync(join(cwd, '.cursor'), { recursive: true });
  for (const e of serverPackage(name, version))
    writeFileSync(join(pkg, e.path.replace(/^package\//, '')), e.data as string);
  writeFileSync(join(cwd, '.cursor/mcp.json'), JSON.stringify({ mcpServers: servers }));
  return cwd;
}

describe('vetServers without a network', () => {
  test('a package installed at the pinned version is read from node_modules; others are listed with the reason', async () => {
    const cwd = installedWorkspace('ws', '@demo/installed-server', '2.1.0', {
      installed: { command: 'npx', args: ['-y', '@demo/installed-server@2.1.0'] },
      other: { command: 'npx', args: ['-y', '@demo/not-installed@1.0.0'] },
      py: { command: 'uvx', args: ['mcp-server-time==0.6.2'] },
      local: { command: 'npx', args: ['tsx', './src/server.ts'] },
    });
    const servers = await vetServers(undefined, { cwd, offline: true, cacheDir: join(base, 'ws-cache') });
    const by = Object.fromEntries(servers.map((s) => [s.server, s]));
    assert.equal(by.installed!.status, 'vetted');
    assert.equal(by.installed!.vet!.from, 'node_modules');
    assert.equal(by.installed!.vet!.report.root, 'npm:@demo/installed-server@2.1.0');
    assert.match(by.installed!.summary, /^1 tool · runs shell · 1 critical|^1 tool · runs shell · \d+ high/);
    assert.equal(by.other!.status, 'not-vetted');
    assert.match(by.other!.reason!, /^not vetted: .*not in the cache \(offline\)/);
    assert.equal(by.py!.reason, 'not vetted: Python registry unavailable');
    assert.equal(by.local!.status, 'not-a-package');
  });

  test('an unpinned or ranged npx launch of an installed package runs the installed copy, so that is what is vetted', async () => {
    const cwd = installedWorkspace('ws-range', 'ranged-server', '3.4.5', {
      bare: { command: 'npx', args: ['-y', 'ranged-server'] },
      caret: { command: 'npx', args: ['-y', 'ranged-server@^3.1'] },
      outside: { command: 'npx', args: ['-y', 'ranged-server@^4'] },
    });
    const servers = await vetServers(undefined, { cwd, offline: true, cacheDir: join(base, 'ws-range-cache') });
    const by = Object.fromEntries(servers.map((s) => [s.server, s]));
    for (const name of ['bare', 'caret']) {
      assert.equal(by[name]!.status, 'vetted', name);
      assert.equal(by[name]!.vet!.from, 'node_modules', name);
      assert.equal(by[name]!.vet!.version, '3.4.5', name);
    }
    // The installed 3.4.5 does not satisfy ^4: npx would fetch, so offline it is not vetted, and says why.
    assert.equal(by.outside!.status, 'not-vetted');
    // A direct package request (scan npm:NAME) asks the registry: only an exact version is read from node_modules.
    await assert.rejects(vetPackage('npm:ranged-server', { cwd, offline: true }), (e: unknown) => {
      assert.ok(e instanceof VetError);
      return true;
    });
  });

  test('a package whose scan outlasts the time budget rejects as a timeout and leaves nothing behind', async () => {
    // The test hook makes a worker spin on this file for ever: the vet's deadline must end the vet, and its signal
    // now reaches the scan, which stops its workers (before, they spun on until the per-file budget ended them).
    const entries = serverPackage('endless-server');
    entries.push({ path: 'package/dist/endless.js', data: '// mcp-sentinel-test:hang\n' });
    const file = write('endless.tgz', tarball(entries));
    const saved = process.env.MCP_SENTINEL_TEST_HOOKS;
    process.env.MCP_SENTINEL_TEST_HOOKS = '1';
    try {
      await assert.rejects(vetPackage(file, { cwd: base, timeoutMs: 1500 }), (e: unknown) => {
        assert.ok(e instanceof VetError);
        assert.equal(e.code, 'timeout');
        return true;
      });
    } finally {
      if (saved === undefined) delete process.env.MCP_SENTINEL_TEST_HOOKS;
      else process.env.MCP_SENTINEL_TEST_HOOKS = saved;
    }
    assert.deepEqual(readdirSync(scratch), []);
  });

  test('a cancelled vet rejects as cancelled and leaves nothing behind', async () => {
    const file = write('cancelled.tgz', tarball(serverPackage('cancelled-server')));
    const c = new AbortController();
    c.abort();
    await assert.rejects(vetPackage(file, { cwd: base, signal: c.signal }), (e: unknown) => {
      assert.ok(e instanceof VetError);
      assert.equal(e.code, 'cancelled');
      return true;
    });
    assert.deepEqual(readdirSync(scratch), []);
  });
});
