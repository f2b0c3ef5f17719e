// Hostile repositories (issue 16), both front ends on one planted workspace: symlinks to /dev/zero (a source file and
// the .gitignore), a named-pipe .gitignore, a symlink to a file outside the folder, a 10,000-deep JSON tool list, a
// catastrophic custom rule, and project files that are special files. The CLI and the language server must each
// finish within 30 s, list every bad file with the same reason, and no byte from outside the folder may reach a
// report, a diagnostic or the editor's export. Everything is planted in a temp folder at test time.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { REPO, TestClient, withTimeout } from './harness';

const base = mkdtempSync(join(tmpdir(), 'mcp-sentinel-hostile-lsp-'));
after(() => rmSync(base, { recursive: true, force: true }));
const MARKER = 'OUTSIDE_MARKER_5f4dcc3b5aa765d6';
const usable = process.platform !== 'win32' && existsSync('/dev/zero');

function mkfifo(path: string): boolean {
  try {
    execFileSync('mkfifo', [path]);
    return true;
  } catch {
    return false;
  }
}

interface CliReport {
  findings: { file: string; message: string }[];
  skipped: { file: string; reason: string }[];
}

function runCli(ws: string): { report: CliReport; ms: number; raw: string; code: number | null } {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(REPO, 'dist', 'cli.js'), 'scan', ws, '--format', 'json', '--fail-on', 'none', '--allow-rule-errors'],
    { encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 },
  );
  const ms = performance.now() - t0;
  assert.equal(r.signal, null, `the CLI did not finish within 30 s (${ms.toFixed(0)} ms)`);
  assert.equal(r.status, 0, r.stderr);
  return { report: JSON.parse(r.stdout) as CliReport, ms, raw: r.stdout, code: r.status };
}

