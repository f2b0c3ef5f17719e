// Uploaded archives (.tgz, .zip) unpacked into a private temp folder under hostile-entry rules: only regular files
// and folders (no links, devices or FIFOs), no absolute path, no `..` segment, no NUL, and bounded in entry count,
// per-entry size and total size. Nothing from the archive is executed or trusted; it is only written and scanned.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import * as yauzl from 'yauzl';

/** Limits of one extraction. */
export interface ExtractLimits {
  /** Most entries (files and folders). */
  maxEntries: number;
  /** Most bytes of all files together. */
  maxBytes: number;
}

/** An archive the service refuses: `tooLarge` answers 413, anything else 400. */
export class ArchiveRefused extends Error {
  /** Creates the error. */
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/** Which format the bytes are, by their magic number (the client's file name or MIME type are not trusted). */
export function archiveKind(head: Buffer): 'tgz' | 'tar' | 'zip' | undefined {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'tgz';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (head.length > 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  return undefined;
}

/** The entry's path made safe to join under the destination, or a refusal that names the rule it broke. */
export function safeEntryPath(name: string): string {
  const p = name.replace(/\\/g, '/');
  if (p.includes('\0')) throw new ArchiveRefused('an archive entry name holds a NUL character');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) throw new ArchiveRefused('an archive entry has an absolute path');
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.some((s) => s === '..')) throw new ArchiveRefused('an archive entry climbs out of the archive (`..`)');
  if (parts.length === 0) throw new ArchiveRefused('an archive entry has an empty name');
  return parts.join('/');
}

/** Counts entries and bytes against the limits. */
class Budget {
  private entries = 0;
  private bytes = 0;
  constructor(private readonly limits: ExtractLimits) {}
  entry(): void {
    if (++this.entries > this.limits.maxEntries)
      throw new ArchiveRefused(`the archive has more than ${this.limits.maxEntries} entries`, true);
  }
  add(n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxBytes)
      throw new ArchiveRefused(`the archive unpacks to more than ${this.limits.maxBytes} bytes`, true);
  }
}

function writeEntry(dest: string, rel: string, data: Buffer): void {
  const out = join(dest, ...rel.split('/'));
  mkdirSync(dirname(out), { recursive: true });
  // `wx`: an entry may not overwrite an earlier one (a second entry of one name is how some archives smuggle a file
  // through a folder that a link replaced).
  writeFileSync(out, data, { flag: 'wx', mode: 0o600 });
}

/** Unpacks a gzipped or plain tar archive into `dest` (an empty folder). */
export function extractTar(data: Buffer, dest: string, limits: ExtractLimits): Promise<void> {
  const budget = new Budget(limits);
  return new Promise((resolvePromise, reject) => {
    let failed: Error | undefined;
    const fail = (e: unknown) => {
      failed ??= e instanceof Error ? e : new Error(String(e));
    };
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        try {
          if (failed) return entry.resume();
          budget.entry();
          const rel = safeEntryPath(entry.path);
          if (entry.type === 'Directory') {
            mkdirSync(join(dest, ...rel.split('/')), { recursive: true });
            return entry.resume();
          }
          if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
            // Links and special files are left out: following one could write or read outside the folder.
            return entry.resume();
          }
          budget.add(entry.size ?? 0);
          const chunks: Buffer[] = [];
          entry.on('data', (c: Buffer) => chunks.push(c));
          entry.on('end', () => {
            try {
              if (!failed) writeEntry(dest, rel, Buffer.concat(chunks));
            } catch (e) {
              fail(e);
            }
          });
        } catch (e) {
          fail(e);
          entry.resume();
        }
      },
    });
    parser.on('error', (e: Error) => fail(new ArchiveRefused(`the archive is not a valid tar file (${e.message})`)));
    parser.on('close', () => (failed ? reject(failed) : resolvePromise()));
    parser.end(data);
  });
}

/** Unpacks a zip archive into `dest` (an empty folder). */
export function extractZip(data: Buffer, dest: string, limits: ExtractLimits): Promise<void> {
  const budget = new Budget(limits);
  return new Promise((resolvePromise, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) return reject(new ArchiveRefused(`the archive is not a valid zip file (${err?.message})`));
      const stop = (e: unknown) => {
        zip.close();
        reject(e);
      };
      zip.on('error', (e: Error) => stop(new ArchiveRefused(`the archive is not a valid zip file (${e.message})`)));
      zip.on('end', () => resolvePromise());
      zip.on('entry', (entry: yauzl.Entry) => {
        try {
          budget.entry();
          const rel = safeEntryPath(entry.fileName);
          const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
          if (entry.fileName.endsWith('/')) {
            mkdirSync(join(dest, ...rel.split('/')), { recursive: true });
            return zip.readEntry();
          }
          // Unix links and special files (mode in the high bits) are left out, as in tar archives.
          if (mode !== 0 && mode !== 0o100000) return zip.readEntry();
          budget.add(entry.uncompressedSize);
          zip.openReadStream(entry, (e, stream) => {
            if (e || !stream) return stop(new ArchiveRefused(`cannot read ${rel} in the archive`));
            const chunks: Buffer[] = [];
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.on('error', (se: Error) =>
              stop(new ArchiveRefused(`cannot read ${rel} in the archive (${se.message})`)),
            );
            stream.on('end', () => {
              try {
                writeEntry(dest, rel, Buffer.concat(chunks));
                zip.readEntry();
              } catch (we) {
                stop(we);
              }
            });
          });
        } catch (e) {
          stop(e);
        }
      });
      zip.readEntry();
    });
  });
}
