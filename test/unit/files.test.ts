// The one reader (server/core/files.ts): every file the tool reads goes through it, so each attack on a single
// read (issue 16, item 1) is tried here against the reader itself. Hostile files are planted in a temp folder at
// test time and never committed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ReadScratch, readRegularFile, readTextFile } from '../../server/core/files';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-files-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const posix = process.platform !== 'win32';
const LIMIT = { maxBytes: 1024 };

/** Creates a named pipe with mkfifo; false when the platform has none. */
function mkfifo(path: string): boolean {
  try {
    execFileSync('mkfifo', [path]);
    return true;
  } catch {
    return false;
  }
}

describe('the bounded reader', () => {
  test('reads a regular file whole, and a file at the limit', () => {
    writeFileSync(join(tmp, 'ok.txt'), 'hello');
    writeFileSync(join(tmp, 'full.txt'), 'x'.repeat(1024));
    assert.deepEqual(readTextFile(join(tmp, 'ok.txt'), LIMIT), { ok: true, text: 'hello' });
    const full = readRegularFile(join(tmp, 'full.txt'), LIMIT);
    assert.equal(full.ok && full.bytes.length, 1024);
  });

  test('a file over the limit is refused with its size, not read in part', () => {
    writeFileSync(join(tmp, 'big.txt'), 'x'.repeat(4096));
    assert.deepEqual(readRegularFile(join(tmp, 'big.txt'), LIMIT), { ok: false, reason: 'larger than 1 KB (4 KB)' });
  });

  test('a symlink to /dev/zero is refused without reading a byte', { skip: !existsSync('/dev/zero') }, () => {
    symlinkSync('/dev/zero', join(tmp, 'zero.json'));
    assert.deepEqual(readRegularFile(join(tmp, 'zero.json'), { maxBytes: 1024 * 1024 * 1024 }), {
      ok: false,
      reason: 'not a regular file (a character device)',
    });
  });

  test('a named pipe is refused at once instead of blocking for a writer', { skip: !posix }, (t) => {
    const fifo = join(tmp, 'pipe.json');
    if (!mkfifo(fifo)) return t.skip('no mkfifo');
    assert.deepEqual(readRegularFile(fifo, LIMIT), { ok: false, reason: 'not a regular file (a named pipe)' });
    symlinkSync(fifo, join(tmp, 'pipe-link.json'));
    assert.deepEqual(readRegularFile(join(tmp, 'pipe-link.json'), LIMIT), {
      ok: false,
      reason: 'not a regular file (a named pipe)',
    });
  });

  test('a socket is refused', { skip: !posix }, async () => {
    const sock = join(tmp, 'app.sock');
    const server = createServer();
    await new Promise<void>((done) => server.listen(sock, done));
    try {
      assert.deepEqual(readRegularFile(sock, LIMIT), { ok: false, reason: 'not a regular file (a socket)' });
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  test('a folder is refused', () => {
    mkdirSync(join(tmp, 'dir.json'));
    assert.deepEqual(readRegularFile(join(tmp, 'dir.json'), LIMIT), {
      ok: false,
      reason: 'not a regular file (a folder)',
    });
  });

  test(
    'a file that claims fewer bytes than it holds (as /proc files do) is cut off at the limit',
    {
      skip: !existsSync('/proc/self/maps'),
    },
    () => {
      // /proc/self/maps reports size 0 and holds several KB: the read itself must stop, not trust fstat.
      assert.deepEqual(readRegularFile('/proc/self/maps', LIMIT), {
        ok: false,
        reason: 'larger than 1 KB (it grew while being read)',
      });
      const whole = readRegularFile('/proc/self/maps', { maxBytes: 16 * 1024 * 1024 });
      assert.ok(whole.ok && whole.bytes.length > 1024);
    },
  );

  test('noFollow refuses a symlink put where a real path was expected', { skip: !posix }, () => {
    writeFileSync(join(tmp, 'target.txt'), 'secret');
    symlinkSync(join(tmp, 'target.txt'), join(tmp, 'swapped.txt'));
    assert.deepEqual(readRegularFile(join(tmp, 'swapped.txt'), { ...LIMIT, noFollow: true }), {
      ok: false,
      reason: 'not a regular file (a symlink put in place after discovery)',
    });
  });

  test('a missing file and an unreadable one come back as reasons, never as exceptions', () => {
    assert.deepEqual(readRegularFile(join(tmp, 'nope.txt'), LIMIT), {
      ok: false,
      reason: 'not found (broken symlink?)',
    });
  });

  test('reads through a scratch buffer give each file its own bytes, whatever the order of sizes', () => {
    const scratch = new ReadScratch();
    const sizes = [700, 3, 0, 1024, 5];
    sizes.forEach((n, i) => writeFileSync(join(tmp, `s${i}.txt`), String.fromCharCode(97 + i).repeat(n)));
    sizes.forEach((n, i) => {
      const r = readRegularFile(join(tmp, `s${i}.txt`), { ...LIMIT, scratch });
      assert.ok(r.ok);
      assert.equal(r.bytes.toString(), String.fromCharCode(97 + i).repeat(n));
    });
  });
});
