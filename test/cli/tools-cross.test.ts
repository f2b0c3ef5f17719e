// The capability inventory across files: a tool whose handler calls into a helper module gets the helper's
// capabilities, in `mcp-sentinel tools` (listed under the tool, in the file that registers it) and as info findings
// in the helper file (with the registration in the other file as related information). A helper no tool calls has
// none.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ToolsReport } from '../../server/cli/tools';
import type { JsonReport } from '../../server/reports/model';
import { cli, fixture } from './helpers';

const FIXTURE = fixture('tools-cross');
const builtin = { project: {} };

describe('cli: tools across files', () => {
  test('tools: the helper module’s capabilities are listed under the tools that call it', async () => {
    const r = await cli(['tools', FIXTURE, '--format', 'json'], builtin);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ToolsReport;
    assert.deepEqual(
      report.servers.map((s) => s.name),
      ['notes'],
    );
    const shape = report.servers[0]!.tools.map((t) => [
      t.name,
      `${t.registration.file}:${t.registration.line}`,
      t.capabilities.map((c) => `${c.capability}${c.argumentControlled ? '*' : ''}`),
    ]);
    assert.deepEqual(shape, [
      ['read_note', 'src/server.ts:7', ['file-read*']],
      ['start_job', 'src/server.ts:12', ['shell']],
    ]);
    assert.deepEqual(report.servers[0]!.tools[0]!.capabilities[0]!.sites, [
      { file: 'src/helpers.ts', line: 6, column: 10, api: 'fs.promises.readFile', argument: 'name', via: ['readNote'] },
    ]);
    const text = await cli(['tools', FIXTURE], builtin);
    assert.match(text.stdout, / {2}start_job {2}src\/server\.ts:12\n {4}runs shell {2}src\/helpers\.ts:10\n/);
  });

  test('scan: info findings in the helper file name the tool, with its registration in the other file', async () => {
    const r = await cli(['scan', FIXTURE, '--format', 'json', '--fail-on', 'none'], builtin);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    const caps = report.findings.filter((f) => f.category === 'capability');
    assert.deepEqual(
      caps.map((f) => `${f.ruleId} ${f.file}:${f.range.start.line} ${f.message}`),
      [
        'mcp-capability-file-read src/helpers.ts:6 Tool `read_note` reads files (argument `name` controls it) through `readNote`.',
        'mcp-capability-shell src/helpers.ts:10 Tool `start_job` runs shell commands through `startJob`.',
      ],
    );
    const shell = caps[1]!;
    assert.deepEqual(shell.related?.[0], {
      file: 'src/server.ts',
      range: { start: { line: 12, column: 14 }, end: { line: 12, column: 14 } },
      message: 'Tool `start_job` of server `notes` is registered here.',
    });
    assert.ok(
      caps.every((f) => f.file !== 'src/unused.ts'),
      'a helper no tool calls has no capability finding',
    );
  });
});
