/**
 * "Did you mean" for mistyped identifiers (rule ids in the config, the ignore file, suppression comments and the
 * CLI). A typo is usually one or two edits away, or a fragment of the real id (`command-injection` for
 * `js-command-injection`); anything further is not offered, because a wrong suggestion is worse than none.
 */

/** Levenshtein distance with adjacent transpositions (optimal string alignment), stopping early above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The known names closest to `name`, sorted (at most `limit`): the nearest of those within a few edits (a quarter of
 * the name's length, at least 2), else those that contain the name as a whole dash-separated fragment.
 */
export function closestNames(name: string, known: Iterable<string>, limit = 3): string[] {
  const wanted = name.trim().toLowerCase();
  if (!wanted) return [];
  const max = Math.max(2, Math.floor(wanted.length / 4));
  const near: { name: string; d: number }[] = [];
  const containing: string[] = [];
  for (const k of known) {
    const d = editDistance(wanted, k.toLowerCase(), max);
    if (d <= max) near.push({ name: k, d });
    else if (wanted.length >= 4 && `-${k.toLowerCase()}-`.includes(`-${wanted}-`)) containing.push(k);
  }
  if (near.length) {
    // Only the nearest: one typo away from the intended id is usually a few edits from its siblings too.
    const best = Math.min(...near.map((n) => n.d));
    return near
      .filter((n) => n.d === best)
      .map((n) => n.name)
      .sort()
      .slice(0, limit);
  }
  return containing.sort().slice(0, limit);
}

/** A suffix for an "unknown X" message: ` (did you mean "a" or "b"?)`, or empty when nothing is close. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const names = closestNames(name, known);
  if (!names.length) return '';
  const quoted = names.map((n) => `"${n}"`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return ` (did you mean ${list}?)`;
}
