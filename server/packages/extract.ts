// Unpacks a package tarball as data. The bytes are gunzipped and parsed as a stream (the `tar` package's parser,
// which never touches the disk itself), and each regular file is written by this module into a private folder,
// under the limits of limits.ts. Nothing in the archive can choose where a file lands: a path with `..`, an absolute
// path, a link of either kind and a device entry are refused and reported, never created, and every write is
// checked to stay inside the folder. Nothing in the archive is ever run or linked: there are no install scripts and
// no `bin` links here, only files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { VetError } from './errors';
import type { PackageLimits } from './limits';

/** An archive entry that was not unpacked, and why. */
export interface RefusedEntry {
  /** The entry's path as the archive gives it (control characters escaped by whoever prints it). */
  path: string;
  /** Why it was refused ("symbolic link", "path leaves the package folder", "larger than 10 MB"). */
  reason: string;
}

/** A package-wide limit the archive broke; the extraction stopped there. */
export interface LimitBreak {
  /** Which limit. */
  limit: 'compressedBytes' | 'totalBytes' | 'files' | 'ratio';
  /** One line for people: what was found against what is allowed. */
  message: string;
}

/** What the extraction left in the folder. */
export interface Extraction {
  /** The files written, relative to the folder, forward slashes, in archive order. */
  files: string[];
  /** Bytes written. */
  bytes: number;
  /** Entries refused one by one (the rest of the archive was read). */
  refused: RefusedEntry[];
  /** The package-wide limit that stopped the extraction, when one did. */
  broken?: LimitBreak;
}

