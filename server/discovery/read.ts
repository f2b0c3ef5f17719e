import { readFileSync } from 'node:fs';
import { decodeFile, minifiedReason, type MinifiedLimits } from './decode';
import type { DiscoveredFile } from './discover';

/** The text of a discovered file, or why it was not scanned. */
export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Reads and decodes one discovered file. Permission errors, binary content and minified JavaScript become a
 * reason for the report's `skipped` list; nothing here throws for a single bad file.
 */
export function readDiscovered(f: DiscoveredFile, minified?: MinifiedLimits): ReadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(f.path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason:
        code === 'EACCES' || code === 'EPERM' ? 'unreadable (permission denied)' : `unreadable (${code ?? String(e)})`,
    };
  }
  const d = decodeFile(bytes);
  if (!d.ok) return d;
  if (f.kind === 'js') {
    const why = minifiedReason(d.text, minified);
    if (why) return { ok: false, reason: why };
  }
  return { ok: true, text: d.text };
}
