// The safe extraction of package tarballs (server/packages/extract.ts) against crafted hostile archives: each
// refused entry or broken limit is reported, nothing lands outside the extraction folder, and an archive that is not
// one is a clear error.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { VetError } from '../../server/packages/errors';
import { extractTarball, readTarballFile, unsafePathReason } from '../../server/packages/extract';
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from '../../server/packages/limits';
import { serverPackage, tarball } from './tarballs';

let base: string;
let n = 0;
/** A fresh folder `base/<n>/pkg`; the parent holds nothing else, so an escape would show up beside `pkg`. */
function fresh(): { parent: string; dir: string } {
  const parent = join(base, String(n++));
  const dir = join(parent, 'pkg');
  mkdirSync(dir, { recursive: true });
  return { parent, dir };
}
const limits = (l: Partial<PackageLimits> = {}): PackageLimits => ({ ...DEFAULT_PACKAGE_LIMITS, ...l });

before(() => {
  base = mkdtempSync(join(tmpdir(), 'vet-extract-'));
});
after(() => rmSync(base, { recursive: true, force: true }));

describe('extractTarball', () => {
  test('unpacks a package without its top folder', async () => {
    const { dir } = fresh();
    const x = await extractTarball(tarball(serverPackage()), dir, limits());
    assert.deepEqual(x.files, ['package.json', 'dist/index.js']);
    assert.deepEqual(x.refused, []);
    assert.equal(x.broken, undefined);
    assert.match(readFileSync(join(dir, 'dist/index.js'), 'utf8'), /server\.tool/);
  });

  test('refuses `..` and absolute paths and writes nothing outside', async () => {
    const { parent, dir } = fresh();
    const x = await extractTarball(
      tarball([
        ...serverPackage(),
        { path: 'package/../../escaped.js', data: 'x' },
        { path: '../escaped2.js', data: 'x' },
        { path: '/tmp/vet-absolute-escape.js', data: 'x' },
      ]),
      dir,
      limits(),
    );
    assert.deepEqual(
      x.refused.map((r) => r.reason),
      ['path leaves the package folder (..)', 'path leaves the package folder (..)', 'absolute path'],
    );
    assert.deepEqual(readdirSync(parent), ['pkg']);
    assert.ok(!existsSync(join(base, 'escaped.js')));
    assert.ok(!existsSync('/tmp/vet-absolute-escape.js'));
    assert.deepEqual(x.files, ['package.json', 'dist/index.js']);
  });

  test('never creates symbolic or hard links, nor devices', async () => {
    const { dir } = fresh();
    const x = await extractTarball(
      tarball([
        ...serverPackage(),
        { path: 'package/link', type: 'SymbolicLink', linkpath: '/etc/passwd' },
        { path: 'package/hard', type: 'Link', linkpath: 'package/package.json' },
        { path: 'package/dev', type: 'CharacterDevice' },
        // A file written through the symlink's name must land as a plain file, or be refused.
        { path: 'package/link/owned.txt', data: 'x' },
      ]),
      dir,
      limits(),
    );
    assert.deepEqual(
      x.refused.map((r) => r.reason.split(' (')[0]),
      ['symbolic link to /etc/passwd', 'hard link to package/package.json', 'device or pipe entry'],
    );
    assert.ok(!existsSync(join(dir, 'hard')) && !existsSync(join(dir, 'dev')));
    // `link/owned.txt` became an ordinary folder and file inside the package: no link was followed.
    assert.ok(readdirSync(join(dir, 'link'), { withFileTypes: true }).every((e) => e.isFile()));
  });

  test('too many entries stop the extraction with the limit', async () => {
    const { dir } = fresh();
    const many = Array.from({ length: 30 }, (_, i) => ({ path: `package/f${i}.js`, data: 'x' }));
    const x = await extractTarball(tarball(many), dir, limits({ files: 10 }));
    assert.equal(x.broken?.limit, 'files');
    assert.equal(x.files.length, 10);
  });

  test('a decompression bomb stops at the ratio limit', async () => {
    const { dir } = fresh();
    const bomb = tarball([{ path: 'package/zeros.js', data: Buffer.alloc(4 * 1024 * 1024) }]);
    assert.ok(bomb.length < 40_000, 'the bomb is small packed');
    const x = await extractTarball(bomb, dir, limits({ ratioFloorBytes: 1024 * 1024 }));
    assert.equal(x.broken?.limit, 'ratio');
    assert.match(x.broken!.message, /decompression bomb/);
    assert.ok(!existsSync(join(dir, 'zeros.js')), 'the bomb file was not written');
  });

  test('the unpacked total and the packed size have limits', async () => {
    const big = tarball([{ path: 'package/big.js', data: Buffer.alloc(2 * 1024 * 1024, 'a') }]);
    const total = await extractTarball(big, fresh().dir, limits({ totalBytes: 1024 * 1024 }));
    assert.equal(total.broken?.limit, 'totalBytes');
    const packed = await extractTarball(big, fresh().dir, limits({ compressedBytes: 100 }));
    assert.equal(packed.broken?.limit, 'compressedBytes');
  });

  test('an oversized file is refused and the rest is read', async () => {
    const { dir } = fresh();
    const x = await extractTarball(
      tarball([...serverPackage(), { path: 'package/huge.js', data: Buffer.alloc(300 * 1024, 'a') }]),
      dir,
      limits({ fileBytes: 100 * 1024 }),
    );
    assert.equal(x.broken, undefined);
    assert.match(x.refused[0]!.reason, /^larger than 100 KB/);
    assert.ok(!existsSync(join(dir, 'huge.js')));
    assert.deepEqual(x.files, ['package.json', 'dist/index.js']);
  });

  test('corrupt gzip and non-tar bytes are clear errors', async () => {
    const good = tarball(serverPackage());
    const corrupt = Buffer.from(good);
    corrupt.fill(0x41, 20, 200);
    await assert.rejects(extractTarball(corrupt, fresh().dir, limits()), (e: unknown) => {
      assert.ok(e instanceof VetError);
      assert.equal(e.code, 'integrity');
      assert.match(e.message, /not a valid gzip archive/);
      return true;
    });
    await assert.rejects(extractTarball(Buffer.from('plain text'), fresh().dir, limits()), VetError);
  });

  test('a cancelled extraction rejects as cancelled', async () => {
    const c = new AbortController();
    c.abort();
    await assert.rejects(extractTarball(tarball(serverPackage()), fresh().dir, limits(), c.signal), /cancelled/);
  });

  test('unsafePathReason', () => {
    assert.equal(unsafePathReason('package/a/b.js'), undefined);
    assert.equal(unsafePathReason('package/..foo/b.js'), undefined);
    assert.ok(unsafePathReason('package/a/../../b'));
    assert.ok(unsafePathReason('C:\\x'));
    assert.ok(unsafePathReason('\\\\server\\share'));
    assert.ok(unsafePathReason('package\\..\\..\\x'));
  });
});

test('reading one file of a tarball gives what an extraction leaves: the last entry of a path wins', async () => {
  const bytes = tarball([
    { path: 'package/index.js', data: 'first' },
    { path: 'package/evil', type: 'SymbolicLink', linkpath: '/etc/passwd' },
    { path: 'package/index.js', data: 'second' },
  ]);
  assert.equal(await readTarballFile(bytes, 'index.js', DEFAULT_PACKAGE_LIMITS), 'second');
  // A refused entry (a link) is never read through, and a missing path is undefined.
  assert.equal(await readTarballFile(bytes, 'evil', DEFAULT_PACKAGE_LIMITS), undefined);
  assert.equal(await readTarballFile(bytes, 'missing.js', DEFAULT_PACKAGE_LIMITS), undefined);
});
