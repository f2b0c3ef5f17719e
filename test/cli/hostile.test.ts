// Hostile repositories, the file-system attacks of issue 16 (items 1, 2, 10, 11, 14, 18, 19): each test is named
// after the attack and failed before the fix. Every hostile file (symlinks to /dev/zero, named pipes, deep trees,
// huge ignore files) is planted in a temp folder at test time; none is committed.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { discover } from '../../server/discovery/discover';
import type { JsonReport } from '../../server/reports/model';
import { cli, ROOT } from './helpers';

const base = mkdtempSync(join(tmpdir(), 'mcp-sentinel-hostile-'));
after(() => rmSync(base, { recursive: true, force: true }));
const posix = process.platform !== 'win32';
const hasDevZero = existsSync('/dev/zero');
const OUTSIDE_REASON = 'symlink to a path outside the scanned folder';
const MARKER = 'OUTSIDE_MARKER_d41d8cd98f00b204';

let n = 0;
/** A fresh workspace folder under the temp base. */
function workspace(files: Record<string, string> = {}): string {
  const dir = join(base, `ws${n++}`);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

function mkfifo(path: string): boolean {
  try {
    execFileSync('mkfifo', [path]);
    return true;
  } catch {
    return false;
  }
}

/** A chain of `depth` nested folders `d/d/d/…`, with a file every `every` levels; returns the file count. */
function deepChain(dir: string, depth: number, every: number): number {
  let d = dir;
  let files = 0;
  for (let i = 0; i < depth; i++) {
    if (i % every === 0) {
      writeFileSync(join(d, `f${i}.py`), 'x = 1\n');
      files++;
    }
    d = join(d, 'd');
    mkdirSync(d);
  }
  return files;
}

/** A file outside every workspace, holding a marker that must never reach a report. */
const outside = join(base, 'outside');
mkdirSync(outside);
writeFileSync(join(outside, 'secret.txt'), `${MARKER}\napi_key = "ghp_${'A1b2C3d4E5'.repeat(3)}abcdef"\n`);
mkdirSync(join(outside, 'dir'));
writeFileSync(join(outside, 'dir', 'leak.py'), `# ${MARKER}\n`);

const reasons = (d: { skipped: { file: string; reason: string }[] }) =>
  Object.fromEntries(d.skipped.map((s) => [s.file, s.reason]));

describe('hostile repositories: special files (items 1 and 14)', () => {
  test(
    'a .gitignore symlinked to /dev/zero is listed as not applied and the walk goes on',
    { skip: !hasDevZero },
    () => {
      const ws = workspace({ 'a.py': 'x = 1\n', 'sub/b.py': 'y = 2\n' });
      symlinkSync('/dev/zero', join(ws, '.gitignore'));
      symlinkSync('/dev/zero', join(ws, 'sub', '.gitignore'));
      const d = discover(ws, [ws]);
      assert.deepEqual(
        d.files.map((f) => f.file),
        ['a.py', 'sub/b.py'],
      );
      assert.equal(reasons(d)['.gitignore'], `ignore file not applied: ${OUTSIDE_REASON}`);
      assert.equal(reasons(d)['sub/.gitignore'], `ignore file not applied: ${OUTSIDE_REASON}`);
    },
  );

  test('a .gitignore that is a named pipe is refused at once instead of blocking the walk', { skip: !posix }, (t) => {
    const ws = workspace({ 'a.py': 'x = 1\n' });
    if (!mkfifo(join(ws, '.gitignore'))) return t.skip('no mkfifo');
    mkdirSync(join(ws, 'sub'));
    symlinkSync('../.gitignore', join(ws, 'sub', '.gitignore'));
    const d = discover(ws, [ws]);
    assert.deepEqual(
      d.files.map((f) => f.file),
      ['a.py'],
    );
    assert.equal(reasons(d)['.gitignore'], 'ignore file not applied: not a regular file (a named pipe)');
    assert.equal(reasons(d)['sub/.gitignore'], 'ignore file not applied: not a regular file (a named pipe)');
  });

  test('a .gitignore larger than the limit is listed and not read', () => {
    const ws = workspace({ 'a.py': 'x = 1\n', '.gitignore': '#'.repeat(4 * 1024 * 1024 + 1) });
    assert.match(reasons(discover(ws, [ws]))['.gitignore'] ?? '', /^ignore file not applied: larger than 4096 KB/);
  });

  test(
    'named pipes, sockets and devices in the tree are listed with a reason, never opened',
    { skip: !posix },
    async (t) => {
      const ws = workspace({ 'ok.py': 'x = 1\n' });
      if (!mkfifo(join(ws, 'pipe.py'))) return t.skip('no mkfifo');
      symlinkSync('pipe.py', join(ws, 'pipe-link.json'));
      const server = createServer();
      await new Promise<void>((done) => server.listen(join(ws, 'app.sock.json'), done));
      try {
        const d = discover(ws, [ws]);
        assert.deepEqual(
          d.files.map((f) => f.file),
          ['ok.py'],
        );
        assert.deepEqual(reasons(d), {
          'app.sock.json': 'not a regular file (a socket)',
          'pipe-link.json': 'not a regular file (a named pipe)',
          'pipe.py': 'not a regular file (a named pipe)',
        });
      } finally {
        await new Promise((done) => server.close(done));
      }
    },
  );

  test(
    'a named pipe or a device named on the command line is listed, and the CLI does not block',
    {
      skip: !posix || !hasDevZero,
    },
    async (t) => {
      const ws = workspace({ 'ok.py': 'x = 1\n' });
      if (!mkfifo(join(ws, 'named.py'))) return t.skip('no mkfifo');
      const r = await cli(['scan', join(ws, 'ok.py'), join(ws, 'named.py'), '--format', 'json', '--fail-on', 'none']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual((JSON.parse(r.stdout) as JsonReport).skipped, [
        { file: 'named.py', reason: 'not a regular file (a named pipe)' },
      ]);
      assert.deepEqual(discover('/dev', ['/dev/zero']).skipped, [
        { file: 'zero', reason: 'not a regular file (a character device)' },
      ]);
    },
  );
});

describe('hostile repositories: symlinks out of the root (item 2)', () => {
  test('a file symlinked to a file outside the root is listed and never read', { skip: !posix }, () => {
    const ws = workspace({ 'a.py': 'x = 1\n' });
    symlinkSync(join(outside, 'secret.txt'), join(ws, 'passwd.txt'));
    symlinkSync('../outside/secret.txt', join(ws, 'relative.txt'));
    if (hasDevZero) symlinkSync('/dev/zero', join(ws, 'zero.py'));
    const d = discover(ws, [ws]);
    assert.deepEqual(
      d.files.map((f) => f.file),
      ['a.py'],
    );
    assert.equal(reasons(d)['passwd.txt'], OUTSIDE_REASON);
    if (hasDevZero) assert.equal(reasons(d)['zero.py'], OUTSIDE_REASON);
  });

  test('a folder symlinked outside the root is listed and not walked', { skip: !posix }, () => {
    const ws = workspace({ 'a.py': 'x = 1\n' });
    symlinkSync(join(outside, 'dir'), join(ws, 'linked'));
    const d = discover(ws, [ws]);
    assert.deepEqual(
      d.files.map((f) => f.file),
      ['a.py'],
    );
    assert.equal(reasons(d)['linked/'], OUTSIDE_REASON);
  });

  test('links that stay inside the root are followed and read from their real path', { skip: !posix }, () => {
    const ws = workspace({ 'src/real.py': 'x = 1\n' });
    symlinkSync('src/real.py', join(ws, 'alias.py'));
    symlinkSync('./src/../src', join(ws, 'zlink'));
    const d = discover(ws, [ws]);
    assert.deepEqual(
      d.files.map((f) => [f.file, f.path]),
      [
        ['alias.py', join(ws, 'src/real.py')],
        ['src/real.py', join(ws, 'src/real.py')],
      ],
    );
    assert.equal(reasons(d)['zlink/'], 'symlink to a folder already scanned (loop or duplicate)');
  });

  test('a file named on the command line that links outside the root is not read', { skip: !posix }, async () => {
    const ws = workspace({ 'a.py': 'x = 1\n' });
    symlinkSync(join(outside, 'secret.txt'), join(ws, 'named.txt'));
    const r = await cli(['scan', join(ws, 'a.py'), join(ws, 'named.txt'), '--format', 'json', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as JsonReport).skipped, [{ file: 'named.txt', reason: OUTSIDE_REASON }]);
    assert.doesNotMatch(r.stdout, new RegExp(MARKER));
  });
});

describe('hostile repositories: cost (items 10 and 11)', () => {
  // CPU time of this process, not wall time: discovery runs on this thread, and a loaded machine stretches wall
  // time many times over while the work stays the same (the bounds are ten times the measured cost and far below
  // the cost before the fixes).
  const cpuMsSince = (t0: NodeJS.CpuUsage): number => {
    const d = process.cpuUsage(t0);
    return (d.user + d.system) / 1000;
  };

  test('a folder chain 1,500 deep is discovered in linear time', () => {
    const ws = workspace();
    const files = deepChain(ws, 1500, 300);
    const t0 = process.cpuUsage();
    const d = discover(ws, [ws]);
    const ms = cpuMsSince(t0);
    assert.equal(d.files.length, files);
    // Before the fix this took about 40 s (a realpath per component per level); it now takes well under 1 s.
    assert.ok(ms < 8000, `discovery took ${ms.toFixed(0)} ms`);
  });

  test('a .gitignore at every level of a deep chain stays linear', () => {
    const ws = workspace();
    let d = ws;
    for (let i = 0; i < 500; i++) {
      writeFileSync(join(d, '.gitignore'), `ignored${i}.py\n/anchored${i}\n**/deep*${i}/x\n`);
      writeFileSync(join(d, `ignored${i}.py`), '');
      d = join(d, 'd');
      mkdirSync(d);
    }
    writeFileSync(join(d, 'last.py'), '');
    const t0 = process.cpuUsage();
    const found = discover(ws, [ws]);
    assert.deepEqual(
      found.files.map((f) => f.file.split('/').pop()),
      ['last.py'],
    );
    assert.ok(cpuMsSince(t0) < 8000);
  });

  test('a 100,000-pattern .gitignore with 1,000 files is matched in tables, not pattern by pattern', () => {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) lines.push(i % 2 ? `ignored_${i}.py` : `*.gen${i}`);
    const files: Record<string, string> = { '.gitignore': lines.join('\n') };
    for (let i = 0; i < 1000; i++) files[`src/file_${i}.py`] = '';
    files['src/ignored_7.py'] = '';
    files['src/x.gen42'] = '';
    const ws = workspace(files);
    const t0 = process.cpuUsage();
    const d = discover(ws, [ws]);
    const ms = cpuMsSince(t0);
    assert.equal(d.files.length, 1000);
    // Before the fix: 77 s (files × patterns).
    assert.ok(ms < 10_000, `discovery took ${ms.toFixed(0)} ms`);
  });

  test('a .gitignore with 100,000 wildcard patterns is listed as not applied, at once', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `tmp${i}?`);
    const ws = workspace({ '.gitignore': lines.join('\n'), 'a.py': '' });
    const t0 = process.cpuUsage();
    const d = discover(ws, [ws]);
    assert.equal(
      reasons(d)['.gitignore'],
      'ignore file not applied: more than 1000 wildcard patterns (the limit for one path)',
    );
    assert.deepEqual(
      d.files.map((f) => f.file),
      ['a.py'],
    );
    assert.ok(cpuMsSince(t0) < 5000);
  });
});

