/**
 * Turns the bytes of a file into text, or says why the file is not text. Pure functions over a Buffer, so the
 * language server's workspace scan can use them too.
 */

/** The outcome of decoding: the text, or the reason it is not scanned. */
export type Decoded =
  { ok: true; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' } | { ok: false; reason: string };

/** How many leading bytes are inspected for a NUL byte (the same heuristic git uses). */
const BINARY_SNIFF_BYTES = 8192;

/**
 * Decodes a file: UTF-8 (a leading BOM is stripped) and UTF-16 LE/BE when they start with a BOM. A NUL byte in
 * the first 8 KB of a file without a UTF-16 BOM means binary; bytes that are not valid UTF-8 mean the file is in
 * an encoding we cannot position findings in reliably, so it is skipped rather than scanned as mojibake.
 */
export function decodeFile(bytes: Buffer): Decoded {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  const sniff = bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) return { ok: false, reason: 'binary file (NUL byte)' };
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  try {
    // `fatal` makes invalid sequences throw instead of turning into U+FFFD.
    return {
      ok: true,
      text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start)),
      encoding: 'utf-8',
    };
  } catch {
    return { ok: false, reason: 'binary file or not UTF-8/UTF-16 text' };
  }
}

/** Thresholds for calling a JavaScript file minified. */
export interface MinifiedLimits {
  /** A line at least this long is a hint of minification. */
  maxLineLength: number;
  /** ... and the average line length must be at least this. */
  minAverageLineLength: number;
  /** ... and the file must be at least this many characters: smaller minified files are scanned. */
  minBundleLength: number;
}

/** The defaults: a file of 256 KB or more with a line over 5,000 characters and lines averaging over 300. */
export const DEFAULT_MINIFIED_LIMITS: MinifiedLimits = {
  maxLineLength: 5000,
  minAverageLineLength: 300,
  minBundleLength: 256 * 1024,
};

/**
 * Returns a reason when JavaScript text is a minified bundle, else undefined. Large minified bundles inline their
 * dependencies without the markers that tell a dependency's code from the server's own (schema compilers' `new
 * Function`, template engines), so code rules there report other people's code; they are skipped with a reason
 * visible in every report, never dropped silently. Small minified files are scanned: published MCP servers ship
 * their own code as minified chunks (figma-developer-mcp's CVE-2025-53967 `exec` sits in a 27 KB chunk), and a
 * security scanner that skipped them would miss exactly what it exists to find.
 */
export function minifiedReason(text: string, limits: MinifiedLimits = DEFAULT_MINIFIED_LIMITS): string | undefined {
  if (text.length < limits.minBundleLength) return undefined;
  let lines = 1;
  let longest = 0;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      longest = Math.max(longest, i - lineStart);
      lineStart = i + 1;
      lines++;
    }
  }
  longest = Math.max(longest, text.length - lineStart);
  if (longest >= limits.maxLineLength && text.length / lines >= limits.minAverageLineLength) {
    return `minified bundle (${Math.round(text.length / 1024)} KB, longest line ${longest} chars)`;
  }
  return undefined;
}
