// The `tools` verb: the inventory of each server's tools and what they can do, as text and as JSON valid against
// schemas/mcp-sentinel-tools.schema.json; exit codes 0 and 2; info capability findings never fail `scan`.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Ajv from 'ajv';
import type { ToolsReport } from '../../server/cli/tools';
import type { JsonReport } from '../../server/reports/model';
import { cli, fixture, ROOT } from './helpers';

const FIXTURE = fixture('tools');
const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-tools-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The real rules: the inventory is made of the built-in capability rules. */
const builtin = { project: {} };

describe('cli: tools', () => {
  test('JSON: servers by name, tools with registration, capabilities and argument control; valid against the schema', async () => {
    const r = await cli(['tools', FIXTURE, '--format', 'json'], builtin);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ToolsReport;
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/mcp-sentinel-tools.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.deepEqual(
      report.servers.map((s) => s.name),
      ['files', 'web'],
    );
    const files = report.servers[0]!;
    const shape = files.tools.map((t) => [
      t.name,
      `${t.registration.file}:${t.registration.line}`,
      t.capabilities.map((c) => `${c.capability}${c.argumentControlled ? '*' : ''}`),
    ]);
    assert.deepEqual(shape, [
      ['read_file', 'src/files.ts:12', ['file-read*']],
      ['run', 'src/files.ts:16', ['shell*']],
      ['ping', 'src/files.ts:21', []],
    ]);
    const read = files.tools[0]!.capabilities[0]!.sites[0]!;
    assert.deepEqual(read, {
      file: 'src/files.ts',
      line: 9,
      column: 10,
      api: 'fs.promises.readFile',
      argument: 'path',
      via: ['readText'],
    });
    const web = report.servers[1]!;
    assert.deepEqual(
      web.tools.map((t) => [t.name, t.capabilities.map((c) => c.capability)]),
      [
        ['browse', ['network']],
        ['report', ['send-data']],
      ],
    );
  });

  test('text: one block per server, one line per tool and per capability, and the tool count', async () => {
    const r = await cli(['tools', FIXTURE], builtin);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^server files\n {2}read_file {2}src\/files\.ts:12\n {4}reads files \(argument `path`\) {2}src\/files\.ts:9\n/,
    );
    assert.match(r.stdout, / {2}run {2}src\/files\.ts:16\n {4}runs shell \(argument `cmd`\) {2}src\/files\.ts:17\n/);
    assert.match(r.stdout, / {2}ping {2}src\/files\.ts:21 {2}\(no capability found\)\n/);
    assert.match(r.stdout, /\n5 tool\(s\) in 2 server\(s\)\n$/);
  });

  test('--output writes the file; bad arguments and missing paths exit 2', async () => {
    const out = join(tmp, 'tools.json');
    assert.equal((await cli(['tools', FIXTURE, '--format', 'json', '--output', out], builtin)).code, 0);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as ToolsReport).servers.length, 2);
    for (const argv of [
      ['tools', FIXTURE, '--format', 'sarif'],
      ['tools', FIXTURE, '--fail-on', 'high'],
      ['tools', FIXTURE, FIXTURE],
      ['tools', join(tmp, 'missing')],
    ]) {
      const r = await cli(argv, builtin);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, /^mcp-sentinel: /);
    }
  });

  test('names are escaped in text: a hostile tool name cannot forge lines', async () => {
    const dir = mkdtempSync(join(tmp, 'hostile-'));
    writeFileSync(
      join(dir, 'server.py'),
      'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("x")\n\n@mcp.tool(name="a\\nserver evil\\x1b[2J")\ndef a() -> str:\n    return ""\n',
    );
    const r = await cli(['tools', dir], builtin);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('\x1b'), r.stdout);
    assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('server ')).length, 1, r.stdout);
  });

  test('the HTML report lists the inventory in a Tools section, every name escaped', async () => {
    const dir = mkdtempSync(join(tmp, 'html-'));
    writeFileSync(
      join(dir, 'server.py'),
      'import subprocess\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("<b>srv</b>")\n\n' +
        '@mcp.tool(name="<img src=x onerror=alert(1)>")\ndef run(cmd: str) -> str:\n' +
        '    return subprocess.run(cmd, shell=True).stdout\n',
    );
    const r = await cli(['scan', dir, '--format', 'html', '--fail-on', 'none'], builtin);
    assert.equal(r.code, 0, r.stderr);
    const section = /<section class="tools">[\s\S]*?<\/section>/.exec(r.stdout)?.[0] ?? '';
    assert.match(section, /<h3>Server <code>&lt;b&gt;srv&lt;\/b&gt;<\/code><\/h3>/);
    assert.match(section, /<code>&lt;img src=x onerror=alert\(1\)&gt;<\/code>/);
    assert.match(section, /runs shell \(argument-controlled\)/);
    assert.ok(!r.stdout.includes('<img src=x'), 'no raw markup from the scanned file');
  });

  test('scan reports the inventory as info findings that never fail the build, even with --fail-on info', async () => {
    const r = await cli(['scan', join(FIXTURE, 'src'), '--format', 'json', '--fail-on', 'info'], {
      project: { overrides: { rules: { 'js-command-injection': 'off', 'js-tool-path-traversal': 'off' } } },
    });
    const report = JSON.parse(r.stdout) as JsonReport;
    const caps = report.findings.filter((f) => f.category === 'capability');
    assert.deepEqual(
      caps.map((f) => `${f.ruleId} ${f.severity}`),
      ['mcp-capability-file-read info', 'mcp-capability-shell info'],
    );
    assert.deepEqual(
      report.findings.filter((f) => f.category !== 'capability').map((f) => f.ruleId),
      [],
      'the fixture has no other finding',
    );
    assert.equal(r.code, 0, 'inventory findings never fail a build');
    const raised = await cli(['scan', join(FIXTURE, 'src'), '--fail-on', 'high'], {
      project: {
        overrides: {
          rules: { 'js-command-injection': 'off', 'js-tool-path-traversal': 'off', 'mcp-capability-shell': 'high' },
        },
      },
    });
    assert.equal(raised.code, 1, 'a capability rule raised in the config gates like any rule');
  });
});
