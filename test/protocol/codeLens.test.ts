// The CodeLens above each MCP tool registration, over stdio with the real rules: the server announces the provider,
// asks the client to refresh its lenses when a scan changes them, and answers with one title-only lens per tool
// ("runs shell · argument-controlled") at the registration line, following edits.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { FIXTURES, TestClient, withTimeout } from './harness';

const DONE = join(FIXTURES, 'done');
const uri = pathToFileURL(join(DONE, 'lens-tools.ts')).href;

const TEXT = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { exec } from "node:child_process";
import fs from "node:fs";
import { z } from "zod";
const server = new McpServer({ name: "lens", version: "1.0.0" });

server.tool("run", "Run a command", { cmd: z.string() }, async ({ cmd }) => {
  exec(cmd);
  return { content: [] };
});

server.tool("notes", "Read the notes", {}, async () => ({
  content: [{ type: "text", text: fs.readFileSync("/srv/notes.txt", "utf8") }],
}));

server.tool("ping", "Ping", {}, async () => ({ content: [] }));
`;

interface Lens {
  range: { start: { line: number; character: number } };
  command?: { title: string; command: string };
}

describe('CodeLens over stdio', () => {
  let c: TestClient;
  let refreshes = 0;
  let onRefresh: (() => void) | undefined;
  let init: { capabilities: { codeLensProvider?: unknown } };
  before(async () => {
    c = new TestClient({}, { MCP_SENTINEL_TEST_HOOKS: '0' });
    c.conn.onRequest('workspace/codeLens/refresh', () => {
      refreshes++;
      onRefresh?.();
      return null;
    });
    init = (await c.initialize(DONE, { codeLens: { refreshSupport: true } })) as typeof init;
  });
  after(() => c.dispose());

  /** Resolves at the next refresh request from the server (fails after the harness's usual wait). */
  const nextRefresh = (): Promise<void> =>
    withTimeout(new Promise<void>((resolve) => (onRefresh = resolve)), 20000, 'workspace/codeLens/refresh');

  const lenses = async (): Promise<string[]> =>
    (await c.request<Lens[]>('textDocument/codeLens', { textDocument: { uri } })).map(
      (l) => `${l.range.start.line}: ${l.command?.title}`,
    );

  it('announces a CodeLens provider', () => {
    assert.deepEqual(init.capabilities.codeLensProvider, { resolveProvider: false });
  });

  it('puts one lens above each tool with a capability, and refreshes the client when they change', async () => {
    const refreshed = nextRefresh();
    await c.open(uri, TEXT);
    await refreshed;
    assert.deepEqual(await lenses(), ['6: runs shell · argument-controlled', '11: reads files']);

    const before = refreshes;
    const refreshedAgain = nextRefresh();
    const next = c.nextDiagnostics(uri, (p) => p.version === 2);
    await c.change(uri, 2, [{ text: TEXT.replace('exec(cmd);', 'void cmd;') }]);
    await next;
    await refreshedAgain;
    assert.equal(refreshes, before + 1);
    assert.deepEqual(await lenses(), ['11: reads files']);
  });
});
