// Package vetting over stdio (`mcpSentinel/vetServers`, server/lsp/vet.ts). The workspace's `.vscode/mcp.json` launches
// `npx -y some-local-server`, whose code is installed in the workspace's node_modules (test/e2e/fixtures/vet holds
// both). The first suite drives the handler with the engine stood in by canned results (server/lsp/vetTestHook.ts):
// the lens before and after vetting, the request's results and progress, the hover, a package file, cancellation.
// The last suite runs the real engine on the same workspace (no network: the package is installed).
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { ServerVet } from '../../server/cli/vet';
import type { VetServersResult } from '../../shared/protocol';
import cacache from 'cacache';
import { tarball } from '../packages/tarballs';
import { CancellationTokenSource, REPO, TestClient, withTimeout } from './harness';

const FIXTURE = join(REPO, 'test', 'e2e', 'fixtures', 'vet');
const CONFIG = join(FIXTURE, '.vscode', 'mcp.json');

interface Lens {
  range: { start: { line: number; character: number } };
  command?: { title: string; command: string; arguments?: unknown[] };
}

/** A copy of the fixture workspace with the package installed in node_modules. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-sentinel-vet-'));
  cpSync(FIXTURE, dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  cpSync(join(FIXTURE, 'packages', 'some-local-server'), join(dir, 'node_modules', 'some-local-server'), {
    recursive: true,
  });
  return dir;
}

/** What the engine answers for the fixture's `local` entry (the shape of a real result, trimmed). */
function localResult(): ServerVet {
  const reg = (tool: string, line: number) => ({
    file: 'npm:some-local-server@1.0.0/index.js',
    range: { start: { line, column: 1 }, end: { line, column: 12 } },
    message: `Tool \`${tool}\` of server \`some-local-server\` is registered here.`,
  });
  const finding = (ruleId: string, category: string, severity: string, message: string, line: number) => ({
    ruleId,
    category,
    severity,
    message,
    file: 'npm:some-local-server@1.0.0/index.js',
    range: { start: { line, column: 9 }, end: { line, column: 30 } },
    fingerprint: `${ruleId}-fp`,
  });
  return {
    config: '.vscode/mcp.json',
    server: 'local',
    line: 2,
    character: 4,
    launcher: 'npx',
    package: 'some-local-server@1.0.0',
    pinned: true,
    status: 'vetted',
    summary: '2 tools · runs shell · 1 critical',
    vet: {
      request: 'npm:some-local-server@1.0.0',
      name: 'some-local-server',
      version: '1.0.0',
      integrity: 'sha512-AAAA',
      from: 'node_modules',
      report: {
        tool: { name: 'mcp-sentinel', version: '0.1.0' },
        root: '/',
        findings: [
          finding(
            'js-command-injection',
            'command-injection',
            'critical',
            'Tool parameter `command` reaches exec.',
            10,
          ),
          {
            ...finding('mcp-capability-shell', 'capability', 'info', 'Tool runs shell.', 10),
            related: [reg('run_command', 8)],
          },
        ],
        skipped: [],
        stats: {},
      },
      inventory: {
        servers: [
          {
            name: 'some-local-server',
            tools: [
              {
                name: 'run_command',
                registration: { file: 'index.js', line: 8, column: 1 },
                handlerFound: true,
                capabilities: [{ capability: 'shell', argumentControlled: true, sites: [] }],
              },
              {
                name: 'read_notes',
                registration: { file: 'index.js', line: 14, column: 1 },
                handlerFound: true,
                capabilities: [{ capability: 'file-read', argumentControlled: false, sites: [] }],
              },
            ],
          },
        ],
      },
    },
  } as unknown as ServerVet;
}