describe('hostile workspace: the CLI and the language server', { skip: !usable }, () => {
  test('both finish within 30 s, list the same bad files with the same reasons, and leak nothing', async (t) => {
    const outside = join(base, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.py'), `# ${MARKER}\nTOKEN = "${MARKER}"\n`);
    const ws = join(base, 'ws');
    mkdirSync(join(ws, 'sub'), { recursive: true });
    writeFileSync(join(ws, 'server.py'), 'import os\n\n\ndef run(cmd):\n    os.system(cmd)\n');
    writeFileSync(join(ws, 'sub', 'tool.py'), 'x = 1\n');
    symlinkSync('/dev/zero', join(ws, 'zero.py'));
    symlinkSync('/dev/zero', join(ws, '.gitignore'));
    if (!mkfifo(join(ws, 'sub', '.gitignore'))) return t.skip('no mkfifo');
    symlinkSync(join(outside, 'secret.py'), join(ws, 'passwd.py'));
    // A 10,000-deep tool list: 30 KB that used to overflow the stack of every JSON walker.
    writeFileSync(join(ws, 'tools.json'), '{"tools": ' + '['.repeat(10_000) + ']'.repeat(10_000) + '}');
    // A catastrophic pattern in a custom rule, and a file that would make a backtracking engine run for hours.
    writeFileSync(
      join(ws, '.mcp-sentinel.json'),
      JSON.stringify({
        customRules: [
          {
            id: 'catastrophic',
            message: 'catastrophic pattern',
            severity: 'low',
            category: 'other',
            files: ['**/*.py'],
            pattern: '(a+)+$',
          },
        ],
      }),
    );
    writeFileSync(join(ws, 'slow.py'), `s = "${'a'.repeat(40)}b"\n`);

    const cli = runCli(ws);
    assert.ok(!cli.raw.includes(MARKER), 'no byte of the outside file in the CLI report');
    const cliSkipped = Object.fromEntries(cli.report.skipped.map((s) => [s.file, s.reason]));
    // Every bad file, each with its reason; the deep tool list is skipped rather than scanned into silence.
    const outsideReason = 'symlink to a path outside the scanned folder';
    assert.deepEqual(cliSkipped, {
      '.gitignore': `ignore file not applied: ${outsideReason}`,
      'passwd.py': outsideReason,
      'sub/.gitignore': 'ignore file not applied: not a regular file (a named pipe)',
      'tools.json': 'nested deeper than 500 levels',
      'zero.py': outsideReason,
    });
    assert.ok(
      cli.report.findings.some((f) => f.file === 'server.py'),
      'the good files are still scanned and reported',
    );

    const c = new TestClient({}, { MCP_SENTINEL_TEST_HOOKS: '0' });
    try {
      await c.initialize(ws);
      const t0 = performance.now();
      const res = await withTimeout(
        c.conn.sendRequest<{ scanned: number; skipped: { uri: string; reason: string }[] }>(
          'mcpSentinel/scanWorkspace',
          { workDoneToken: 'hostile' },
        ),
        30_000,
        'the workspace scan within 30 s',
      );
      assert.ok(performance.now() - t0 < 30_000);
      const lspSkipped = Object.fromEntries(
        res.skipped.map((s) => [fileURLToPath(s.uri).slice(ws.length + 1), s.reason]),
      );
      assert.deepEqual(lspSkipped, cliSkipped, 'the editor skips the same files for the same reasons as the CLI');
      const published = JSON.stringify([c.published, c.fileFindings]);
      assert.ok(!published.includes(MARKER), 'no byte of the outside file in diagnostics or findings');
      const exported = await c.conn.sendRequest<{ content: string }>('mcpSentinel/exportReport', { format: 'html' });
      assert.ok(!exported.content.includes(MARKER), 'no byte of the outside file in the export');
      // The server still answers after the scan.
      const report = await c.conn.sendRequest<{ content: string }>('mcpSentinel/exportReport', { format: 'json' });
      assert.ok((JSON.parse(report.content) as CliReport).findings.some((f) => f.file === 'server.py'));
    } finally {
      await c.dispose();
    }
  });

  test('project files that are special files are errors with a reason, never a hang', async (t) => {
    const ws = join(base, 'special-project-files');
    mkdirSync(join(ws, '.mcp-sentinel'), { recursive: true });
    writeFileSync(join(ws, 'server.py'), 'import os\n\n\ndef run(cmd):\n    os.system(cmd)\n');
    symlinkSync('/dev/zero', join(ws, '.mcp-sentinel.json'));
    if (!mkfifo(join(ws, '.mcp-sentinel', 'pins.json'))) return t.skip('no mkfifo');
    symlinkSync('/dev/zero', join(ws, '.mcp-sentinel', 'ignore.json'));
    const r = spawnSync(process.execPath, [join(REPO, 'dist', 'cli.js'), 'scan', ws, '--format', 'json'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.signal, null, 'the CLI did not hang on a special project file');
    assert.equal(r.status, 2, 'a project file that cannot be read is an error');
    assert.match(r.stderr, /not a regular file/);

    const c = new TestClient({}, { MCP_SENTINEL_TEST_HOOKS: '0' });
    try {
      // Waiting starts before initialising, so the config error cannot be published before the test listens.
      const configUri = pathToFileURL(join(ws, '.mcp-sentinel.json')).href;
      const errors = c.nextDiagnostics(configUri, (d) => d.diagnostics.length > 0, 30_000);
      await c.initialize(ws);
      const p = await errors;
      assert.match(p.diagnostics[0]!.message, /not a regular file/);
      const res = await withTimeout(
        c.conn.sendRequest<{ scanned: number }>('mcpSentinel/scanWorkspace', { workDoneToken: 'special' }),
        30_000,
        'the workspace scan within 30 s',
      );
      assert.ok(res.scanned > 0, 'the editor keeps scanning with the valid parts');
      assert.ok(
        readFileSync(join(ws, 'server.py'), 'utf8').includes('os.system'),
        'the user file is untouched (nothing is written)',
      );
    } finally {
      await c.dispose();
    }
  });

  test('project files nested 10,000 levels are errors naming the file, in the CLI and in the editor', async () => {
    const ws = join(base, 'deep-project-files');
    mkdirSync(join(ws, '.mcp-sentinel'), { recursive: true });
    writeFileSync(join(ws, 'server.py'), 'import os\n\n\ndef run(cmd):\n    os.system(cmd)\n');
    const deep = (key: string) => `{"${key}": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    writeFileSync(join(ws, '.mcp-sentinel.json'), deep('rules'));
    writeFileSync(join(ws, '.mcp-sentinel', 'ignore.json'), deep('ignore'));
    const message = 'the file is nested deeper than 500 levels: it is not read';
    const r = spawnSync(process.execPath, [join(REPO, 'dist', 'cli.js'), 'scan', ws, '--format', 'json'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.signal, null, 'the CLI finished within 30 s');
    assert.equal(r.status, 2, 'a project file that cannot be read is an error');
    // One line, naming the first file and counting the rest (the editor shows each on its file, below).
    assert.equal(r.stderr, `mcp-sentinel: ${join(ws, '.mcp-sentinel.json')}:1:1: ${message} (and 1 more error)\n`);
    assert.doesNotMatch(r.stderr, /Maximum call stack/);

    const c = new TestClient({}, { MCP_SENTINEL_TEST_HOOKS: '0' });
    try {
      const uris = ['.mcp-sentinel.json', '.mcp-sentinel/ignore.json'].map((f) => pathToFileURL(join(ws, f)).href);
      // Waiting starts before initialising, so the errors cannot be published before the test listens.
      const errors = uris.map((u) => c.nextDiagnostics(u, (d) => d.diagnostics.length > 0, 30_000));
      await c.initialize(ws);
      for (const p of await Promise.all(errors)) assert.equal(p.diagnostics[0]!.message, message, p.uri);
      const res = await withTimeout(
        c.conn.sendRequest<{ scanned: number }>('mcpSentinel/scanWorkspace', { workDoneToken: 'deep' }),
        30_000,
        'the workspace scan within 30 s',
      );
      assert.ok(res.scanned > 0, 'the editor keeps scanning with the valid parts');
    } finally {
      await c.dispose();
    }
  });
});
