/**
 * Control characters in human-readable output. File names, tool names, parameter names and messages come from the
 * scanned repository, and a terminal obeys what they contain: `ESC [2J` clears the screen, `ESC ]0;…BEL` sets the
 * window title, a newline in a file name forges a line of the report, and bidirectional overrides make text read
 * differently from what it is. Every piece of text that a person reads as plain text (the text report, `--verbose`
 * and error lines, the editor's diagnostic messages) goes through `escapeControl`.
 */

/**
 * C0 controls (including tab, newline and carriage return), DEL, C1 controls (including NEL), the Arabic letter
 * mark, the left-to-right and right-to-left marks, the bidi embeddings, overrides and isolates, and the Unicode
 * line and paragraph separators.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Writes every control character as a visible escape (`\n`, `\r`, `\t`, `\x1b`, `\u202e`), so the text stays on
 * one line and reaches the reader as written. Text without control characters is returned unchanged.
 */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