describe('vetting over stdio, with the engine stood in', () => {
  let dir: string;
  let c: TestClient;
  let configUri: string;
  let refreshes = 0;
  const canned = (): string => join(dir, 'canned.json');

  before(async () => {
    dir = workspace();
    configUri = pathToFileURL(join(dir, '.vscode', 'mcp.json')).href;
    writeFileSync(canned(), JSON.stringify({ servers: [localResult()] }));
    c = new TestClient({}, { MCP_SENTINEL_TEST_VET: canned() });
    c.conn.onRequest('workspace/codeLens/refresh', () => {
      refreshes++;
      return null;
    });
    await c.initialize(dir, { codeLens: { refreshSupport: true } });
    await c.open(configUri, readFileSync(CONFIG, 'utf8'), 'jsonc');
  });
  after(async () => {
    await c.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const lenses = async (): Promise<Lens[]> =>
    c.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: configUri } });

  it('puts a "Vet package" lens on each entry that launches a package, and none on a local script', async () => {
    const ls = await lenses();
    assert.deepEqual(
      ls.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]),
      [[2, 'Vet package', 'mcpSentinel.vetServer', [configUri, 'local']]],
    );
  });

  it('vets one server on request, with progress, and the lens then shows the summary', async () => {
    const before = refreshes;
    const token = 'vet-1';
    const res = await c.request<VetServersResult>('mcpSentinel/vetServers', {
      configs: [configUri],
      servers: ['local'],
      workDoneToken: token,
    });
    assert.equal(res.cancelled, false);
    assert.equal(res.error, undefined);
    assert.equal(res.servers.length, 1);
    const v = res.servers[0]!;
    assert.equal(v.configUri, configUri);
    assert.deepEqual(
      [v.server, v.status, v.version, v.integrity, v.from],
      ['local', 'vetted', '1.0.0', 'sha512-AAAA', 'node_modules'],
    );
    assert.deepEqual(
      v.tools.map((t) => [t.name, t.capabilities, t.summary]),
      [
        ['run_command', ['shell'], 'runs shell · argument-controlled'],
        ['read_notes', ['file-read'], 'reads files'],
      ],
    );
    // The capability inventory is listed as tools, not repeated as findings.
    assert.deepEqual(
      v.findings.map((f) => [f.ruleId, f.severity, f.path, f.line]),
      [['js-command-injection', 'critical', 'npm:some-local-server@1.0.0/index.js', 10]],
    );
    const progress = c.progress.filter((p) => p.token === token).map((p) => p.value.kind);
    assert.equal(progress[0], 'begin');
    assert.ok(
      c.progress.some((p) => p.token === token && p.value.message?.startsWith('resolving .vscode/mcp.json')),
      'the engine progress lines reach the client',
    );
    await c.waitForNotification(
      '$/progress',
      (p: { token: string; value: { kind: string } }) => p.token === token && p.value.kind === 'end',
    );
    const ls = await lenses();
    assert.equal(ls[0]!.command?.title, 'Vet package: 2 tools · runs shell · 1 critical');
    await withTimeout(
      (async () => {
        while (refreshes === before) await new Promise((r) => setImmediate(r));
      })(),
      5000,
      'a lens refresh',
    );
  });

  it('shows the last result in a hover on the package name', async () => {
    const text = readFileSync(CONFIG, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('"some-local-server@1.0.0"'));
    const character = text.split('\n')[line]!.indexOf('some-local-server') + 3;
    const hover = await c.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri: configUri },
      position: { line, character },
    });
    assert.ok(hover);
    const md = hover.contents.value;
    assert.match(md, /vetted some-local-server@1\.0\.0/);
    assert.match(md, /sha512-AAAA/);
    assert.match(md, /`run_command` — runs shell · argument-controlled/);
    assert.match(md, /critical `js-command-injection`/);
    // Nothing to show on a line that names no package.
    const none = await c.request('textDocument/hover', {
      textDocument: { uri: configUri },
      position: { line: 0, character: 0 },
    });
    assert.equal(none, null);
  });

  it('serves a vetted file read from node_modules, and nothing outside the package', async () => {
    const ok = await c.request<{ text: string } | null>('mcpSentinel/packageFile', {
      configUri,
      path: 'npm:some-local-server@1.0.0/index.js',
    });
    assert.match(ok?.text ?? '', /server\.tool\("run_command"/);
    for (const path of ['npm:some-local-server@1.0.0/../../.vscode/mcp.json', 'npm:other@1.0.0/index.js']) {
      assert.equal(await c.request('mcpSentinel/packageFile', { configUri, path }), null, path);
    }
  });

  it('answers a cancelled request with what it has', async () => {
    writeFileSync(canned(), JSON.stringify({ servers: [], hang: true }));
    const cts = new CancellationTokenSource();
    const token = 'vet-cancel';
    const begun = c.waitForNotification(
      '$/progress',
      (p: { token: string; value: { message?: string } }) =>
        p.token === token && !!p.value.message?.startsWith('resolving'),
    );
    const pending = c.request<VetServersResult>('mcpSentinel/vetServers', { workDoneToken: token }, cts);
    await begun;
    cts.cancel();
    const res = await pending;
    assert.deepEqual(res, { servers: [], cancelled: true });
  });
});

