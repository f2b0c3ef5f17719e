import type { Finding } from '../../shared/types';

/** Orders strings by UTF-16 code units, the way every sorted list in reports and project files is ordered. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders findings by file, then position, then rule id: the order every report uses. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.file, b.file) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    compareStrings(a.ruleId, b.ruleId)
  );
}
