// The language server's input guard (server/lsp/framing.ts): well-formed frames pass byte for byte however the
// input is chunked, and a bad header is reported once and skipped up to the next `Content-Length:` header.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FrameGuard } from '../../server/lsp/framing';

function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Feeds `input` in chunks of `size` bytes and returns what passes and what was reported. */
async function run(input: string, size: number): Promise<{ out: string; reports: string[] }> {
  const reports: string[] = [];
  const guard = new FrameGuard((l) => reports.push(l));
  const chunks: Buffer[] = [];
  guard.on('data', (c: Buffer) => chunks.push(c));
  const bytes = Buffer.from(input);
  for (let i = 0; i < bytes.length; i += size) guard.write(bytes.subarray(i, i + size));
  guard.end();
  await new Promise((r) => guard.on('end', r));
  return { out: Buffer.concat(chunks).toString(), reports };
}

describe('FrameGuard', () => {
  const a = frame('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"text":"é Content-Length: 3"}}');
  const b = frame('{"jsonrpc":"2.0","method":"initialized","params":{}}');

  test('valid frames pass unchanged in any chunking, Content-Type and empty bodies included', async () => {
    const typed = `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n${a}`;
    const input = typed + 'Content-Length: 0\r\n\r\n' + b;
    for (const size of [1, 2, 7, 64, 100000]) {
      const r = await run(input, size);
      assert.equal(r.out, input, `chunks of ${size}`);
      assert.deepEqual(r.reports, []);
    }
  });

  test('attack: a non-numeric Content-Length is reported and skipped; the next valid message passes', async () => {
    for (const bad of ['abc', '12abc', '-5', '1e3', '99999999999', '']) {
      for (const size of [1, 5, 100000]) {
        const r = await run(`Content-Length: ${bad}\r\n\r\n{"junk":true}` + a + b, size);
        assert.equal(r.out, a + b, `${JSON.stringify(bad)} in chunks of ${size}`);
        assert.equal(r.reports.length, 1);
        assert.match(
          r.reports[0]!,
          /^mcp-sentinel: ignored a message with a bad header \(Content-Length .* is not a length\)/,
        );
      }
    }
  });

  test('a header without Content-Length, garbage lines, and an endless header are skipped too', async () => {
    const r1 = await run('X-Other: 1\r\n\r\n' + a, 3);
    assert.equal(r1.out, a);
    assert.match(r1.reports[0]!, /no Content-Length header/);
    const r2 = await run('garbage without colon\r\n\r\n' + b, 4);
    assert.equal(r2.out, b);
    for (const size of [1000, 100000]) {
      const r3 = await run('x'.repeat(20000) + a, size);
      assert.equal(r3.out, a, `chunks of ${size}`);
      assert.match(r3.reports[0]!, /a header longer than 8 KB|no Content-Length header/);
    }
  });
});
