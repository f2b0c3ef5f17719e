// Vetting against the real npm registry: the recall benchmark's path-traversal flaw in the reference filesystem
// server (CVE-2025-53110 / CVE-2025-53109) is found in the flawed release and gone in the fixed one, a config of
// several real servers gets its tools, capabilities and findings, pins across releases report the tools that
// changed, and the cache answers a second vet offline. The packages are cached in the test's own folder, so each is
// fetched once per run. Without a reachable registry every test is skipped with a message.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { vetPackage, vetServers, type ServerVet } from '../../server/cli/vet';
import { cli } from '../cli/helpers';

const FS_FLAWED = '@modelcontextprotocol/server-filesystem@2025.3.28';
const FS_FIXED = '@modelcontextprotocol/server-filesystem@2025.7.1';
const MEMORY = '@modelcontextprotocol/server-memory@2025.4.25';
const EVERYTHING = '@modelcontextprotocol/server-everything@2026.8.31';
const TRAVERSAL = new Set(['js-path-prefix-containment', 'js-tool-path-traversal']);

let base: string;
let cacheDir: string;
let skip: string | false = false;

before(async () => {
  base = mkdtempSync(join(tmpdir(), 'vet-registry-'));
  cacheDir = join(base, 'cache');
  try {
    const r = await fetch('https://registry.npmjs.org/-/ping', { signal: AbortSignal.timeout(10_000) });
    if (!r.ok) skip = `the npm registry answered ${r.status}`;
  } catch (e) {
    skip = `the npm registry is not reachable (${(e as Error).message})`;
  }
  if (skip) console.log(`# skipping the registry tests: ${skip}`);
});
after(() => rmSync(base, { recursive: true, force: true }));

function workspace(name: string, servers: Record<string, unknown>): string {
  const dir = join(base, name);
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  writeFileSync(join(dir, '.vscode/mcp.json'), JSON.stringify({ servers }, null, 2));
  return dir;
}
const npx = (spec: string) => ({ command: 'npx', args: ['-y', spec] });

