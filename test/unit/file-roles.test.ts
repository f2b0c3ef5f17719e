// Severity follows reachability: the role of a file decided by its path (server/core/fileRole.ts), the engine step
// that leaves the generic heuristics' findings out of test, script and build code (server/engine/fileRoles.ts),
// the settings that bring them back (CLI flag > config > editor setting), and the secrets fixture filter.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { roleOfPath } from '../../server/core/fileRole';
import { openProject, scanDocument, type OpenProjectOptions } from '../../server/engine/project';
import { FAKE } from '../../server/rules/secrets/fakes';
import { isInventoryFinding } from '../../shared/capabilities';

describe('roleOfPath', () => {
  const cases: [string, ReturnType<typeof roleOfPath>][] = [
    ['src/index.ts', 'source'],
    ['server.py', 'source'],
    ['examples/weather/server.ts', 'source'],
    ['src/testing.ts', 'source'],
    ['src/contest.ts', 'source'],
    ['bin/cli.js', 'source'],
    ['test/server.test.ts', 'test'],
    ['tests/test_tools.py', 'test'],
    ['packages/core/__tests__/exec.ts', 'test'],
    ['spec/api.ts', 'test'],
    ['src/fixtures/keys.json', 'test'],
    ['src/__fixtures__/a.js', 'test'],
    ['src/tools.spec.ts', 'test'],
    ['src/tools.test.mjs', 'test'],
    ['conftest.py', 'test'],
    ['pkg/shell_test.py', 'test'],
    ['Test/Setup.ts', 'test'],
    ['scripts/release.js', 'script'],
    ['tools/scripts/build-docs.mjs', 'script'],
    ['scripts/test/helper.js', 'test'],
    ['vite.config.ts', 'build'],
    ['jest.config.cjs', 'build'],
    ['webpack.prod.js', 'build'],
    ['rollup.config.mjs', 'build'],
    ['esbuild.mjs', 'build'],
    ['Gruntfile.js', 'build'],
    ['gulpfile.ts', 'build'],
    ['setup.py', 'build'],
    ['src/config.ts', 'source'],
    ['src/webpack-plugin.ts', 'source'],
  ];
  for (const [path, role] of cases) test(`${path} → ${role}`, () => assert.equal(roleOfPath(path), role));
  test('back slashes and a leading ./ are understood', () => {
    assert.equal(roleOfPath('.\\test\\a.js'), 'test');
    assert.equal(roleOfPath('./scripts/a.js'), 'script');
  });
});

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A project in a fresh folder, with `config` as its .mcp-sentinel.json when given. */
async function project(config?: object, options: OpenProjectOptions = {}) {
  const root = mkdtempSync(join(tmpdir(), 'mcp-sentinel-roles-'));
  roots.push(root);
  if (config) writeFileSync(join(root, '.mcp-sentinel.json'), JSON.stringify(config));
  return openProject(root, options);
}

// The version comes from a file the script reads (the command line it was started with would be operator input,
// which is not dynamic).
const RELEASE =
  'const { execSync } = require("child_process");\nconst version = readVersion();\nexecSync(`git tag v${version}`);\n';
const TOOL =
  'import { exec } from "node:child_process";\nserver.tool("run", { cmd: z.string() }, async ({ cmd }) => {\n  exec(cmd);\n  return { content: [] };\n});\n';

function brief(r: ReturnType<typeof scanDocument>): string[] {
  // The capability inventory (info) describes what a tool can do; these tests are about the sink findings.
  return r.findings.filter((f) => !isInventoryFinding(f)).map((f) => `${f.ruleId} ${f.severity}`);
}

