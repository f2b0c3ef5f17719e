// Issue 16 against the real dist/server.js over stdio: a bad `Content-Length` header (item 16) must not leave the
// server deaf.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TestClient, withTimeout } from './harness';

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
});
