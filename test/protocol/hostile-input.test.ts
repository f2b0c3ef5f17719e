// Issue 16 against the real dist/server.js over stdio: a bad `Content-Length` header (item 16) must not leave the
// server deaf, and what the editor shows and exports must neither carry a token used as a name whole (item 8) nor
// a terminal or bidi control character from a file (item 7).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { FileFindings, type FileFindingsParams } from '../../shared/protocol';
import { TestClient, withTimeout } from './harness';

const PAT = 'ghp_xEEsAoCaA2QTqpOoast0vQj8VMtbYo9Mqb5j';
const PAT2 = 'ghp_ZMQObDDMOTsoYtxqAYfwFBHPl8KsLcsf1YaH';

/** Resolves once the server's stderr matches `re` (the harness collects stderr as it arrives). */
function stderrMatching(c: TestClient, re: RegExp, ms = 10000): Promise<string> {
  return withTimeout(
    new Promise<string>((resolve) => {
      const check = (): void => {
        if (re.test(c.stderr)) {
          c.proc.stderr!.off('data', check);
          resolve(c.stderr);
        }
      };
      c.proc.stderr!.on('data', check);
      check();
    }),
    ms,
    `stderr matching ${re} (got ${JSON.stringify(c.stderr)})`,
  );
}

describe('hostile input to the language server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-sentinel-hostile-lsp-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('attack: a non-numeric Content-Length leaves the server alive but permanently unresponsive', async () => {
    const c = new TestClient({}, { MCP_SENTINEL_TEST_HOOKS: '0' });
    try {
      c.proc.stdin!.write('Content-Length: abc\r\n\r\n{"jsonrpc":"2.0","id":99,"method":"x"}');
      const init = (await c.initialize(dir)) as { serverInfo?: { name: string } };
      assert.equal(init.serverInfo?.name, 'mcp-sentinel', 'the valid initialize after the bad header is answered');
      await stderrMatching(c, /ignored a message with a bad header \(Content-Length "abc" is not a length\)/);
    } finally {
      await c.dispose();
    }
  });

  describe('what the editor shows and exports', () => {
    let c: TestClient;
    const ws = join(dir, 'ws');
    before(async () => {
      mkdirSync(join(ws, '.vscode'), { recursive: true });
      c = new TestClient({ debounceMs: 0, workers: 1 }, { MCP_SENTINEL_TEST_HOOKS: '0' });
      await c.initialize(ws);
    });
    after(() => c.dispose());

    it('attack: an MCP server named with a GitHub token, and one named with escapes and a bidi override', async () => {
      const path = join(ws, '.vscode', 'mcp.json');
      const text = JSON.stringify(
        {
          servers: {
            [PAT]: { command: 'node', args: ['a.js'], env: { GITHUB_TOKEN: PAT2 } },
            'ev\u001b]0;x\u0007il\u202eexe': { command: 'node', args: ['b.js'], env: { GITHUB_TOKEN: PAT2 } },
          },
        },
        null,
        2,
      );
      writeFileSync(path, text);
      const uri = pathToFileURL(path).href;
      const p = await c.open(uri, text, 'json');
      const messages = p.diagnostics.map((d) => d.message);
      assert.ok(
        messages.some((m) => m.includes('MCP server "ghp_…(40 chars)"')),
        messages.join('\n'),
      );
      assert.ok(
        messages.some((m) => m.includes('MCP server "ev\\x1b]0;x\\x07il\\u202eexe"')),
        messages.join('\n'),
      );
      for (const m of messages) {
        assert.ok(!m.includes(PAT) && !m.includes(PAT2), m);
        assert.doesNotMatch(m, /[\x00-\x1f\x7f-\x9f\u202e]/, m);
      }
      const note = await c.waitForNotification<FileFindingsParams>(FileFindings.method, (f) => f.uri === uri);
      // Messages only: a quick fix's edit is code for the user's own file, where the name already is.
      const shown = note.findings.flatMap((f) => [f.message, ...(f.related ?? []).map((r) => r.message)]);
      assert.ok(shown.length && !shown.some((m) => m.includes(PAT)), 'the findings view gets masked messages');
      const folder = pathToFileURL(ws).href;
      for (const format of ['json', 'sarif', 'html']) {
        const { content } = await c.request<{ content: string }>('mcpSentinel/exportReport', { format, folder });
        assert.ok(!content.includes(PAT) && !content.includes(PAT2), `${format} export`);
      }
    });
  });
});
