import type { JsonReport } from './model';

/** Serialises the JSON report: two-space indentation and a final newline, stable key order. */
export function renderJson(report: JsonReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