describe('hostile repositories: the CLI (items 18 and 19)', () => {
  test('include ["../../**"] warns on stderr that it can never match, instead of scanning 0 files silently', async () => {
    const ws = workspace({ 'a.py': 'x = 1\n', '.mcp-sentinel.json': '{ "include": ["../../**", "/abs/*.py"] }' });
    const r = await cli(['scan', ws, '--fail-on', 'none']);
    assert.equal(r.code, 0);
    assert.match(
      r.stderr,
      /^warning: include pattern "\.\.\/\.\.\/\*\*" never matches: it points outside the scanned folder/m,
    );
    assert.match(r.stderr, /^warning: include pattern "\/abs\/\*\.py" never matches: patterns are relative/m);
    const d = discover(ws, [ws], { exclude: ['src/../x'] });
    assert.equal(d.warnings.length, 1);
  });

  test(
    '--output /proc/x/y fails at once with a clear error instead of spinning',
    { skip: !existsSync('/proc/self') },
    () => {
      const ws = workspace({ 'a.py': 'x = 1\n' });
      const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'scan', ws, '--output', '/proc/x/y'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.signal, null, 'the CLI did not finish within 60 s');
      assert.equal(r.status, 2);
      assert.equal(r.stderr, 'mcp-sentinel: cannot create the folder /proc/x (ENOENT)\n');
    },
  );

  test('--output under a file, and --output-dir onto a file, are one-line errors with exit 2', async () => {
    const ws = workspace({ 'a.py': 'x = 1\n' });
    const under = await cli(['scan', ws, '--output', join(ws, 'a.py', 'report.json')]);
    assert.equal(under.code, 2);
    assert.equal(under.stderr, `mcp-sentinel: ${join(ws, 'a.py')} is not a folder\n`);
    const dir = await cli(['scan', ws, '--format', 'json,html', '--output-dir', join(ws, 'a.py')]);
    assert.equal(dir.code, 2);
    assert.match(dir.stderr, /is not a folder\n$/);
    const nested = await cli(['baseline', ws, '--output', join(ws, 'new/deeper/baseline.json')]);
    assert.equal(nested.code, 0, nested.stderr);
    assert.ok(existsSync(join(ws, 'new/deeper/baseline.json')));
  });
});

