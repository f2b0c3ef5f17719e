import { isKeyFileName } from '../core/fileKinds';
import { ReadScratch, readRegularFile } from '../core/files';
import { decodeFile, minifiedReason, type MinifiedLimits } from './decode';
import { DEFAULT_MAX_FILE_BYTES, type DiscoveredFile } from './discover';

/** The text of a discovered file, or why it was not scanned. */
export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * A single key or key store is a few kilobytes; a larger file under a key file's name is something else (a
 * certificate bundle, an archive), so it is not read at all.
 */
export const MAX_KEY_FILE_BYTES = 256 * 1024;

// The bytes of a file are decoded into its text and dropped at once, so every read of this thread shares one buffer.
const scratch = new ReadScratch();

/**
 * Reads and decodes one discovered file through the bounded reader: a file that became a pipe, a device or a
 * symlink since discovery, or grew past what discovery allowed (its size then, or the default limit when that is
 * larger), is refused with a reason. Permission errors, binary content and minified JavaScript become a reason for
 * the report's `skipped` list too; nothing here throws for a single bad file.
 *
 * Key files (`id_rsa`, `*.pem`, `*.p12`, …) are the exception to the binary rule: a binary one that starts as DER
 * does (an ASN.1 SEQUENCE, byte 0x30: PKCS#12 stores and DER keys) is handed to the rules as an empty text, so the
 * key-file rule can report it by name without anything parsing its bytes.
 */
export function readDiscovered(f: DiscoveredFile, minified?: MinifiedLimits): ReadResult {
  const keyFile = isKeyFileName(f.file);
  if (keyFile && f.size > MAX_KEY_FILE_BYTES)
    return { ok: false, reason: `named as a key file but larger than ${MAX_KEY_FILE_BYTES / 1024} KB: not a key` };
  const read = readRegularFile(f.path, { maxBytes: Math.max(f.size, DEFAULT_MAX_FILE_BYTES), noFollow: true, scratch });
  if (!read.ok) return read;
  const d = decodeFile(read.bytes);
  if (!d.ok) return keyFile && read.bytes[0] === 0x30 ? { ok: true, text: '' } : d;
  if (f.kind === 'js') {
    const why = minifiedReason(d.text, minified);
    if (why) return { ok: false, reason: why };
  }
  return { ok: true, text: d.text };
}
