/** A harmless helper used by clean.ts. */
export function helper(s: string): string {
  return s.trim();
}
