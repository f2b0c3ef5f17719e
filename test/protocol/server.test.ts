// Drives dist/server.js over stdio with a real JSON-RPC client. The server runs with MCP_SENTINEL_TEST_HOOKS=1, which
// adds the deterministic `test-marker` rule and markers that crash, slow down or hang a worker (server/workers/testHooks.ts),
// so these tests check the editor plumbing independently of how the real rule packs evolve.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, FIXTURES, TestClient, fixtureUri, type Published } from './harness';

interface CodeAction {
  title: string;
  isPreferred?: boolean;
  edit?: {
    changes?: Record<string, { range: Published['diagnostics'][number]['range']; newText: string }[]>;
    documentChanges?: unknown[];
  };
  command?: { command: string; arguments?: unknown[] };
}

const BASE = { debounceMs: 50, workers: 1, timeoutMs: 2000, maxFileSizeKB: 64 };

describe('language server over stdio', () => {
  let c: TestClient;
  before(async () => {
    c = new TestClient({ ...BASE });
    await c.initialize(FIXTURES);
  });
  after(() => c.dispose());

  it('publishes findings on open with version, code, source, docs link and data', async () => {
    const uri = fixtureUri('open.ts');
    const p = await c.open(uri, 'const a = 1;\nconst b = TEST_MARKER_ONE;\n');
    assert.equal(p.version, 1);
    assert.equal(p.diagnostics.length, 1);
    const d = p.diagnostics[0]!;
    assert.equal(d.source, 'MCP Sentinel');
    assert.equal(d.code, 'test-marker');
    assert.deepEqual(d.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 25 } });
    assert.equal(d.severity, 2, 'medium maps to Warning');
    assert.match(d.codeDescription!.href, /test-marker/);
    assert.match(d.data!.fingerprint, /^test-marker:[0-9a-f]{16}$/);
    assert.equal(d.data!.category, 'other');
    assert.deepEqual(d.data!.cwe, ['CWE-000']);
  });

  it('announces the regex backend and runtime', async () => {
    const s = await c.waitForNotification<{ backend: string; runtime: string; workers: number }>(
      'mcpSentinel/serverStatus',
    );
    assert.ok(s.backend === 're2' || s.backend === 'js');
    assert.match(s.runtime, /node \d+/);
    assert.equal(s.workers, 1);
  });

  it('coalesces a burst of changes into one scan of the final text', async () => {
    const uri = fixtureUri('burst.ts');
    await c.open(uri, 'let x = 0;\n');
    const from = c.published.length;
    // Ten edits sent back to back, well inside one debounce window.
    for (let v = 2; v <= 11; v++) await c.change(uri, v, [{ text: `let x = 0;\nconst m = TEST_MARKER_V${v};\n` }]);
    const p = await c.nextDiagnostics(uri, (x) => x.version === 11);
    const mine = c.published.slice(from).filter((x) => x.uri === uri);
    assert.equal(mine.length, 1, `one publish expected, got versions ${mine.map((x) => x.version).join(',')}`);
    assert.equal(p.diagnostics.length, 1);
    assert.match(p.diagnostics[0]!.message, /TEST_MARKER_V11/);
  });

  it('applies incremental edits and reports the edited text', async () => {
    const uri = fixtureUri('incremental.ts');
    await c.open(uri, 'const a = 1;\nconst b = 2;\n');
    const next = c.nextDiagnostics(uri, (x) => x.version === 2);
    await c.change(uri, 2, [
      { range: { start: { line: 1, character: 10 }, end: { line: 1, character: 11 } }, text: 'TEST_MARKER_INC' },
    ]);
    const p = await next;
    assert.deepEqual(
      p.diagnostics.map((d) => d.range),
      [{ start: { line: 1, character: 10 }, end: { line: 1, character: 25 } }],
    );
  });

  it('never publishes a stale version when edits overtake slow scans', async () => {
    c.settings = { ...BASE, debounceMs: 0 };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const uri = fixtureUri('stale.ts');
    // Every version is slow to scan (150 ms) and edits come every 20 ms, so each result is late except the last.
    const text = (v: number): string => `// mcp-sentinel-test:slow\nconst k = TEST_MARKER_S${v};\n`;
    await c.open(uri, text(1));
    const from = c.published.length;
    for (let v = 2; v <= 12; v++) {
      await c.change(uri, v, [{ text: text(v) }]);
      await new Promise((r) => setTimeout(r, 20));
    }
    const p = await c.nextDiagnostics(uri, (x) => x.version === 12);
    const versions = c.published
      .slice(from)
      .filter((x) => x.uri === uri)
      .map((x) => x.version);
    assert.deepEqual(versions, [12], 'only the newest version may be published');
    assert.match(p.diagnostics[0]!.message, /TEST_MARKER_S12/);
    c.settings = { ...BASE };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  });

  it('replaces a crashed worker, reports the file as skipped, then scans the next edit', async () => {
    const uri = fixtureUri('crash.ts');
    const p = await c.open(uri, '// mcp-sentinel-test:crash\nconst z = TEST_MARKER_C;\n');
    assert.equal(p.diagnostics.length, 1);
    assert.equal(p.diagnostics[0]!.code, 'mcp-sentinel-skipped');
    assert.equal(p.diagnostics[0]!.severity, 3);
    assert.match(p.diagnostics[0]!.message, /did not scan this file: the scanner crashed/);
    const next = c.nextDiagnostics(uri, (x) => x.version === 2);
    await c.change(uri, 2, [{ text: 'const z = TEST_MARKER_AFTER;\n' }]);
    const q = await next;
    assert.deepEqual(
      q.diagnostics.map((d) => d.code),
      ['test-marker'],
    );
  });

  it('stops a scan that exceeds the time budget and recovers', async () => {
    c.settings = { ...BASE, timeoutMs: 300 };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const uri = fixtureUri('hang.ts');
    const p = await c.open(uri, '// mcp-sentinel-test:hang\n');
    assert.match(p.diagnostics[0]!.message, /exceeded the 300 ms time budget/);
    const next = c.nextDiagnostics(uri, (x) => x.version === 2);
    await c.change(uri, 2, [{ text: 'const y = TEST_MARKER_H;\n' }]);
    assert.equal((await next).diagnostics[0]!.code, 'test-marker');
    c.settings = { ...BASE };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  });

  it('skips files over the size limit with an informational diagnostic', async () => {
    const uri = fixtureUri('big.ts');
    const p = await c.open(uri, 'TEST_MARKER_BIG\n' + '// filler\n'.repeat(8000));
    assert.equal(p.diagnostics.length, 1);
    assert.equal(p.diagnostics[0]!.code, 'mcp-sentinel-skipped');
    assert.match(p.diagnostics[0]!.message, /larger than the 64 KB size limit/);
  });

  it('offers the rule fix, suppressions in the comment syntax and docs, with exact edits', async () => {
    const uri = fixtureUri('actions.py');
    const p = await c.open(uri, 'def f():\n    key = TEST_MARKER_PY\n', 'python');
    const d = p.diagnostics[0]!;
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    });
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        'MCP Sentinel: Replace the marker with FIXED',
        'MCP Sentinel: Suppress test-marker on this line',
        'MCP Sentinel: Suppress test-marker in this file',
        'MCP Sentinel: Show documentation for test-marker',
      ],
    );
    assert.equal(actions[0]!.isPreferred, true);
    assert.deepEqual(actions[0]!.edit!.changes![uri], [{ range: d.range, newText: 'FIXED' }]);
    assert.deepEqual(actions[1]!.edit!.changes![uri], [
      {
        range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
        newText: '    # mcp-sentinel-ignore test-marker: <reason>\n',
      },
    ]);
    assert.deepEqual(actions[2]!.edit!.changes![uri], [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        newText: '# mcp-sentinel-ignore-file test-marker: <reason>\n',
      },
    ]);
    assert.deepEqual(actions[3]!.command, {
      title: 'Show documentation for test-marker',
      command: 'mcpSentinel.openRuleDocumentation',
      arguments: ['test-marker'],
    });
  });

  it('uses // in TypeScript and keeps a shebang first', async () => {
    const uri = fixtureUri('shebang.ts');
    const p = await c.open(uri, '#!/usr/bin/env node\nconst q = TEST_MARKER_TS;\n');
    const d = p.diagnostics[0]!;
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    });
    const file = actions.find((a) => a.title.endsWith('in this file'))!;
    assert.deepEqual(file.edit!.changes![uri]![0]!.range.start, { line: 1, character: 0 });
    assert.equal(file.edit!.changes![uri]![0]!.newText, '// mcp-sentinel-ignore-file test-marker: <reason>\n');
  });

  it('suppresses in the ignore file where the file cannot hold comments', async () => {
    const uri = fixtureUri('claude_desktop_config.json');
    const p = await c.open(uri, '{ "mcpServers": { "x": { "command": "TEST_MARKER_JSON" } } }\n', 'json');
    const d = p.diagnostics[0]!;
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    });
    const line = actions.find((a) => a.title.endsWith('on this line'))!;
    const ignoreUri = fixtureUri('.mcp-sentinel', 'ignore.json');
    assert.deepEqual(line.edit!.documentChanges![0], {
      kind: 'create',
      uri: ignoreUri,
      options: { ignoreIfExists: true },
    });
    const insert = line.edit!.documentChanges![1] as { edits: { newText: string }[] };
    assert.deepEqual(JSON.parse(insert.edits[0]!.newText), {
      ignore: [{ rule: 'test-marker', fingerprint: d.data!.fingerprint, reason: '<reason>' }],
    });
    const file = actions.find((a) => a.title.endsWith('in this file'))!;
    const insert2 = file.edit!.documentChanges![1] as { edits: { newText: string }[] };
    assert.deepEqual(JSON.parse(insert2.edits[0]!.newText), {
      ignore: [{ rule: 'test-marker', path: 'claude_desktop_config.json', reason: '<reason>' }],
    });
  });

  it('explains a finding on hover', async () => {
    const uri = fixtureUri('hover.ts');
    await c.open(uri, 'const h = TEST_MARKER_HOVER;\n');
    const h = await c.request<{ contents: { kind: string; value: string } } | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 14 },
    });
    assert.ok(h);
    assert.equal(h.contents.kind, 'markdown');
    assert.match(h.contents.value, /\*\*MCP Sentinel: Test marker\*\* \(`test-marker`, medium\)/);
    assert.match(h.contents.value, /\*\*What it catches:\*\* A test marker is present/);
    assert.match(h.contents.value, /\*\*Why it matters here:\*\* Test marker TEST\\_MARKER\\_HOVER found\./);
    assert.match(h.contents.value, /\*\*How to fix it:\*\*/);
    const none = await c.request<unknown>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 2 },
    });
    assert.equal(none, null);
  });

  it('serves rule documentation', async () => {
    const r = await c.request<{ markdown: string; meta: { id: string } } | null>('mcpSentinel/ruleDocs', {
      ruleId: 'test-marker',
    });
    assert.equal(r!.meta.id, 'test-marker');
    assert.match(r!.markdown, /^# Test marker \(`test-marker`\)/);
    assert.equal(await c.request('mcpSentinel/ruleDocs', { ruleId: 'no-such-rule' }), null);
  });
});

