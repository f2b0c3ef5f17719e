// Sets of code points for the linear-time matcher: sorted, disjoint, inclusive ranges in one flat array
// ([lo0, hi0, lo1, hi1, …]). Case folding follows RE2, which both backends must agree with.

/** The largest Unicode code point. */
export const MAX_CODE_POINT = 0x10ffff;

/** A set of code points as sorted, disjoint, non-adjacent inclusive ranges: [lo0, hi0, lo1, hi1, …]. */
export type Ranges = number[];

/** Sorts and merges ranges that overlap or touch. */
export function normalise(r: Ranges): Ranges {
  const pairs: [number, number][] = [];
  for (let i = 0; i < r.length; i += 2) pairs.push([r[i]!, r[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

/** The complement of a normalised set within [0, MAX_CODE_POINT]. */
export function negate(r: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (let i = 0; i < r.length; i += 2) {
    if (r[i]! > next) out.push(next, r[i]! - 1);
    next = r[i + 1]! + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}

/** True when a normalised set holds `cp` (binary search over the ranges). */
export function contains(r: Ranges, cp: number): boolean {
  let lo = 0;
  let hi = (r.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < r[mid * 2]!) hi = mid - 1;
    else if (cp > r[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

// The shorthand classes, ASCII-only as in RE2 (JS's \s also holds U+FEFF, U+00A0, U+2028 and more; RE2's and
// ours do not, so a BOM or a no-break space is not white space in either engine).
/** `\d`. */
export const DIGIT: Ranges = [0x30, 0x39];
/** `\w`. */
export const WORD: Ranges = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
/** `\s`: tab, line feed, form feed, carriage return and space (RE2's Perl class; no vertical tab). */
export const SPACE: Ranges = [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20];
/** `.` without the `s` flag: everything but a line feed (see core/text.ts for the line model). */
export const NOT_NEWLINE: Ranges = [0, 0x09, 0x0b, MAX_CODE_POINT];
/** `.` with the `s` flag. */
export const ANY: Ranges = [0, MAX_CODE_POINT];

/** True for an ASCII word character (`\w`, and what `\b` looks at). */
export function isWordChar(cp: number): boolean {
  return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x30 && cp <= 0x39) || cp === 0x5f;
}

let orbits: Map<number, number[]> | undefined;

/**
 * The case-folding orbits: for every code point with other cases, the code points it matches under the `i` flag
 * (itself excluded). Built once from the runtime's case mappings, joining a character with its single-character
 * upper and lower case; the dotted and dotless i of Turkish stay alone, as in Unicode's simple case folding that
 * RE2 uses (so `i` does not match `ı`, while `k` matches the Kelvin sign and `s` the long s).
 */
function caseOrbits(): Map<number, number[]> {
  if (orbits) return orbits;
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const join = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  };
  const single = (s: string): number | undefined => {
    const cp = s.codePointAt(0)!;
    return s.length === (cp > 0xffff ? 2 : 1) ? cp : undefined;
  };
  for (let cp = 0; cp <= 0x1ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (cp === 0x130 || cp === 0x131) continue;
    const s = String.fromCodePoint(cp);
    for (const other of [single(s.toLowerCase()), single(s.toUpperCase())]) {
      if (other !== undefined && other !== cp && other !== 0x130 && other !== 0x131) join(cp, other);
    }
  }
  const members = new Map<number, number[]>();
  for (const cp of parent.keys()) {
    const r = find(cp);
    const list = members.get(r);
    if (list) list.push(cp);
    else members.set(r, [cp]);
  }
  orbits = new Map();
  for (const list of members.values()) {
    if (list.length < 2) continue;
    for (const cp of list)
      orbits.set(
        cp,
        list.filter((x) => x !== cp),
      );
  }
  return orbits;
}

/** Adds to a set every case variant of its members (the `i` flag), returning a normalised set. */
export function caseFold(r: Ranges): Ranges {
  const table = caseOrbits();
  const extra: Ranges = [];
  let size = 0;
  for (let i = 0; i < r.length; i += 2) size += r[i + 1]! - r[i]! + 1;
  if (size <= 1024) {
    // Small sets (literal characters, short ranges) look their members up; large ones walk the table instead.
    for (let i = 0; i < r.length; i += 2)
      for (let cp = r[i]!; cp <= r[i + 1]!; cp++) for (const o of table.get(cp) ?? []) extra.push(o, o);
  } else {
    for (const [cp, others] of table) if (contains(r, cp)) for (const o of others) extra.push(o, o);
  }
  return extra.length ? normalise([...r, ...extra]) : r;
}
