// Cross-file taint in the editor, over stdio with the real rules: editing a tool handler re-scans the open helper
// file it feeds (the helper's finding goes when the handler stops passing its argument, and comes back), and the
// language server's workspace scan reports the same findings with the same hops as the CLI on
// test/fixtures/cross-file/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import type { FileFindingsParams } from '../../shared/protocol';
import { REPO, TestClient, type Diag, type Published } from './harness';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-xfile-lsp-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const TOOL = (arg: string) =>
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nimport { z } from 'zod';\n" +
  "import { runCommand } from './shell.js';\n\nconst server = new McpServer({ name: 'x', version: '1.0.0' });\n\n" +
  "server.tool('run', { command: z.string() }, async ({ command }) => {\n" +
  `  return { content: [{ type: 'text', text: await runCommand(${arg}) }] };\n});\n`;
const HELPER =
  "import { execSync } from 'node:child_process';\n\n" +
  'export async function runCommand(command: string): Promise<string> {\n  return execSync(command).toString();\n}\n';

/** True for the tool input's finding at the sink. */
const fromTool = (d: Diag) => /Tool parameter `command` of tool `run`/.test(d.message);
/** True when the helper's diagnostics hold the tool input's finding at the sink. */
const tainted = (p: Published) => p.diagnostics.some(fromTool);

describe('cross-file taint in the editor', () => {
  it("editing the tool handler re-scans the open helper: its finding follows the handler's argument", async () => {
    const root = join(tmp, 'edit');
    mkdirSync(join(root, 'src'), { recursive: true });
    writeFileSync(join(root, 'src/server.ts'), TOOL('command'));
    writeFileSync(join(root, 'src/shell.ts'), HELPER);
    const tool = pathToFileURL(join(root, 'src/server.ts')).href;
    const helper = pathToFileURL(join(root, 'src/shell.ts')).href;
    const c = new TestClient({}, { MCP_SENTINEL_TEST_HOOKS: '0' });
    try {
      await c.initialize(root);
      // The helper alone: nothing says a tool input reaches it.
      assert.ok(!tainted(await c.open(helper, HELPER)), 'no tool input is known before the tool file is open');
      // Opening the tool file records its facts; the helper is re-scanned with them.
      let next = c.nextDiagnostics(helper, tainted);
      await c.open(tool, TOOL('command'));
      const found = await next;
      const d = found.diagnostics.find(fromTool)!;
      assert.equal(d.range.start.line, 3, 'reported at the sink, in the helper');
      assert.ok(
        JSON.stringify(d.relatedInformation).includes('src/server.ts'),
        'the hop into the tool file is related information',
      );
      // The handler no longer passes its argument: the helper's finding goes.
      next = c.nextDiagnostics(helper, (p) => !tainted(p));
      await c.change(tool, 2, [{ text: TOOL("'ls'") }]);
      await next;
      // And back again.
      next = c.nextDiagnostics(helper, tainted);
      await c.change(tool, 3, [{ text: TOOL('command') }]);
      await next;
    } finally {
      await c.dispose();
    }
  });
});

describe('parity: CLI and server report the same cross-file findings and hops', () => {
  it('on test/fixtures/cross-file', async () => {
    const root = join(REPO, 'test/fixtures/cross-file');
    const cli = JSON.parse(
      execFileSync(
        process.execPath,
        [join(REPO, 'dist', 'cli.js'), 'scan', root, '--format', 'json', '--fail-on', 'none'],
        { encoding: 'utf8' },
      ),
    ) as {
      findings: {
        ruleId: string;
        file: string;
        range: { start: { line: number; column: number }; end: { line: number; column: number } };
        related?: {
          file: string;
          range: { start: { line: number; column: number }; end: { line: number; column: number } };
          message: string;
        }[];
      }[];
    };
    type Range1 = { start: { line: number; column: number }; end: { line: number; column: number } };
    const span = (r: Range1) => `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
    const fromCli = cli.findings.map(
      (f) =>
        `${f.ruleId} ${f.file} ${span(f.range)} | ${(f.related ?? []).map((r) => `${r.file} ${span(r.range)} ${r.message}`).join(' > ')}`,
    );
    assert.ok(
      cli.findings.some((f) => (f.related ?? []).some((r) => r.file !== f.file)),
      'the CLI reports cross-file hops',
    );
    const c = new TestClient({}, { MCP_SENTINEL_TEST_HOOKS: '0' });
    try {
      await c.initialize(root);
      await c.request('mcpSentinel/scanWorkspace', { workDoneToken: 'parity' });
      const latest = new Map<string, FileFindingsParams>();
      for (const f of c.fileFindings) latest.set(f.uri, f);
      type Range0 = { start: { line: number; character: number }; end: { line: number; character: number } };
      const one = (r: Range0) => ({
        start: { line: r.start.line + 1, column: r.start.character + 1 },
        end: { line: r.end.line + 1, column: r.end.character + 1 },
      });
      const fromServer = [...latest.values()].flatMap((n) =>
        n.findings.map(
          (f) =>
            `${f.ruleId} ${f.file} ${span(one(f.range))} | ${(f.related ?? []).map((r) => `${r.file} ${span(one(r.range))} ${r.message}`).join(' > ')}`,
        ),
      );
      assert.deepEqual(fromServer.sort(), fromCli.sort());
    } finally {
      await c.dispose();
    }
  });
});
