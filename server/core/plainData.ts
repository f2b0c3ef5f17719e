/**
 * Equality of plain data (what crosses worker threads: objects, arrays, strings, numbers, booleans, null), as
 * `JSON.stringify` would judge it but without building the two strings: keys whose value is undefined are absent, and
 * the walk stops at the first difference. Workspace facts of a large server file are compared on every edit (has the
 * file's entry changed?), where building two strings of its whole summary cost more than the rest of the check.
 */
export function samePlainData(a: unknown, b: unknown): boolean {
  return sameData(a, b, undefined);
}

/**
 * True when `b` equals `a` with every numeric `line` property of `a` mapped by `line` first, as `samePlainData` judges
 * it, without building the mapped copy: an editor result checks on every edit that a large file's facts are the
 * previous ones moved by the edit (workers/resultDeltas.ts).
 */
export function samePlainDataMappingLines(a: unknown, b: unknown, line: (n: number) => number): boolean {
  return sameData(a, b, line);
}

function sameData(a: unknown, b: unknown, line: ((n: number) => number) | undefined): boolean {
  // The same object is the same data, unless its lines are to be mapped.
  if (a === b && !line) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i], line)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const k in x) {
    const v = x[k];
    if (v === undefined) continue;
    defined++;
    const same = line && k === 'line' && typeof v === 'number' ? y[k] === line(v) : sameData(v, y[k], line);
    if (!same) return false;
  }
  for (const k in y) if (y[k] !== undefined) defined--;
  return defined === 0;
}
