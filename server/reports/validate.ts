/**
 * Validation of a JSON report read from disk (the inputs of `merge`). A shard report is data from another machine,
 * possibly from a pull request: an unescaped severity in it once ran script in the merged HTML, and a finding path
 * `../../etc/passwd` once pulled that file into the code excerpts. So a report is checked against the report
 * schema (known severities and categories, integer positions, no unknown fields) and its paths are confined to
 * the root before any writer sees it.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonReport } from './model';
import { REPORT_SCHEMA } from './schema';

let validator: ValidateFunction | undefined;

/** The compiled schema, built on first use (only `merge` needs it). */
function schemaValidator(): ValidateFunction {
  validator ??= new Ajv({ allErrors: false, strict: true }).compile(REPORT_SCHEMA);
  return validator;
}

/** One schema error as a sentence: where in the report, and what is wrong there. */
function describe(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.replace(/^\//, '').replace(/\//g, '.') : 'the report';
  const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues;
  const extra = (e.params as { additionalProperty?: string }).additionalProperty;
  if (allowed) return `${where} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  if (extra !== undefined) return `${where} has an unknown property ${JSON.stringify(extra)}`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

/**
 * Why a report path is not a path inside the root, or undefined when it is one: absolute paths (POSIX, Windows
 * drive or UNC), a `..` segment (either slash), and NUL are refused; `.` and a trailing slash (a skipped folder)
 * are fine.
 */
export function pathOutsideRoot(file: string): string | undefined {
  if (file.includes('\0')) return 'contains a NUL character';
  if (/^[\\/]/.test(file) || /^[A-Za-z]:/.test(file)) return 'is absolute';
  if (file.split(/[\\/]/).includes('..')) return 'leaves the root (a ".." segment)';
  return undefined;
}

/** Every path a report carries, with where it sits (for the error message). */
function pathsOf(r: JsonReport): [string, string][] {
  const out: [string, string][] = [];
  r.findings.forEach((f, i) => {
    out.push([`findings.${i}.file`, f.file]);
    f.related?.forEach((x, j) => out.push([`findings.${i}.related.${j}.file`, x.file]));
  });
  r.skipped.forEach((s, i) => out.push([`skipped.${i}.file`, s.file]));
  r.ruleErrors?.forEach((e, i) => out.push([`ruleErrors.${i}.file`, e.file]));
  return out;
}

/**
 * Checks that a parsed JSON value is a JSON report of this tool with every path inside its root, and returns it
 * typed. Throws an Error whose message names `name` (the file) and the first problem found.
 */
export function validateReport(value: unknown, name: string): JsonReport {
  const looks = value !== null && typeof value === 'object' && !Array.isArray(value);
  const o = looks ? (value as Record<string, unknown>) : {};
  if (!looks || !('tool' in o) || !Array.isArray(o.findings) || !('stats' in o))
    throw new Error(`${name} is not an MCP Sentinel JSON report (expected tool, root, findings, skipped, stats)`);
  const validate = schemaValidator();
  if (!validate(value)) throw new Error(`${name} is not a valid JSON report: ${describe(validate.errors![0]!)}`);
  const report = value as JsonReport;
  for (const [where, file] of pathsOf(report)) {
    const why = pathOutsideRoot(file);
    if (why) throw new Error(`${name} is not a valid JSON report: ${where} ${JSON.stringify(file)} ${why}`);
  }
  return report;
}