const MB = 1024 * 1024;
const size = (n: number) => (n >= MB ? `${(n / MB).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

/** Why an entry's path may not be written, or undefined when it is an ordinary relative path. */
export function unsafePathReason(path: string): string | undefined {
  if (path.includes('\0')) return 'path holds a NUL character';
  if (/^[\\/]/.test(path) || /^[A-Za-z]:/.test(path)) return 'absolute path';
  if (path.split(/[\\/]/).includes('..')) return 'path leaves the package folder (..)';
  return undefined;
}

/** Why an entry of this type is refused, or undefined for a regular file or a folder. */
function typeReason(entry: ReadEntry): string | undefined {
  switch (entry.type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
    case 'Directory':
      return undefined;
    case 'SymbolicLink':
      return `symbolic link to ${entry.linkpath ?? '?'} (links are never created)`;
    case 'Link':
      return `hard link to ${entry.linkpath ?? '?'} (links are never created)`;
    case 'CharacterDevice':
    case 'BlockDevice':
    case 'FIFO':
      return 'device or pipe entry';
    default:
      return `unsupported entry type ${entry.type}`;
  }
}

/**
 * Unpacks the gzipped tarball `bytes` into `dir` (which must exist and be private to the caller), dropping the
 * archive's top folder (`package/` in npm tarballs) as npm does. Resolves with what was written, what was refused and
 * the limit that stopped it, if any. Rejects with a VetError `integrity` when the bytes are not a gzipped tar
 * archive, and `cancelled` when the signal aborts.
 */
export function extractTarball(
  bytes: Uint8Array,
  dir: string,
  limits: PackageLimits,
  signal?: AbortSignal,
): Promise<Extraction> {
  const root = resolve(dir);
  return readTarball(bytes, limits, signal, (out, entryPath, rel, data) => {
    const target = resolve(root, rel);
    const inside = relative(root, target);
    if (!inside || inside.startsWith('..') || inside.startsWith(sep)) {
      out.refused.push({ path: entryPath, reason: 'path leaves the package folder' });
      return;
    }
    try {
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      writeFileSync(target, data, { mode: 0o600 });
      out.files.push(inside.split(sep).join('/'));
      out.bytes += data.length;
    } catch (e) {
      // A file where a folder is needed (or the reverse): the entry is reported and the rest is read.
      out.refused.push({ path: entryPath, reason: `cannot be written (${(e as NodeJS.ErrnoException).code})` });
    }
  });
}

/**
 * The text of one file of a gzipped package tarball (`rel` without the archive's top folder), read in memory under
 * the same limits and refusals as an extraction; undefined when the archive has no such regular file or refused it.
 * The editor shows a vetted registry package's files this way, from the tarball in the cache.
 */
export async function readTarballFile(
  bytes: Uint8Array,
  rel: string,
  limits: PackageLimits,
): Promise<string | undefined> {
  let found: Buffer | undefined;
  await readTarball(bytes, limits, undefined, (_out, _entryPath, entryRel, data) => {
    // The last entry of a path wins, as in an extraction, where it overwrites the earlier ones: the text shown is
    // the text that was scanned.
    if (entryRel === rel) found = data;
  });
  return found?.toString('utf8');
}

/** Receives each regular file an archive may hold: its path in the archive, its path without the top folder, its bytes. */
type FileSink = (out: Extraction, entryPath: string, rel: string, data: Buffer) => void;

/**
 * Reads a gzipped tarball as a stream and hands each acceptable regular file to `sink`, refusing unsafe paths, links,
 * devices and oversized files, and stopping at the package-wide limits (entries, unpacked total, compression ratio).
 */
function readTarball(
  bytes: Uint8Array,
  limits: PackageLimits,
  signal: AbortSignal | undefined,
  sink: FileSink,
): Promise<Extraction> {
  const out: Extraction = { files: [], bytes: 0, refused: [] };
  if (bytes.length > limits.compressedBytes) {
    out.broken = {
      limit: 'compressedBytes',
      message: `the tarball is ${size(bytes.length)}, over the ${size(limits.compressedBytes)} limit`,
    };
    return Promise.resolve(out);
  }
  return new Promise<Extraction>((done, fail) => {
    let settled = false;
    let fed = 0;
    let unpacked = 0;
    let entries = 0;
    let accepted = 0;
    let badArchive: string | undefined;
    const gunzip = createGunzip();
    const parser = new Parser({ strict: false });
    const input = Readable.from(chunks(bytes, (n) => (fed += n)));
    const finish = (e?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      input.destroy();
      gunzip.destroy();
      if (e) fail(e);
      else done(out);
    };
    const stop = (broken: LimitBreak) => {
      out.broken = broken;
      finish();
    };
    const onAbort = () => finish(new VetError('cancelled', 'the package vet was cancelled'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);

    parser.on('warn', (code: string, message: string) => {
      // A damaged header or a truncated archive: the bytes are not the tarball they claim to be.
      if (code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ENTRY_INVALID') badArchive ??= message;
    });
    parser.on('entry', (entry: ReadEntry) => {
      if (settled) return entry.resume();
      if (++entries > limits.files) {
        entry.resume();
        return stop({ limit: 'files', message: `the archive has more than ${limits.files} entries` });
      }
      const why = unsafePathReason(entry.path) ?? typeReason(entry);
      if (why) {
        out.refused.push({ path: entry.path, reason: why });
        return entry.resume();
      }
      // npm drops the top folder of every path; an entry directly at the top (rare) is dropped the same way.
      const rel = entry.path.replace(/\\/g, '/').split('/').slice(1).filter(Boolean).join('/');
      if (entry.type === 'Directory' || !rel) return entry.resume();
      if (entry.size > limits.fileBytes) {
        out.refused.push({ path: entry.path, reason: `larger than ${size(limits.fileBytes)} (${size(entry.size)})` });
        return entry.resume();
      }
      const parts: Buffer[] = [];
      let got = 0;
      entry.on('data', (c: Buffer) => {
        got += c.length;
        if (got <= limits.fileBytes) parts.push(c);
      });
      entry.on('end', () => {
        if (settled) return;
        if (got > limits.fileBytes) {
          out.refused.push({ path: entry.path, reason: `larger than ${size(limits.fileBytes)}` });
          return;
        }
        accepted++;
        sink(out, entry.path, rel, Buffer.concat(parts));
      });
    });
    parser.on('end', () => {
      if (badArchive && accepted === 0)
        finish(new VetError('integrity', `the tarball is not a valid tar archive (${badArchive})`));
      else finish();
    });

    gunzip.on('data', (c: Buffer) => {
      if (settled) return;
      unpacked += c.length;
      if (unpacked > limits.totalBytes)
        return stop({ limit: 'totalBytes', message: `the archive unpacks to more than ${size(limits.totalBytes)}` });
      if (unpacked > limits.ratioFloorBytes && unpacked / Math.max(fed, 1) > limits.ratio)
        return stop({
          limit: 'ratio',
          message: `the archive unpacks to over ${limits.ratio} times its size (${size(unpacked)} from ${size(fed)} read): a decompression bomb`,
        });
      parser.write(c);
    });
    gunzip.on('end', () => {
      if (!settled) parser.end();
    });
    gunzip.on('error', (e) =>
      finish(new VetError('integrity', `the tarball is not a valid gzip archive (${e.message})`)),
    );
    input.pipe(gunzip);
  });
}

/** The bytes in 64 KB slices, counting what has been handed on (the ratio is unpacked bytes per byte read). */
function* chunks(bytes: Uint8Array, onChunk: (n: number) => void): Generator<Buffer> {
  const step = 64 * 1024;
  for (let i = 0; i < bytes.length; i += step) {
    const c = Buffer.from(bytes.buffer, bytes.byteOffset + i, Math.min(step, bytes.length - i));
    onChunk(c.length);
    yield c;
  }
}

/** The folder of an extraction's file (for callers that read the files back). */
export function pathIn(dir: string, file: string): string {
  return join(dir, ...file.split('/'));
}
