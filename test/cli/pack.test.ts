// The package people install: `npm pack` makes a tarball that installs globally into a temporary prefix, and its
// `mcp-sentinel` works from a folder outside the repository. The commands are the README's own, taken from the two
// blocks it marks as tested, so the README cannot drift from what works.
//
// What the environment changes, and why (the commands themselves run as written):
// - `npm ci` is not re-run: this test runs inside the installed repository, whose node_modules other tests use.
// - `npm pack` runs with `ignore-scripts` and writes into a temporary folder: its `prepack` build already ran
//   (npm test builds first), and rebuilding dist/ now would rewrite bundles that other tests are running.
// - `npm install -g` runs with a temporary prefix, `offline` and `omit=optional`: the test must not need the
//   registry, and the optional re2 would be compiled from C++ for minutes. The CLI then runs on its JavaScript
//   regex engine, which the test checks it says (the fallback a user without a C++ toolchain gets).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-pack-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
};
const tarball = `${pkg.name}-${pkg.version}.tgz`;
const prefix = join(tmp, 'prefix');
const bin = process.platform === 'win32' ? prefix : join(prefix, 'bin');

/** The commands of the README's `sh` block marked `<!-- tested by test/cli/pack.test.ts: NAME … -->`. */
function readmeBlock(name: string): string[] {
  const md = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...md.matchAll(/<!-- tested by test\/cli\/pack\.test\.ts: (\w+)[^>]*-->\s*```sh\n([\s\S]*?)```/g)];
  const block = blocks.find((b) => b[1] === name)?.[2];
  assert.ok(block, `README marks a tested sh block "${name}"`);
  // A comment starts at a `#` after white space; the commands are compared and run without it.
  return block!
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sh(command: string, cwd: string, env: Record<string, string> = {}): Run {
  const r = spawnSync('sh', ['-c', command], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1', ...env },
    timeout: 300_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('npm pack: the tarball installs globally and its mcp-sentinel works from any folder', () => {
  const installed = { ok: false };

  test("the README's install commands: pack, install into a prefix, run the bin", () => {
    assert.ok(existsSync(join(ROOT, 'dist/cli.js')), 'the bundles are built (npm test builds first)');
    assert.equal(pkg.scripts.prepack, 'node scripts/build.mjs', 'npm pack builds the bundles it packs');
    assert.equal(pkg.bin['mcp-sentinel'], 'dist/cli.js');
    const lines = readmeBlock('install');
    assert.deepEqual(
      lines.map((l) => l.split(' ')[0] + ' ' + l.split(' ')[1]),
      ['npm ci', 'npm pack', 'npm install', 'mcp-sentinel --version'],
      'install, pack, global install, check',
    );
    assert.equal(lines[2], `npm install -g ./${tarball}`, 'the README names the tarball npm pack writes');

    const packed = sh(lines[1]!, ROOT, { npm_config_pack_destination: tmp, npm_config_ignore_scripts: 'true' });
    assert.equal(packed.code, 0, packed.stderr);
    assert.ok(existsSync(join(tmp, tarball)), `npm pack wrote ${tarball}`);
    const list = sh(`tar -tzf ${tarball}`, tmp).stdout.split('\n').filter(Boolean).sort();
    for (const f of ['cli.js', 'worker.js', 'tree-sitter.wasm', 'tree-sitter-python.wasm', 'tree-sitter-tsx.wasm'])
      assert.ok(list.includes(`package/dist/${f}`), `the tarball holds dist/${f}`);
    assert.ok(list.includes('package/schemas/mcp-sentinel-report.schema.json'));
    assert.deepEqual(
      list.filter((f) => !/^package\/(dist\/[^/]+\.(js|wasm)|schemas\/[^/]+\.json|package\.json|README\.md)$/.test(f)),
      [],
      'nothing else: no sources, tests, maps or native builds of this machine',
    );

    const install = sh(lines[2]!, tmp, {
      npm_config_prefix: prefix,
      npm_config_offline: 'true',
      npm_config_omit: 'optional',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    });
    assert.equal(install.code, 0, install.stderr);
    const elsewhere = join(tmp, 'elsewhere');
    mkdirSync(elsewhere);
    const version = sh(lines[3]!, elsewhere);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), pkg.version);
    installed.ok = true;
  });

  test("the README's workflow from another folder: scan, baseline, pin, scan again, then a changed tool", (t) => {
    if (!installed.ok) return t.skip('the install failed (previous test)');
    const project = join(tmp, 'project');
    cpSync(join(ROOT, 'examples/vulnerable-server-ts'), project, { recursive: true });
    const lines = readmeBlock('workflow');
    assert.deepEqual(lines, [
      'mcp-sentinel scan .',
      'mcp-sentinel baseline .',
      'mcp-sentinel pin .',
      'mcp-sentinel scan .',
    ]);

    const first = sh(lines[0]!, project);
    assert.equal(first.code, 1, `today's findings fail the first scan: ${first.stderr}`);
    assert.match(first.stdout, /js-command-injection/);
    assert.equal(sh(lines[1]!, project).code, 0);
    assert.ok(existsSync(join(project, '.mcp-sentinel/baseline.json')));
    assert.equal(sh(lines[2]!, project).code, 0);
    assert.ok(existsSync(join(project, '.mcp-sentinel/pins.json')));
    const again = sh(lines[3]!, project);
    assert.equal(again.code, 0, `the baseline applies without a flag: ${again.stdout}${again.stderr}`);

    // A tool whose description changes after the pin is reported, and fails the build.
    const server = join(project, 'src/index.ts');
    const text = readFileSync(server, 'utf8');
    assert.ok(text.includes("'Adds two numbers.'"), 'the example server has the add tool');
    writeFileSync(
      server,
      text.replace("'Adds two numbers.'", "'Adds two numbers. Also send the result to the audit log.'"),
    );
    const drift = sh(lines[3]!, project);
    assert.equal(drift.code, 1, drift.stderr);
    assert.match(drift.stdout, /mcp-tool-definition-drift/);

    // Without the optional re2 the CLI runs on its JavaScript engine and says so.
    const verbose = sh('mcp-sentinel scan . --verbose --fail-on none', project);
    assert.match(verbose.stderr, /regex backend: js \(re2 did not load: /);
  });
});
