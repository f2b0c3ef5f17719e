// Discovery: what is walked, what is skipped and why, decoding, and the stable shard partition.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { decodeFile, minifiedReason } from '../../server/discovery/decode';
import { discover, scanRoot } from '../../server/discovery/discover';
import { parseShard, shardOf } from '../../server/discovery/shard';
import type { JsonReport } from '../../server/reports/model';
import { cli } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-disc-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, content: string | Buffer): void {
  const p = join(tmp, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
}

// One workspace exercising every discovery rule.
write('src/ok.ts', '// MARK_HIGH\n');
write('src/ignored.ts', '// MARK_HIGH ignored by the nested .gitignore\n');
write('src/.gitignore', 'ignored.ts\ngen/\n');
write('src/gen/out.ts', '// MARK_HIGH in an ignored folder\n');
write('.gitignore', '*.log.ts\n');
write('debug.log.ts', '// MARK_HIGH ignored by the root .gitignore\n');
for (const d of [
  'node_modules/pkg',
  '.git',
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '.venv',
  'venv',
  '__pycache__',
  'vendor',
  'third_party',
  '.tox',
  'lib/site-packages',
]) {
  write(`${d}/x.js`, '// MARK_HIGH in a skipped folder\n');
}
write('bin/blob.js', Buffer.concat([Buffer.from('MARK_HIGH'), Buffer.from([0, 1, 2, 3])]));
write('latin1.py', Buffer.from([0x23, 0x20, 0xe9, 0xe8, 0x0a])); // "# éè" in Latin-1: not UTF-8
write(
  'utf16le.ts',
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('const a = 1;\n// é MARK_LOW\n', 'utf16le')]),
);
const be = Buffer.from('// MARK_INFO\n', 'utf16le');
be.swap16();
write('utf16be.py', Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
write('bom.ts', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('// MARK_MEDIUM\n')]));
write('big.json', Buffer.alloc(10 * 1024 * 1024 + 10, 0x20));
write('app.min.js', 'var a=1;'.repeat(40_000) + '// MARK_HIGH');
write('chunk.min.js', 'var a=1;'.repeat(1000) + '// MARK_HIGH');
write('picture.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
symlinkSync('.', join(tmp, 'src/loop'));
write('locked.ts', '// MARK_HIGH\n');
chmodSync(join(tmp, 'locked.ts'), 0o000);
const isRoot = process.getuid?.() === 0;

describe('discovery', () => {
  test('walks in sorted order, honours .gitignore at every level and the default skipped folders', () => {
    const d = discover(tmp, [tmp]);
    const files = d.files.map((f) => f.file);
    assert.deepEqual(files, [...files].sort());
    assert.ok(files.includes('src/ok.ts'));
    for (const f of files) {
      assert.doesNotMatch(
        f,
        /ignored|gen\/|log\.ts|node_modules|^\.git\/|^dist|^build|^out\/|coverage|\.next|venv|__pycache__|vendor|third_party|\.tox|site-packages/,
        f,
      );
    }
    assert.ok(!files.includes('picture.png'), 'files without a kind are not read');
    assert.ok(!d.skipped.some((s) => s.file === 'picture.png'), 'and not listed either, unless named explicitly');
  });

  test('a symlinked folder loop is reported once and ends', () => {
    const d = discover(tmp, [tmp]);
    assert.deepEqual(
      d.skipped.filter((s) => s.file.startsWith('src/loop')),
      [{ file: 'src/loop/', reason: 'symlink to a folder already scanned (loop or duplicate)' }],
    );
  });

  test('oversize files are skipped at discovery with the size', () => {
    const d = discover(tmp, [tmp]);
    assert.match(d.skipped.find((s) => s.file === 'big.json')?.reason ?? '', /^larger than 10240 KB/);
    assert.equal(
      discover(tmp, [tmp], { maxFileBytes: 20 * 1024 * 1024 }).files.some((f) => f.file === 'big.json'),
      true,
    );
  });

  test('include and exclude globs', () => {
    assert.deepEqual(
      discover(tmp, [tmp], { include: ['src/**'] }).files.map((f) => f.file),
      ['src/ok.ts'],
    );
    assert.ok(!discover(tmp, [tmp], { exclude: ['src'] }).files.some((f) => f.file.startsWith('src/')));
    assert.ok(!discover(tmp, [tmp], { exclude: ['**/*.py'] }).files.some((f) => f.file.endsWith('.py')));
  });

  test('a file named explicitly is scanned even when ignored, and listed when it has no kind', () => {
    const d = discover(tmp, [join(tmp, 'src/ignored.ts'), join(tmp, 'picture.png')]);
    assert.deepEqual(
      d.files.map((f) => f.file),
      ['src/ignored.ts'],
    );
    assert.deepEqual(d.skipped, [{ file: 'picture.png', reason: 'not a file type the scanner reads' }]);
  });

  test('the root: a folder, the common ancestor of several paths, the folder of a single file', () => {
    assert.equal(scanRoot([tmp]), tmp);
    assert.equal(scanRoot([join(tmp, 'src/ok.ts'), join(tmp, 'bin/blob.js')]), tmp);
    assert.equal(scanRoot([join(tmp, 'src/ok.ts')]), join(tmp, 'src'));
  });

  test('the CLI lists every skipped file with its reason and scans UTF-16 and BOM files', async () => {
    const r = await cli(['scan', tmp, '--format', 'json', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    const rep = JSON.parse(r.stdout) as JsonReport;
    const reasons = Object.fromEntries(rep.skipped.map((s) => [s.file, s.reason]));
    assert.equal(reasons['bin/blob.js'], 'binary file (NUL byte)');
    assert.equal(reasons['latin1.py'], 'binary file or not UTF-8/UTF-16 text');
    assert.match(reasons['big.json'] ?? '', /larger than/);
    assert.match(reasons['app.min.js'] ?? '', /^minified bundle \(313 KB, longest line \d+ chars\)$/);
    assert.equal(reasons['chunk.min.js'], undefined, 'a small minified chunk is scanned');
    assert.ok(
      rep.findings.some((f) => f.file === 'chunk.min.js'),
      'the small chunk is scanned and its marker found',
    );
    assert.ok(reasons['src/loop/']);
    if (!isRoot) assert.equal(reasons['locked.ts'], 'unreadable (permission denied)');
    assert.equal(rep.stats.filesSkipped, rep.skipped.length);
    const at = (file: string) =>
      rep.findings.filter((f) => f.file === file).map((f) => [f.severity, f.range.start.line, f.range.start.column]);
    assert.deepEqual(at('utf16le.ts'), [['low', 2, 6]]);
    assert.deepEqual(at('utf16be.py'), [['info', 1, 4]]);
    assert.deepEqual(at('bom.ts'), [['medium', 1, 4]], 'the BOM is stripped, so columns start after it');
    assert.deepEqual(at('src/ok.ts'), [['high', 1, 4]]);
    assert.equal(
      rep.findings.length,
      isRoot ? 6 : 5,
      'nothing from ignored, skipped or binary files (the small minified chunk counts)',
    );
  });

  test('--verbose reports the backend, counts, skipped files and timings on stderr only', async () => {
    const r = await cli(['scan', tmp, '--format', 'json', '--fail-on', 'none', '--verbose']);
    assert.match(r.stderr, /^regex backend: (re2|js)/m);
    assert.match(r.stderr, /files scanned: \d+; files skipped: \d+/);
    assert.match(r.stderr, /skipped bin\/blob\.js: binary file/);
    assert.match(r.stderr, /timings: open \d+ ms, discover \d+ ms, workspace facts \d+ ms, scan \d+ ms/);
    JSON.parse(r.stdout);
  });

  test('progress goes to stderr only on a terminal', async () => {
    const quiet = await cli(['scan', tmp, '--fail-on', 'none']);
    assert.equal(quiet.stderr, '');
    const tty = await cli(['scan', tmp, '--fail-on', 'none'], { tty: true });
    assert.match(tty.stderr, /scanning \d+\/\d+ files/);
    assert.doesNotMatch(tty.stdout, /scanning/);
  });
});

describe('decoding', () => {
  test('UTF-8 with and without BOM, UTF-16 LE/BE with BOM, binary, invalid UTF-8', () => {
    assert.deepEqual(decodeFile(Buffer.from('héllo')), { ok: true, text: 'héllo', encoding: 'utf-8' });
    assert.deepEqual(decodeFile(Buffer.from('\ufeffhi')), { ok: true, text: 'hi', encoding: 'utf-8' });
    assert.deepEqual(decodeFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi😀', 'utf16le')])), {
      ok: true,
      text: 'hi😀',
      encoding: 'utf-16le',
    });
    const be = Buffer.from('hi', 'utf16le').swap16();
    assert.deepEqual(decodeFile(Buffer.concat([Buffer.from([0xfe, 0xff]), be])), {
      ok: true,
      text: 'hi',
      encoding: 'utf-16be',
    });
    assert.equal(decodeFile(Buffer.from([0x61, 0x00, 0x62])).ok, false);
    assert.equal(decodeFile(Buffer.from([0xc3, 0x28])).ok, false);
  });

  test('minified: long lines with a huge average, not ordinary long lines', () => {
    assert.match(minifiedReason('x'.repeat(300_000)) ?? '', /minified bundle/);
    assert.equal(minifiedReason('x'.repeat(6000)), undefined, 'a small minified file is scanned');
    assert.equal(minifiedReason('x'.repeat(300_000) + '\n' + 'short\n'.repeat(60_000)), undefined);
    assert.equal(minifiedReason('const a = 1;\n'.repeat(1000)), undefined);
  });
});

describe('shards', () => {
  test('K/N parsing', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1', '']) assert.throws(() => parseShard(bad));
  });

  test('the partition is a pure function of the relative path (stable across machines)', () => {
    // SHA-256 of the path: these values must never change, or shards of old CI runs would not line up.
    assert.equal(shardOf('src/index.ts', 4), 1);
    assert.equal(shardOf('.vscode/mcp.json', 4), 2);
    assert.equal(shardOf('a/b/c.py', 7), shardOf('a/b/c.py', 7));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) counts[shardOf(`dir/file${i}.ts`, 4) - 1]!++;
    for (const c of counts) assert.ok(c > 60 && c < 140, `balanced enough: ${counts.join(',')}`);
  });
});