describe('vetting registry packages', () => {
  test('the filesystem server: the traversal flaw is found in 2025.3.28 and gone in 2025.7.1', async (t) => {
    if (skip) return t.skip(skip);
    const flawed = await vetPackage(`npm:${FS_FLAWED}`, { cwd: base, cacheDir });
    assert.equal(flawed.version, '2025.3.28');
    assert.match(flawed.integrity, /^sha512-/);
    const hits = flawed.report.findings.filter((f) => TRAVERSAL.has(f.ruleId));
    assert.ok(hits.length >= 2, 'the prefix checks are reported');
    assert.ok(hits.every((f) => f.file === `npm:${FS_FLAWED}/dist/index.js` && f.severity === 'high'));
    const fixed = await vetPackage(`npm:${FS_FIXED}`, { cwd: base, cacheDir });
    assert.deepEqual(
      fixed.report.findings.filter((f) => TRAVERSAL.has(f.ruleId)),
      [],
      'the fixed release has no traversal finding',
    );
  });

  test('a config of several real servers: tools, capabilities and findings per server', async (t) => {
    if (skip) return t.skip(skip);
    const cwd = workspace('several', {
      filesystem: npx(FS_FLAWED),
      memory: npx(MEMORY),
      everything: npx(EVERYTHING),
      fsRange: npx('@modelcontextprotocol/server-filesystem@<=2025.7.1'),
      git: { command: 'uvx', args: ['mcp-server-git==0.6.2'] },
      local: { command: 'node', args: ['dist/index.js'] },
    });
    const servers = await vetServers(undefined, { cwd, cacheDir });
    const by = new Map<string, ServerVet>(servers.map((s) => [s.server, s]));
    const tools = (s: ServerVet) => s.vet!.inventory.servers.flatMap((x) => x.tools.map((t) => t.name)).sort();
    const caps = (s: ServerVet) =>
      [
        ...new Set(
          s.vet!.inventory.servers.flatMap((x) => x.tools.flatMap((t) => t.capabilities.map((c) => c.capability))),
        ),
      ].sort();

    const fs = by.get('filesystem')!;
    assert.equal(fs.status, 'vetted');
    assert.equal(fs.config, '.vscode/mcp.json');
    assert.equal(fs.launcher, 'npx');
    assert.equal(fs.pinned, true);
    assert.equal(fs.line, 2);
    assert.ok(tools(fs).includes('read_file') && tools(fs).includes('write_file'));
    assert.deepEqual(caps(fs), ['file-read', 'file-write']);
    assert.match(fs.summary, /^11 tools · reads files, writes files · 3 high$/);

    const memory = by.get('memory')!;
    assert.equal(memory.status, 'vetted');
    assert.ok(tools(memory).includes('create_entities'));
    assert.equal(memory.vet!.report.findings.filter((f) => f.severity === 'high').length, 0);

    const everything = by.get('everything')!;
    assert.equal(everything.status, 'vetted');
    assert.ok(tools(everything).length >= 10);
    assert.ok(
      everything.vet!.report.findings.some((f) => f.ruleId === 'mcp-tool-exposes-environment'),
      'the everything server returns process.env from a tool',
    );

    const range = by.get('fsRange')!;
    assert.equal(range.pinned, false);
    assert.equal(range.vet!.version, '2025.7.1');
    assert.match(range.summary, /not pinned: vetted what runs today, 2025\.7\.1/);

    assert.deepEqual(
      [by.get('git')!.status, by.get('git')!.reason],
      ['not-vetted', 'not vetted: Python registry unavailable'],
    );
    assert.equal(by.get('local')!.status, 'not-a-package');
  });

  test('pins across releases report the tools that changed', async (t) => {
    if (skip) return t.skip(skip);
    const cwd = workspace('pins', { filesystem: npx(FS_FLAWED) });
    const pinned = await cli(['pin', '--servers', '--cache-dir', cacheDir], { cwd });
    assert.equal(pinned.code, 0, pinned.stderr);
    assert.match(pinned.stderr, /pinned 11 tool\(s\) of 1 package\(s\)/);
    const file = JSON.parse(readFileSync(join(cwd, '.mcp-sentinel/package-pins.json'), 'utf8'));
    assert.ok(file.servers['npm:@modelcontextprotocol/server-filesystem'].tools.read_file.sha256);

    // Same release: nothing changed.
    const same = await cli(['scan', '--servers', '--format', 'json', '--cache-dir', cacheDir], { cwd });
    assert.equal(JSON.parse(same.stdout).servers[0].changedTools, undefined);

    writeFileSync(join(cwd, '.vscode/mcp.json'), JSON.stringify({ servers: { filesystem: npx(FS_FIXED) } }));
    const later = await cli(['scan', '--servers', '--format', 'json', '--cache-dir', cacheDir, '--fail-on', 'none'], {
      cwd,
    });
    assert.equal(later.code, 0, later.stderr);
    const s = JSON.parse(later.stdout).servers[0] as ServerVet;
    assert.ok(s.changedTools && s.changedTools.length > 0, 'tools changed between the releases');
    const drift = s.vet!.report.findings.filter((f) => f.ruleId === 'mcp-tool-definition-drift');
    assert.equal(drift.length, s.changedTools.length);
    assert.match(drift[0]!.message, /2025\.3\.28/);
    assert.match(s.summary, /tool\(s\) changed since 2025\.3\.28/);
  });

  test('the command line: scan npm:, a cached second run, offline, and a package that does not exist', async (t) => {
    if (skip) return t.skip(skip);
    const cwd = workspace('cli', {});
    const first = await cli(['scan', `npm:${MEMORY}`, '--format', 'json', '--cache-dir', cacheDir], { cwd });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, new RegExp(`npm:${MEMORY.replace(/[@/.]/g, '\\$&')} integrity sha512-\\S+ \\(from `));
    const report = JSON.parse(first.stdout);
    assert.equal(report.root, `npm:${MEMORY}`);

    // SARIF joins paths to its root itself, so its locations are relative to the package.
    const sarif = await cli(
      ['scan', `npm:${FS_FLAWED}`, '--format', 'sarif', '--fail-on', 'none', '--cache-dir', cacheDir],
      { cwd },
    );
    assert.equal(sarif.code, 0, sarif.stderr);
    const run = JSON.parse(sarif.stdout).runs[0];
    assert.ok(run.results.length > 0);
    assert.ok(
      run.results.every(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0]!.physicalLocation.artifactLocation.uri === 'dist/index.js',
      ),
    );

    const offline = await cli(['scan', `npm:${MEMORY}`, '--offline', '--cache-dir', cacheDir], { cwd });
    assert.equal(offline.code, 0, offline.stderr);
    assert.match(offline.stderr, /\(from cache\)/);

    const cold = await cli(['scan', `npm:${MEMORY}`, '--offline', '--cache-dir', join(base, 'empty-cache')], { cwd });
    assert.equal(cold.code, 2);
    assert.match(cold.stderr, /^mcp-sentinel: .*not in the cache \(offline\)\n$/);

    const missing = await cli(['scan', 'npm:mcp-sentinel-no-such-package-4f1c9e', '--cache-dir', cacheDir], { cwd });
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^mcp-sentinel: mcp-sentinel-no-such-package-4f1c9e@latest: not found in the registry/,
    );
    assert.equal(missing.stderr.split('\n').length, 2, 'one line');
  });
});
