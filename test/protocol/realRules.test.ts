// The acceptance checks with the real rule packs (no test hooks): an independent stdio client opening a TS MCP
// server sees a diagnostic on each vulnerable line, every diagnostic has a code and a source; a burst of 30 edits
// 20 ms apart settles on the final text; and the CLI and the server report the same findings on the same fixtures.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { FileFindingsParams } from '../../shared/protocol';
import { FIXTURES, REPO, TestClient, type Diag } from './harness';

const DONE = join(FIXTURES, 'done');
const serverTs = readFileSync(join(DONE, 'server.ts'), 'utf8');
const SECRET = 'ghp_R8mK2vQ9xL4nT7wZ1pY6sB3dF5hJ0cG2aE8u';

function key(d: Diag): string {
  return `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`;
}

describe('real rules over stdio', () => {
  let c: TestClient;
  before(async () => {
    // No test hooks: the server runs exactly as shipped, with its default debounce.
    c = new TestClient({}, { MCP_SENTINEL_TEST_HOOKS: '0' });
    await c.initialize(DONE);
  });
  after(() => c.dispose());

  it('reports exec of a tool parameter, a poisoned description and a concatenated path, each with code and source', async () => {
    const uri = pathToFileURL(join(DONE, 'server.ts')).href;
    const p = await c.open(uri, serverTs);
    const lines = new Set(p.diagnostics.map((d) => d.range.start.line));
    const line = (needle: string): number => serverTs.split('\n').findIndex((l) => l.includes(needle));
    assert.ok(lines.has(line('exec(command)')), 'exec(command) is reported');
    assert.ok(lines.has(line('<IMPORTANT>')), 'the poisoned description is reported');
    assert.ok(lines.has(line("'/srv/data/' + name")), 'the concatenated path is reported');
    for (const d of p.diagnostics) {
      assert.equal(d.source, 'MCP Sentinel');
      assert.ok(typeof d.code === 'string' && d.code.length > 0);
      assert.ok(d.codeDescription?.href);
      assert.ok(d.data?.fingerprint);
    }
  });

  it('a code action asked right after an edit waits for the new version instead of answering from nothing', async () => {
    // The race of the real-editor suite: the editor still shows version 1's diagnostic while version 2 sits in its
    // debounce, and asks for actions on it at once. The server must answer with version 2's actions.
    const uri = pathToFileURL(join(DONE, 'race.py')).href;
    const text = 'import yaml\n\n\ndef load(doc):\n    return yaml.load(doc)\n';
    const p = await c.open(uri, text, 'python');
    const d = p.diagnostics.find((x) => String(x.code).includes('deserial'));
    assert.ok(d, `a yaml.load finding (got ${p.diagnostics.map((x) => x.code).join(', ')})`);
    // The same code one line lower, the request sent right behind the change: no wait for diagnostics between.
    await c.change(uri, 2, [{ text: '\n' + text }]);
    const moved = {
      start: { ...d.range.start, line: d.range.start.line + 1 },
      end: { ...d.range.end, line: d.range.end.line + 1 },
    };
    const actions = await c.request<{ title: string }[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: moved,
      context: { diagnostics: [{ ...d, range: moved }] },
    });
    assert.ok(
      actions.some((a) => a.title === `MCP Sentinel: Suppress ${d.code} on this line`),
      `actions for version 2; saw: ${actions.map((a) => a.title).join(' | ')}`,
    );
  });

  it('honours the suppression its own code action inserts (same engine code as the CLI)', async () => {
    const uri = pathToFileURL(join(DONE, 'suppress.py')).href;
    const text = 'import yaml\n\n\ndef load(doc):\n    return yaml.load(doc)\n';
    const p = await c.open(uri, text, 'python');
    const d = p.diagnostics.find((x) => String(x.code).includes('deserial'));
    assert.ok(d, `a yaml.load finding (got ${p.diagnostics.map((x) => x.code).join(', ')})`);
    const actions = await c.request<
      { title: string; edit?: { changes?: Record<string, { range: Diag['range']; newText: string }[]> } }[]
    >('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    });
    const suppress = actions.find((a) => a.title === `MCP Sentinel: Suppress ${d.code} on this line`)!;
    const edit = suppress.edit!.changes![uri]![0]!;
    assert.equal(edit.newText, `    # mcp-sentinel-ignore ${d.code}: <reason>\n`);
    const lines = text.split('\n');
    lines.splice(
      edit.range.start.line,
      0,
      edit.newText.replace(/\n$/, '').replace('<reason>', 'documents come from our own config'),
    );
    const next = c.nextDiagnostics(uri, (x) => x.version === 2);
    await c.change(uri, 2, [{ text: lines.join('\n') }]);
    const q = await next;
    assert.ok(!q.diagnostics.some((x) => x.code === d.code), 'the suppressed finding is no longer a diagnostic');
    const kept = await c.waitForNotification<FileFindingsParams>(
      'mcpSentinel/fileFindings',
      (f) => f.uri === uri && f.version === 2,
    );
    const f = kept.findings.find((x) => x.ruleId === d.code)!;
    assert.deepEqual(f.suppressed, { kind: 'inline', reason: 'documents come from our own config' });
  });

  it('after 30 edits 20 ms apart, the last published diagnostics match the final text', async () => {
    const uri = pathToFileURL(join(DONE, 'burst.ts')).href;
    const base = serverTs;
    await c.open(uri, base);
    let v = 1;
    for (let i = 1; i <= 30; i++) {
      v++;
      // Each edit rewrites the last line; the final one plants a secret.
      const extra = i === 30 ? `export const token = "${SECRET}";\n` : `export const n = ${i};\n`;
      await c.change(uri, v, [{ text: base + extra }]);
      await new Promise((r) => setTimeout(r, 20));
    }
    const last = await c.nextDiagnostics(uri, (p) => p.version === v);
    // The same final text opened fresh is the reference.
    const ref = await c.open(
      pathToFileURL(join(DONE, 'burst-ref.ts')).href,
      base + `export const token = "${SECRET}";\n`,
    );
    assert.deepEqual(last.diagnostics.map(key).sort(), ref.diagnostics.map(key).sort());
    assert.ok(
      last.diagnostics.some((d) => String(d.code).startsWith('secret-')),
      'the planted secret is reported',
    );
    assert.ok(!last.diagnostics.some((d) => d.message.includes(SECRET)), 'the secret is masked');
    const stale = c.published.filter((p) => p.uri === uri && p.version !== undefined && p.version > 1 && p.version < v);
    assert.equal(
      stale.length,
      0,
      `no intermediate version may be published during a burst (got ${stale.map((p) => p.version).join(',')})`,
    );
  });
});