describe('hostile repositories: deep files and huge results (items 4 and 17)', () => {
  const deepJson = (key: string, depth: number) => `{"${key}": ${'['.repeat(depth)}${']'.repeat(depth)}}`;

  test('attack: a .mcp-sentinel.json nested 10,000 levels is one line naming the file, not a stack overflow', async () => {
    const ws = workspace({ 'a.py': 'x = 1\n', '.mcp-sentinel.json': deepJson('rules', 10_000) });
    const r = await cli(['scan', ws]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `mcp-sentinel: ${join(ws, '.mcp-sentinel.json')}:1:1: the file is nested deeper than 500 levels: it is not read\n`,
    );
  });

  test('attack: a --baseline nested 10,000 levels, and a folder given as --baseline, say what is wrong', async () => {
    const ws = workspace({ 'a.py': 'x = 1\n', 'bl.json': deepJson('fingerprints', 10_000), 'dir/x.txt': '' });
    const deep = await cli(['scan', ws, '--baseline', join(ws, 'bl.json')]);
    assert.equal(deep.code, 2);
    assert.match(deep.stderr, /bl\.json:1:1: the file is nested deeper than 500 levels/);
    const dir = await cli(['scan', ws, '--baseline', join(ws, 'dir')]);
    assert.equal(dir.code, 2);
    assert.equal(dir.stderr, `mcp-sentinel: baseline file ${join(ws, 'dir')} is not a regular file (a folder)\n`);
  });

  test('attack: a tools.json nested 10,000 levels is skipped with the reason and the scan goes on', async () => {
    const ws = workspace({
      'tools.json': deepJson('tools', 10_000),
      'deep.py': `x = ${'('.repeat(10_000)}1${')'.repeat(10_000)}\n`,
      '.env': `TOKEN=ghp_${'A1b2C3d4E5'.repeat(3)}abcdef\n`,
    });
    // The built-in rules (the helper's default is the test rules only), so the secret in .env is found.
    const r = await cli(['scan', ws, '--format', 'json', '--fail-on', 'none'], { project: {} });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual(reasons(report), {
      'deep.py': 'nested deeper than 500 levels',
      'tools.json': 'nested deeper than 500 levels',
    });
    assert.deepEqual(
      report.findings.map((f) => f.file),
      ['.env'],
    );
  });

  test('attack: a file with 160,000 findings is reported in every format, not lost to a push(...spread)', async () => {
    // One custom rule matching every line of a 320 KB file: more findings than a call may take arguments.
    const ws = workspace({
      '.env': 'x\n'.repeat(160_000),
      '.mcp-sentinel.json': JSON.stringify({
        limits: { timeoutMs: 600_000 },
        customRules: [
          { id: 'custom-x', message: 'x', severity: 'low', category: 'other', files: ['.env'], pattern: 'x' },
        ],
      }),
    });
    const out = join(base, `reports${n++}`);
    const r = await cli([
      'scan',
      ws,
      '--format',
      'text,json',
      '--output-dir',
      out,
      '--fail-on',
      'none',
      '--workers',
      '1',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(readFileSync(join(out, 'mcp-sentinel.json'), 'utf8')) as JsonReport;
    assert.equal(report.findings.length, 160_000);
    assert.match(readFileSync(join(out, 'mcp-sentinel.txt'), 'utf8'), /160000 findings|160,000 findings/);
  });
});

describe('hostile repositories: the whole workspace through the CLI', () => {
  test(
    'finishes within 30 s, lists every bad file with its reason, and no byte from outside reaches a report',
    {
      skip: !posix || !hasDevZero,
    },
    (t) => {
      const ws = workspace({ 'server.py': 'import os\n', 'sub/tool.py': 'x = 1\n' });
      symlinkSync('/dev/zero', join(ws, 'zero.py'));
      symlinkSync('/dev/zero', join(ws, '.gitignore'));
      if (!mkfifo(join(ws, 'sub', '.gitignore'))) return t.skip('no mkfifo');
      if (!mkfifo(join(ws, 'sub', 'pipe.json'))) return t.skip('no mkfifo');
      symlinkSync(join(outside, 'secret.txt'), join(ws, 'passwd.txt'));
      symlinkSync(join(outside, 'dir'), join(ws, 'linked'));
      mkdirSync(join(ws, 'deep'));
      deepChain(join(ws, 'deep'), 1000, 250);
      // A 10,000-deep tool list, and a catastrophic custom rule with a file that would make a backtracking engine
      // run for hours.
      writeFileSync(join(ws, 'tools.json'), `{"tools": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
      writeFileSync(
        join(ws, '.mcp-sentinel.json'),
        JSON.stringify({
          customRules: [
            {
              id: 'catastrophic',
              message: 'c',
              severity: 'low',
              category: 'other',
              files: ['*.py'],
              pattern: '(a+)+$',
            },
          ],
        }),
      );
      writeFileSync(join(ws, 'slow.py'), `s = "${'a'.repeat(40)}b"\n`);
      const out = join(base, `reports${n++}`);
      const t0 = performance.now();
      const r = spawnSync(
        process.execPath,
        [
          join(ROOT, 'dist/cli.js'),
          'scan',
          ws,
          '--format',
          'text,json,sarif,html',
          '--output-dir',
          out,
          '--fail-on',
          'none',
        ],
        { encoding: 'utf8', timeout: 30_000 },
      );
      assert.equal(r.signal, null, `the CLI did not finish within 30 s (${(performance.now() - t0).toFixed(0)} ms)`);
      assert.equal(r.status, 0, r.stderr);
      const report = JSON.parse(readFileSync(join(out, 'mcp-sentinel.json'), 'utf8')) as JsonReport;
      assert.deepEqual(reasons(report), {
        '.gitignore': `ignore file not applied: ${OUTSIDE_REASON}`,
        'linked/': OUTSIDE_REASON,
        'passwd.txt': OUTSIDE_REASON,
        'sub/.gitignore': 'ignore file not applied: not a regular file (a named pipe)',
        'sub/pipe.json': 'not a regular file (a named pipe)',
        'tools.json': 'nested deeper than 500 levels',
        'zero.py': OUTSIDE_REASON,
      });
      // server.py, sub/tool.py, the four files of the deep chain, slow.py and the config itself.
      assert.equal(report.stats.filesScanned, 2 + 4 + 2);
      for (const ext of ['txt', 'json', 'sarif', 'html']) {
        const text = readFileSync(join(out, `mcp-sentinel.${ext}`), 'utf8');
        assert.doesNotMatch(text, new RegExp(MARKER), `${ext} holds bytes of the outside file`);
        assert.doesNotMatch(text, /ghp_A1b2/, `${ext} holds bytes of the outside file`);
      }
    },
  );
});
