/**
 * Code excerpts for the HTML report, cut from the text that was scanned (never a re-read of the file, which may
 * have changed since, or decode differently: UTF-16, a byte order mark) and masked three ways before any writer
 * sees them: the ranges of the file's secret findings, every secret the detectors find in the whole scanned text
 * (multi-line keys, values in a client config that no rule reported), and every secret they find in the excerpt
 * itself (so what is shown is checked as shown, whatever the offsets say).
 */
import { LineIndex } from '../core/text';
import type { Excerpt, ReportFinding } from './model';
import { mergeSpans, maskSpans, type SecretDetector, type TextSpan } from './redact';

/** Lines of code shown before and after a finding. */
export const CONTEXT_LINES = 2;

/** What one file contributes: its line index and the offsets of every secret in it. */
interface FileMasks {
  lines: LineIndex;
  secrets: TextSpan[];
}

/** The spans of `spans` that fall on [from, to), shifted to be relative to `from` and clipped to it. */
function clip(spans: readonly TextSpan[], from: number, to: number): TextSpan[] {
  const out: TextSpan[] = [];
  for (const s of spans) {
    if (s.end <= from || s.start >= to) continue;
    out.push({ start: Math.max(s.start, from) - from, end: Math.min(s.end, to) - from });
  }
  return out;
}

/**
 * Masks what the detector finds in a block of lines, line by line: a secret that spans lines (a private key) is
 * masked on each line it covers, so the excerpt keeps its line count and numbering.
 */
function maskBlock(lines: readonly string[], detect: SecretDetector): string[] {
  const joined = lines.join('\n');
  const spans = mergeSpans(detect(joined));
  if (!spans.length) return [...lines];
  const out: string[] = [];
  let at = 0;
  for (const line of lines) {
    out.push(maskSpans(line, clip(spans, at, at + line.length)));
    at += line.length + 1;
  }
  return out;
}

/**
 * Returns the excerpt reader of a report: `text(file)` is the scanned text of a file (undefined when it was not
 * kept), `findings` the report's findings (secret findings' ranges are masked wherever they show), and `detect` the
 * secret detectors. Files are prepared on first use, so JSON and SARIF output never pay for it.
 */
export function excerptReader(
  text: (file: string) => string | undefined,
  findings: readonly ReportFinding[],
  detect: SecretDetector,
): (f: ReportFinding) => Excerpt | undefined {
  const files = new Map<string, FileMasks | undefined>();
  const prepare = (file: string): FileMasks | undefined => {
    if (files.has(file)) return files.get(file);
    const t = text(file);
    let masks: FileMasks | undefined;
    if (t !== undefined) {
      const lines = new LineIndex(t);
      const secrets: TextSpan[] = [...detect(t, file)];
      for (const f of findings) {
        if (f.file !== file || f.category !== 'secret') continue;
        const start = lines.offsetAt({ line: f.range.start.line - 1, character: f.range.start.column - 1 });
        const end = lines.offsetAt({ line: f.range.end.line - 1, character: f.range.end.column - 1 });
        secrets.push({ start, end });
      }
      masks = { lines, secrets: mergeSpans(secrets) };
    }
    files.set(file, masks);
    return masks;
  };
  return (f) => {
    const m = prepare(f.file);
    if (!m) return undefined;
    const first = Math.max(0, f.range.start.line - 1 - CONTEXT_LINES);
    const last = Math.min(m.lines.lineCount - 1, f.range.end.line - 1 + CONTEXT_LINES);
    const shown: string[] = [];
    for (let l = first; l <= last; l++) {
      const from = m.lines.lineStart(l);
      const to = m.lines.lineEnd(l);
      shown.push(maskSpans(m.lines.text.slice(from, to), clip(m.secrets, from, to)));
    }
    return { firstLine: first + 1, lines: maskBlock(shown, detect) };
  };
}