// The parity fixture also holds an inline-suppressed finding (src/tools.py, with its reason) and a stale pin file
// (.mcp-sentinel/pins.json), so both front ends must apply the same suppression and load the same pins. The
// parity-config fixture adds a .mcp-sentinel.json that sets include, exclude, a size limit, a time budget, the
// pool size, an ignore entry, a baseline and includeTests: the editor must read the same project config as the CLI.
// Both hold a release script (scripts/release.js) whose generic finding is hidden by default and shown by the config.
describe('parity: CLI and server report the same findings and skip the same files', () => {
  for (const name of ['done', 'parity', 'parity-config']) {
    it(`on test/fixtures/lsp/${name}`, async () => {
      const root = join(FIXTURES, name);
      const cli = JSON.parse(
        execFileSync(
          process.execPath,
          [join(REPO, 'dist', 'cli.js'), 'scan', root, '--format', 'json', '--fail-on', 'none'],
          { encoding: 'utf8' },
        ),
      ) as {
        stats: { hiddenInTests?: number };
        skipped: { file: string; reason: string }[];
        findings: {
          ruleId: string;
          file: string;
          fingerprint: string;
          range: { start: { line: number; column: number }; end: { line: number; column: number } };
          suppressed?: { kind: string };
        }[];
      };
      const c = new TestClient({}, { MCP_SENTINEL_TEST_HOOKS: '0' });
      try {
        await c.initialize(root);
        const res = await c.request<{ scanned: number; skipped: { uri: string; reason: string }[] }>(
          'mcpSentinel/scanWorkspace',
          { workDoneToken: 'parity' },
        );
        assert.ok(res.scanned > 0);
        const fromServer: string[] = [];
        const latest = new Map<string, FileFindingsParams>();
        for (const f of c.fileFindings) latest.set(f.uri, f);
        for (const f of latest.values()) {
          for (const x of f.findings) {
            fromServer.push(
              `${x.ruleId} ${x.file} ${x.range.start.line + 1}:${x.range.start.character + 1}-${x.range.end.line + 1}:${x.range.end.character + 1} ${x.fingerprint} ${x.suppressed?.kind ?? '-'}`,
            );
          }
        }
        const fromCli = cli.findings.map(
          (x) =>
            `${x.ruleId} ${x.file} ${x.range.start.line}:${x.range.start.column}-${x.range.end.line}:${x.range.end.column} ${x.fingerprint} ${x.suppressed?.kind ?? '-'}`,
        );
        assert.ok(fromCli.length > 0, 'the fixture has findings');
        if (name === 'parity') {
          assert.ok(
            cli.findings.some((x) => x.ruleId === 'py-unsafe-deserialization' && x.suppressed?.kind === 'inline'),
            'an inline-suppressed finding is compared',
          );
          assert.ok(
            cli.findings.some((x) => x.ruleId === 'mcp-tool-definition-drift' && !x.suppressed),
            'a drift finding is compared',
          );
          assert.ok(
            !cli.findings.some((x) => x.file.startsWith('scripts/')),
            'the generic finding of a maintainer script is left out by default',
          );
        }
        if (name === 'parity-config') {
          const kinds = cli.findings.map((x) => `${x.file} ${x.suppressed?.kind ?? '-'}`);
          assert.ok(kinds.includes('src/known.ts baseline'), 'a baselined finding is compared');
          assert.ok(kinds.includes('src/legacy.py ignore-file'), 'a finding under an ignore entry is compared');
          assert.ok(!cli.findings.some((x) => x.file.startsWith('src/generated/')), 'exclude is honoured');
          assert.ok(!cli.findings.some((x) => x.file.startsWith('docs/')), 'include is honoured');
          assert.ok(
            cli.findings.some((x) => x.file === 'src/scripts/release.js'),
            "the config's includeTests shows the generic finding of a maintainer script",
          );
          assert.deepEqual(
            cli.skipped.map((x) => x.file),
            ['src/big.ts'],
            'the size limit of the config skips the large file',
          );
        }
        assert.deepEqual(fromServer.sort(), fromCli.sort());
        // What each front end left out in test and build code is counted the same way.
        const exported = await c.request<{ content: string }>('mcpSentinel/exportReport', { format: 'json' });
        const exportedStats = (JSON.parse(exported.content) as { stats: { hiddenInTests?: number } }).stats;
        assert.equal(exportedStats.hiddenInTests, cli.stats.hiddenInTests, 'the same count of hidden findings');
        if (name === 'parity') assert.equal(cli.stats.hiddenInTests, 1, 'the release script is counted');
        const skippedByServer = res.skipped.map((x) => `${fileURLToPath(x.uri).slice(root.length + 1)}: ${x.reason}`);
        assert.deepEqual(
          skippedByServer.sort(),
          cli.skipped.map((x) => `${x.file}: ${x.reason}`).sort(),
          'both skip the same files for the same reasons',
        );
      } finally {
        await c.dispose();
      }
    });
  }
});