describe('generic findings in test and build code', () => {
  test('a command injection in scripts/release.js is left out and counted by default', async () => {
    const p = await project();
    const r = scanDocument(p, 'scripts/release.js', RELEASE);
    assert.deepEqual(brief(r), []);
    assert.equal(r.hiddenInTests, 1);
  });

  test('the same code in src/ is reported, at medium: no tool parameter reaches it', async () => {
    const p = await project();
    const r = scanDocument(p, 'src/release.js', RELEASE);
    assert.deepEqual(brief(r), ['js-command-injection medium']);
    assert.equal(r.hiddenInTests, undefined);
  });

  test('a tool parameter that reaches the shell keeps the tool severity', async () => {
    const p = await project();
    assert.deepEqual(brief(scanDocument(p, 'src/server.ts', TOOL)), ['js-command-injection critical']);
  });

  test('the CLI flag, the config and the editor setting bring them back, in that order of precedence', async () => {
    const shown = ['js-command-injection medium'];
    const scan = async (config?: object, options?: OpenProjectOptions) =>
      brief(scanDocument(await project(config, options), 'scripts/release.js', RELEASE));
    assert.deepEqual(await scan(undefined, { includeTests: true }), shown, 'flag');
    assert.deepEqual(await scan({ includeTests: true }), shown, 'config');
    assert.deepEqual(await scan(undefined, { includeTestsSetting: true }), shown, 'setting when the config is silent');
    assert.deepEqual(await scan({ includeTests: false }, { includeTestsSetting: true }), [], 'the config wins');
    assert.deepEqual(await scan({ includeTests: false }, { includeTests: true }), shown, 'the flag wins');
  });

  test('a suppressed finding in test code keeps its directive used and is not counted', async () => {
    const p = await project();
    const text = RELEASE.replace(
      'execSync(`',
      '// mcp-sentinel-ignore js-command-injection: releases only\nexecSync(`',
    );
    const r = scanDocument(p, 'scripts/release.js', text);
    assert.deepEqual(brief(r), [], 'no finding, and no "unused directive" finding either');
    assert.equal(r.hiddenInTests, undefined);
  });

  test('a real provider token in test code is still reported; generic guesses there are not', async () => {
    const p = await project();
    const text = `export const GITHUB_TOKEN = "${FAKE['secret-github-pat']}";\nexport const apiSecret = "Zx8#kQ2!vR9$mW4p";\n`;
    assert.deepEqual(brief(scanDocument(p, 'test/fixtures.ts', text)), ['secret-github-pat high']);
    assert.deepEqual(brief(scanDocument(p, 'src/config.ts', text)), [
      'secret-github-pat high',
      'secret-generic-assignment medium',
    ]);
  });

  test('MCP client config rules are untouched by the role of the file', async () => {
    const p = await project();
    const config = '{ "servers": { "x": { "command": "npx", "args": ["-y", "some-mcp-server"] } } }';
    const inTests = brief(scanDocument(p, 'test/.vscode/mcp.json', config));
    assert.deepEqual(inTests, brief(scanDocument(p, '.vscode/mcp.json', config)));
    assert.ok(inTests.length > 0, 'the config is reported');
  });
});

describe('secrets fixture filter', () => {
  test('truncated values, @example values and generated API files are dismissed, with the reason', async () => {
    const p = await project();
    const truncated = 'const apiKey = "sk-proj-a8F3kQ9z...";\nconst api_key = "Zx8kQ2vR9mW4pL7…";\n';
    const r1 = scanDocument(p, 'src/docs.ts', truncated);
    assert.deepEqual(brief(r1), []);
    assert.deepEqual(
      r1.dismissed?.map((d) => `${d.line} ${d.reason}`),
      // "…" was already a documentation marker of the placeholder check; "..." at the end is the truncation check's.
      ['1 truncated value (ends in "..." or "…")', '2 placeholder, indirection or documentation value'],
    );
    const example =
      '/**\n * Creates a client.\n * @example\n * new Client({ apiKey: "Zx8kQ2vR9mW4pL7q" })\n */\nexport class Client {}\n';
    const r2 = scanDocument(p, 'src/client.ts', example);
    assert.deepEqual(brief(r2), []);
    assert.deepEqual(
      r2.dismissed?.map((d) => d.reason),
      ['value of a doc comment @example'],
    );
    const generated =
      '/* Generated by openapi-generator. Do not edit. */\nexport const defaults = { accessToken: "Zx8kQ2vR9mW4pL7q" };\n';
    assert.deepEqual(brief(scanDocument(p, 'src/api/client.ts', generated)), []);
    assert.deepEqual(brief(scanDocument(p, 'src/types.d.ts', 'declare const apiKey = "Zx8kQ2vR9mW4pL7q";\n')), []);
  });

  test('the filter never hides a provider-format key, and a plain secret outside it is still found', async () => {
    const p = await project();
    const text = `/**\n * @example\n * const token = "${FAKE['secret-github-pat']}";\n */\nconst apiKey = "Zx8kQ2vR9mW4pL7q";\n`;
    assert.deepEqual(brief(scanDocument(p, 'src/types.d.ts', text)), ['secret-github-pat high']);
    assert.deepEqual(brief(scanDocument(p, 'src/client.ts', text)), [
      'secret-github-pat high',
      'secret-generic-assignment medium',
    ]);
  });

  test('a basic-auth fixture in a database URL is dismissed with the reason', async () => {
    const p = await project();
    const r = scanDocument(p, 'src/db.ts', 'const url = "postgres://user:pass@localhost:5432/app";\n');
    assert.deepEqual(brief(r), []);
    assert.deepEqual(
      r.dismissed?.map((d) => `${d.ruleId} ${d.masked}`),
      ['secret-database-url-password …(4 chars)'],
    );
  });
});