describe('workspace scan', () => {
  let dir: string;
  let c: TestClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-sentinel-ws-'));
    mkdirSync(join(dir, 'src'));
    for (let i = 0; i < 6; i++)
      writeFileSync(join(dir, 'src', `f${i}.ts`), `export const v${i} = TEST_MARKER_W${i};\n`);
    writeFileSync(join(dir, 'src', 'clean.ts'), 'export const ok = 1;\n');
    mkdirSync(join(dir, 'slow'));
    for (let i = 0; i < 30; i++)
      writeFileSync(
        join(dir, 'slow', `s${i}.ts`),
        `// mcp-sentinel-test:slow\nexport const s = TEST_MARKER_SLOW${i};\n`,
      );
    c = new TestClient({ ...BASE });
    await c.initialize(dir);
  });
  after(async () => {
    await c.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scans a folder with n/N progress and streams results per file', async () => {
    const token = 'scan-1';
    const res = await c.request<{ scanned: number; total: number; findings: number; cancelled: boolean }>(
      'mcpSentinel/scanWorkspace',
      {
        folders: [pathToFileURL(join(dir, 'src')).href],
        workDoneToken: token,
      },
    );
    assert.deepEqual(res, { scanned: 7, total: 7, skipped: [], findings: 6, cancelled: false });
    const mine = c.progress.filter((p) => p.token === token).map((p) => p.value);
    assert.equal(mine[0]!.kind, 'begin');
    assert.equal(mine[0]!.cancellable, true);
    assert.equal(mine.at(-1)!.kind, 'end');
    assert.ok(mine.some((v) => v.message === '7/7 files'));
    assert.ok(mine.some((v) => v.message === '1/7 files'));
    const streamed = c.fileFindings.filter((f) => f.uri.includes('/src/'));
    assert.equal(streamed.length, 7);
    assert.equal(
      streamed.find((f) => f.uri.endsWith('f3.ts'))!.findings[0]!.message,
      'Test marker TEST_MARKER_W3 found.',
    );
    assert.equal(streamed.find((f) => f.uri.endsWith('f3.ts'))!.version, null);
  });

  it('stops when cancelled', async () => {
    const cts = new CancellationTokenSource();
    const token = 'scan-2';
    const first = c.waitForNotification<{ token: string; value: { message?: string } }>(
      '$/progress',
      (p) => p.token === token && p.value.message === '1/30 files',
    );
    const pending = c.request<{ scanned: number; total: number; cancelled: boolean }>(
      'mcpSentinel/scanWorkspace',
      { folders: [pathToFileURL(join(dir, 'slow')).href], workDoneToken: token },
      cts,
    );
    await first;
    cts.cancel();
    // The server stops feeding the pool, lets in-flight files finish and answers with what it scanned.
    const res = await pending;
    assert.equal(res.cancelled, true);
    assert.equal(res.total, 30);
    assert.ok(res.scanned < 30, `cancel should stop the scan early, ${res.scanned} of 30 scanned`);
    const end = await c.waitForNotification<{ token: string; value: { kind: string } }>(
      '$/progress',
      (p) => p.token === token && p.value.kind === 'end',
    );
    assert.equal(end.value.kind, 'end');
    const done = c.fileFindings.filter((f) => f.uri.includes('/slow/')).length;
    assert.ok(done < 30, `cancel should stop the scan early, ${done} of 30 scanned`);
  });

  it('exports what it holds as SARIF, JSON and HTML', async () => {
    const folder = pathToFileURL(dir).href;
    const json = await c.request<{ content: string; findings: number }>('mcpSentinel/exportReport', {
      format: 'json',
      folder,
    });
    const report = JSON.parse(json.content) as { findings: { file: string; ruleId: string }[] };
    assert.ok(report.findings.some((f) => f.file === 'src/f0.ts' && f.ruleId === 'test-marker'));
    const sarif = JSON.parse(
      (await c.request<{ content: string }>('mcpSentinel/exportReport', { format: 'sarif', folder })).content,
    ) as { version: string };
    assert.equal(sarif.version, '2.1.0');
    const html = (await c.request<{ content: string }>('mcpSentinel/exportReport', { format: 'html', folder })).content;
    assert.match(html, /<html/i);
  });
});
