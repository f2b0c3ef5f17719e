/**
 * Masks a secret for display: a short prefix (enough to recognise the provider) and the length, never the rest.
 * Short values show fewer characters so that a masked 8-character password does not leak half of itself.
 */
export function maskSecret(secret: string): string {
  const visible = secret.length >= 20 ? 4 : secret.length >= 12 ? 3 : secret.length >= 8 ? 2 : 0;
  return `${secret.slice(0, visible)}…(${secret.length} chars)`;
}

/** A half-open span of UTF-16 offsets into a string. */
export interface TextSpan {
  /** Inclusive start offset. */
  start: number;
  /** Exclusive end offset. */
  end: number;
}

/**
 * Finds every secret-shaped value in a string and returns the spans to mask (in any order, possibly overlapping).
 * `path`, when given, is the file the text comes from, so a detector may also run the format-aware rules of that
 * kind of file (an MCP client config's `env` values, for example); without it the text is read as plain text.
 */
export type SecretDetector = (text: string, path?: string) => readonly TextSpan[];

/** Sorts spans, drops empty ones and joins overlapping or touching ones, so each secret is masked once. */
export function mergeSpans(spans: readonly TextSpan[]): TextSpan[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: TextSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** Replaces each span of `text` by its mask (`maskSecret`: a short prefix and the length). */
export function maskSpans(text: string, spans: readonly TextSpan[]): string {
  const merged = mergeSpans(spans.map((s) => ({ start: Math.max(0, s.start), end: Math.min(text.length, s.end) })));
  let out = '';
  let at = 0;
  for (const s of merged) {
    out += text.slice(at, s.start) + maskSecret(text.slice(s.start, s.end));
    at = s.end;
  }
  return out + text.slice(at);
}

/** Masks every secret-shaped value the detector finds in `text`. */
export function maskSecretsIn(text: string, detect: SecretDetector): string {
  if (text.length === 0) return text;
  const spans = detect(text);
  return spans.length ? maskSpans(text, spans) : text;
}

/**
 * A detector that remembers its answers: report messages repeat (one rule, many findings) and the same names come
 * back in every format, so each distinct string is scanned once.
 */
export function cachedDetector(detect: SecretDetector, capacity = 10_000): SecretDetector {
  const seen = new Map<string, readonly TextSpan[]>();
  return (text, path) => {
    if (path !== undefined) return detect(text, path);
    let spans = seen.get(text);
    if (!spans) {
      spans = detect(text);
      // A bounded cache: a hostile report with millions of distinct messages must not grow memory without end.
      if (seen.size >= capacity) seen.clear();
      seen.set(text, spans);
    }
    return spans;
  };
}
