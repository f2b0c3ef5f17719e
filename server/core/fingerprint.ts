import { createHash } from 'node:crypto';

/** Collapses white space so that re-indenting or re-wrapping a line keeps its findings' fingerprints. */
export function normaliseMatch(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * A stable fingerprint: rule id + relative path + hash of the normalised match, plus the occurrence number of the
 * same match in the same file (so two identical lines get distinct fingerprints). The line number is not part of
 * it, so edits elsewhere in the file keep every fingerprint.
 */
export function fingerprint(ruleId: string, file: string, key: string, occurrence: number): string {
  const input = `${ruleId}\0${file}\0${normaliseMatch(key)}\0${occurrence}`;
  let fp = recent.get(input);
  if (fp === undefined) {
    fp = `${ruleId}:${createHash('sha256').update(input).digest('hex').slice(0, 16)}`;
    if (recent.size >= RECENT_LIMIT) recent.clear();
    recent.set(input, fp);
  }
  return fp;
}

/**
 * Fingerprints computed lately, by their hash input. An editor document is scanned again on every pause in typing,
 * and a large server's hundreds of findings keep their fingerprints across most edits: hashing them all again cost
 * about a millisecond per edit. The bound keeps a batch scan, whose findings rarely repeat, from growing it.
 */
const recent = new Map<string, string>();
const RECENT_LIMIT = 8192;
