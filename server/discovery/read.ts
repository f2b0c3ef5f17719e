import { readRegularFile } from '../core/files';
import { decodeFile, minifiedReason, type MinifiedLimits } from './decode';
import { DEFAULT_MAX_FILE_BYTES, type DiscoveredFile } from './discover';

/** The text of a discovered file, or why it was not scanned. */
export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Reads and decodes one discovered file through the bounded reader: a file that became a pipe, a device or a
 * symlink since discovery, or grew past what discovery allowed (its size then, or the default limit when that is
 * larger), is refused with a reason. Permission errors, binary content and minified JavaScript become a reason for
 * the report's `skipped` list too; nothing here throws for a single bad file.
 */
export function readDiscovered(f: DiscoveredFile, minified?: MinifiedLimits): ReadResult {
  const read = readRegularFile(f.path, { maxBytes: Math.max(f.size, DEFAULT_MAX_FILE_BYTES), noFollow: true });
  if (!read.ok) return read;
  const d = decodeFile(read.bytes);
  if (!d.ok) return d;
  if (f.kind === 'js') {
    const why = minifiedReason(d.text, minified);
    if (why) return { ok: false, reason: why };
  }
  return { ok: true, text: d.text };
}
