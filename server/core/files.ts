/**
 * The one way the tool reads a file it did not write: source files, every `.gitignore`, and the project's own
 * files (config, ignore file, baseline, pins). A repository is untrusted input, and git can store a symlink to
 * `/dev/zero` or a named pipe under any name, so a plain `readFileSync` can exhaust memory or block forever. This
 * reader opens the path once, checks what it opened with `fstat` (so the check and the read concern the same
 * file), refuses anything that is not a regular file, and never reads more than a byte limit, even from a file
 * that grows while it is read. It returns the bytes or a one-line reason for the report; it never throws.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** The bytes of a file, or why it was not read. */
export type FileRead = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** The text of a file, or why it was not read. */
export type TextRead = { ok: true; text: string } | { ok: false; reason: string };

/** How to read a file. */
export interface ReadOptions {
  /** The most bytes the file may hold; a larger file is refused with a reason rather than read in part. */
  maxBytes: number;
  /**
   * Refuse a symlink as the last component instead of following it. Discovery resolves links itself and hands
   * out real paths, so a link found here was put in place after the walk and is not read.
   */
  noFollow?: boolean;
  /**
   * Read into this buffer instead of a new one (see `ReadScratch`): the bytes returned are then valid only until the
   * next read with the same scratch.
   */
  scratch?: ReadScratch;
}

/**
 * A buffer that successive reads reuse, for a caller that decodes each file's bytes into a string and drops them
 * (the scan reads every file of a tree this way). A new buffer per file is memory outside the V8 heap that is only
 * returned when the garbage collector next runs, and the scan's reading thread allocates so little on its heap that
 * tens of megabytes of read buffers were measured waiting for it. The buffer grows to the largest file read, which
 * the read limit bounds.
 */
export class ReadScratch {
  private buffer = Buffer.alloc(0);

  /** A buffer of exactly `size` bytes, backed by this scratch's memory. */
  take(size: number): Buffer {
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(Math.ceil(size / CHUNK_BYTES) * CHUNK_BYTES);
    return this.buffer.subarray(0, size);
  }
}

/**
 * The size limit for the project's own files (config, ignore file, baseline, pins): 32 MB, room for a baseline
 * of some 200,000 findings, and far less than what would hurt the editor if a hostile repository made one huge.
 */
export const PROJECT_FILE_MAX_BYTES = 32 * 1024 * 1024;

/** Reads are done in pieces of this size, so memory grows with what the file holds, not with what it claims. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Why a file of this type is not read, or undefined for a regular file. The names are the ones a user sees in
 * `ls -l` terms, so the reason in a report says what is wrong with the file.
 */
export function specialFileReason(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'not a regular file (a folder)';
  if (st.isFIFO()) return 'not a regular file (a named pipe)';
  if (st.isSocket()) return 'not a regular file (a socket)';
  if (st.isCharacterDevice()) return 'not a regular file (a character device)';
  if (st.isBlockDevice()) return 'not a regular file (a block device)';
  if (st.isSymbolicLink()) return 'not a regular file (a symlink)';
  return 'not a regular file';
}

/** The reason for a failed file-system call, in the words the reports use. */
export function fileErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'unreadable (permission denied)';
  if (code === 'ENOENT') return 'not found (broken symlink?)';
  if (code === 'ELOOP') return 'symlink loop';
  if (code === 'ENAMETOOLONG') return 'path too long to open';
  return `unreadable (${code ?? (e instanceof Error ? e.message : String(e))})`;
}

/** The size limit as the reports print it: whole kilobytes. */
export function tooLargeReason(maxBytes: number, size?: number): string {
  const limit = `larger than ${Math.round(maxBytes / 1024)} KB`;
  return size === undefined ? limit : `${limit} (${Math.round(size / 1024)} KB)`;
}

// Opening a named pipe for reading blocks until a writer appears, unless the open is non-blocking; a terminal
// opened without O_NOCTTY could become the process's controlling terminal. Both flags are no-ops on a regular
// file, and on Windows (where they do not exist) the type check before the open is what protects.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const LINK_AFTER_DISCOVERY = 'not a regular file (a symlink put in place after discovery)';

/**
 * Reads a whole regular file of at most `options.maxBytes` bytes. Anything else (a missing path, a folder, a
 * named pipe, a socket, a device, a file over the limit or one that grows past it during the read) comes back as
 * a reason.
 */
export function readRegularFile(path: string, options: ReadOptions): FileRead {
  const { maxBytes } = options;
  // A type check before the open keeps devices from being opened at all (opening some has side effects); the
  // fstat after the open is the one that counts, since the path may have changed in between.
  let fd: number;
  try {
    const before = options.noFollow ? lstatSync(path) : statSync(path);
    if (before.isSymbolicLink()) return { ok: false, reason: LINK_AFTER_DISCOVERY };
    const early = specialFileReason(before);
    if (early) return { ok: false, reason: early };
    if (before.size > maxBytes) return { ok: false, reason: tooLargeReason(maxBytes, before.size) };
    fd = openSync(path, OPEN_FLAGS | (options.noFollow ? NOFOLLOW : 0));
  } catch (e) {
    if (options.noFollow && (e as NodeJS.ErrnoException).code === 'ELOOP')
      return { ok: false, reason: LINK_AFTER_DISCOVERY };
    return { ok: false, reason: fileErrorReason(e) };
  }
  try {
    const st = fstatSync(fd);
    const special = specialFileReason(st);
    if (special) return { ok: false, reason: special };
    if (st.size > maxBytes) return { ok: false, reason: tooLargeReason(maxBytes, st.size) };
    return readBounded(fd, maxBytes, st.size, options.scratch);
  } catch (e) {
    return { ok: false, reason: fileErrorReason(e) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads from an open descriptor until end of file, but never past `maxBytes + 1` bytes: one byte more than the
 * limit is enough to know the file is too large. `expected` (the size fstat gave) only sizes the first buffer;
 * the loop does not trust it, because a file can grow or shrink while it is read. Each buffer is filled before the
 * next is allocated: the first holds one byte more than `expected`, so the read that finds the end of a file whose
 * size did not change goes into that spare byte instead of a buffer of its own (a 64 KB one per file, measured as
 * most of a large scan's memory outside the heap).
 */
function readBounded(fd: number, maxBytes: number, expected: number, scratch?: ReadScratch): FileRead {
  const chunks: Buffer[] = [];
  let total = 0;
  const size = Math.min(Math.max(expected + 1, 1), maxBytes + 1);
  // Only the first buffer comes from the scratch: later ones (a file that grew) are concatenated into a new buffer.
  let buf = scratch ? scratch.take(size) : Buffer.allocUnsafe(size);
  let filled = 0;
  for (;;) {
    if (filled === buf.length) {
      chunks.push(buf);
      buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
      filled = 0;
    }
    const n = readSync(fd, buf, filled, buf.length - filled, null);
    if (n === 0) break;
    filled += n;
    total += n;
    if (total > maxBytes) return { ok: false, reason: `${tooLargeReason(maxBytes)} (it grew while being read)` };
  }
  chunks.push(buf.subarray(0, filled));
  return { ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
}

/**
 * Reads a regular file as UTF-8 text (a leading BOM is kept, as `readFileSync(path, 'utf8')` keeps it), for the
 * project's own files; see readRegularFile for what is refused.
 */
export function readTextFile(path: string, options: ReadOptions): TextRead {
  const r = readRegularFile(path, options);
  return r.ok ? { ok: true, text: r.bytes.toString('utf8') } : r;
}
