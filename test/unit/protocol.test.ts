// The custom protocol is declared once in shared/protocol.ts and listed in docs/protocol.md: this keeps the two in
// step, and checks that each declaration's typed message carries the same method string the docs show.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import * as protocol from '../../shared/protocol';

const docs = readFileSync(join(resolve(__dirname, '..', '..', '..'), 'docs', 'protocol.md'), 'utf8');

/** Every exported message declaration of shared/protocol.ts, by export name. */
function messages(): { name: string; method: string; kind: 'request' | 'notification' }[] {
  const out: { name: string; method: string; kind: 'request' | 'notification' }[] = [];
  for (const [name, value] of Object.entries(protocol)) {
    if (!value || typeof value !== 'object' || !('type' in value) || !('method' in value)) continue;
    const { type, method } = value as { type: unknown; method: string };
    if (type instanceof RequestType) out.push({ name, method, kind: 'request' });
    else if (type instanceof NotificationType) out.push({ name, method, kind: 'notification' });
  }
  return out;
}

describe('shared/protocol.ts', () => {
  it('declares the custom messages', () => {
    assert.deepEqual(
      messages()
        .map((m) => m.name)
        .sort(),
      [
        'ClearFindings',
        'ExportReport',
        'FileFindings',
        'PackageFile',
        'RuleDocs',
        'ScanWorkspace',
        'ServerStatus',
        'VetServers',
      ],
    );
  });

  it('gives each message one namespaced method, the same on its typed message', () => {
    const seen = new Set<string>();
    for (const m of messages()) {
      const value = (protocol as unknown as Record<string, { method: string; type: { method: string } }>)[m.name]!;
      assert.match(m.method, /^mcpSentinel\/[a-zA-Z]+$/, m.name);
      assert.equal(value.type.method, m.method, `${m.name}.type carries its method`);
      assert.ok(!seen.has(m.method), `${m.method} is declared once`);
      seen.add(m.method);
    }
  });

  it('lists every message in docs/protocol.md with its kind', () => {
    for (const m of messages()) {
      const row = docs.split('\n').find((l) => l.startsWith(`| \`${m.method}\` |`));
      assert.ok(row, `docs/protocol.md lists ${m.method}`);
      assert.ok(row.includes(`| ${m.kind} |`), `docs/protocol.md calls ${m.method} a ${m.kind}`);
    }
  });

  it('documents no message that is not declared', () => {
    const declared = new Set(messages().map((m) => m.method));
    for (const [, method] of docs.matchAll(/^\| `(mcpSentinel\/[^`]+)` \|/gm))
      assert.ok(declared.has(method!), `${method} in docs/protocol.md is declared in shared/protocol.ts`);
  });
});