describe('a file of a package vetted from the registry', () => {
  it('opens from the tarball in the cache, offline, and not once the cache is gone', async () => {
    const dir = workspace();
    const cacheHome = mkdtempSync(join(tmpdir(), 'mcp-sentinel-vet-cache-'));
    // The tarball as pacote leaves it after a vet: content-addressed by its integrity in the npm cache folder.
    const bytes = tarball([
      { path: 'package/package.json', data: JSON.stringify({ name: 'some-local-server', version: '1.0.0' }) },
      { path: 'package/index.js', data: '// the registry release, not the installed copy\nexec(command);\n' },
    ]);
    const npmCache = join(cacheHome, 'mcp-sentinel', 'npm');
    const integrity = String(await cacache.put(npmCache, 'test-tarball', bytes, { algorithms: ['sha512'] }));
    const result = localResult();
    Object.assign(result.vet!, { from: 'registry', integrity });
    writeFileSync(join(dir, 'canned.json'), JSON.stringify({ servers: [result] }));
    // NODE_TEST_CONTEXT emptied: the server uses a cache folder only outside the test runner's own processes.
    const c = new TestClient(
      {},
      { MCP_SENTINEL_TEST_VET: join(dir, 'canned.json'), XDG_CACHE_HOME: cacheHome, NODE_TEST_CONTEXT: '' },
    );
    try {
      await c.initialize(dir);
      const configUri = pathToFileURL(join(dir, '.vscode', 'mcp.json')).href;
      const res = await c.request<VetServersResult>('mcpSentinel/vetServers', { configs: [configUri] });
      assert.equal(res.servers[0]?.from, 'registry');
      const file = (path: string) => c.request<{ text: string } | null>('mcpSentinel/packageFile', { configUri, path });
      assert.match((await file('npm:some-local-server@1.0.0/index.js'))?.text ?? '', /the registry release/);
      assert.equal(await file('npm:some-local-server@1.0.0/missing.js'), null);
      assert.equal(await file('npm:some-local-server@1.0.0/../package.json'), null);
      rmSync(npmCache, { recursive: true, force: true });
      assert.equal(await file('npm:some-local-server@1.0.0/index.js'), null);
    } finally {
      await c.dispose();
      rmSync(dir, { recursive: true, force: true });
      rmSync(cacheHome, { recursive: true, force: true });
    }
  });
});

describe('vetting over stdio, with the real engine', () => {
  it('vets the installed package of a config entry without the network', async (t) => {
    const dir = workspace();
    const c = new TestClient({}, { MCP_SENTINEL_TEST_HOOKS: '0' });
    try {
      await c.initialize(dir);
      const configUri = pathToFileURL(join(dir, '.vscode', 'mcp.json')).href;
      const res = await c.request<VetServersResult>('mcpSentinel/vetServers', { configs: [configUri] });
      if (res.error?.includes('not built yet')) {
        t.skip('waits for the vetting engine (server/cli/vet.ts)');
        return;
      }
      // A lens click names one entry, and only that entry is vetted.
      const one = await c.request<VetServersResult>('mcpSentinel/vetServers', {
        configs: [configUri],
        servers: ['script'],
      });
      assert.deepEqual(
        one.servers.map((s) => [s.server, s.status]),
        [['script', 'not-a-package']],
      );
      assert.equal(res.error, undefined);
      const local = res.servers.find((s) => s.server === 'local');
      assert.ok(local, JSON.stringify(res));
      assert.deepEqual([local.status, local.from, local.version], ['vetted', 'node_modules', '1.0.0']);
      assert.deepEqual(
        local.tools.map((t) => [t.name, t.capabilities]),
        [
          ['run_command', ['shell']],
          ['read_notes', ['file-read']],
        ],
      );
      assert.ok(
        local.findings.some((f) => f.ruleId === 'js-command-injection'),
        JSON.stringify(local.findings),
      );
      // The lens shows the result, and the finding's file opens read-only from node_modules.
      await c.open(configUri, readFileSync(CONFIG, 'utf8'), 'jsonc');
      const ls = await c.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: configUri } });
      assert.deepEqual(
        ls.map((l) => l.command?.title),
        [`Vet package: ${local.summary}`],
      );
      const file = await c.request<{ text: string } | null>('mcpSentinel/packageFile', {
        configUri,
        path: local.findings[0]!.path,
      });
      assert.match(file?.text ?? '', /exec\(command/);
    } finally {
      await c.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
