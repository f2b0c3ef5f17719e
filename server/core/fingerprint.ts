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
  const h = createHash('sha256');
  h.update(`${ruleId}\0${file}\0${normaliseMatch(key)}\0${occurrence}`);
  return `${ruleId}:${h.digest('hex').slice(0, 16)}`;
}
