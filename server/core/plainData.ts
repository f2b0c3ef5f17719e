/**
 * Equality of plain data (what crosses worker threads: objects, arrays, strings, numbers, booleans, null), as
 * `JSON.stringify` would judge it but without building the two strings: keys whose value is undefined are absent, and
 * the walk stops at the first difference. Workspace facts of a large server file are compared on every edit (has the
 * file's entry changed?), where building two strings of its whole summary cost more than the rest of the check.
 */
export function samePlainData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!samePlainData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    defined++;
    if (!samePlainData(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) defined--;
  return defined === 0;
}
