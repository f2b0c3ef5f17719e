import { SEVERITIES, type Severity } from '../../shared/types';
import { escapeControl as esc } from './escape';
import { flowOf } from './flow';
import { docPointer } from './help';
import type { JsonReport, ReportFinding } from './model';

/** Options of the text report. */
export interface TextOptions {
  /** Use ANSI colours (only when stdout is a terminal, NO_COLOR is unset and --no-color was not given). */
  color: boolean;
  /** Also list suppressed findings (marked as such). */
  showSuppressed?: boolean;
  /** List the steps of each cross-file flow under its finding (`--verbose`). */
  verbose?: boolean;
}

const SGR: Record<Severity | 'dim' | 'bold', string> = {
  critical: '\x1b[1;31m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
};

function paint(on: boolean, style: keyof typeof SGR, s: string): string {
  return on ? `${SGR[style]}${s}\x1b[0m` : s;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The summary line, e.g. "12 findings (3 critical, 5 high, 4 medium) in 4 files; 2 files skipped; regex backend re2".
 */
export function summaryLine(report: JsonReport): string {
  const live = report.findings.filter((f) => !f.suppressed);
  const counts = SEVERITIES.filter((s) => report.stats.bySeverity[s] > 0).map(
    (s) => `${report.stats.bySeverity[s]} ${s}`,
  );
  const files = new Set(live.map((f) => f.file)).size;
  let s =
    live.length === 0
      ? 'No findings'
      : `${plural(live.length, 'finding')} (${counts.join(', ')}) in ${plural(files, 'file')}`;
  if (report.stats.suppressed) s += ` (${report.stats.suppressed} suppressed)`;
  const hidden = report.stats.hiddenInTests ?? 0;
  if (hidden) s += `; ${plural(hidden, 'finding')} in test and build code not shown (--include-tests shows them)`;
  s += `; ${plural(report.stats.filesScanned, 'file')} scanned`;
  if (report.stats.filesSkipped) s += `; ${plural(report.stats.filesSkipped, 'file')} skipped`;
  if (report.stats.ruleErrors) s += `; ${plural(report.stats.ruleErrors, 'rule error')} (results are incomplete)`;
  s += `; regex backend ${report.stats.regexBackend}`;
  return s;
}

/**
 * Renders the report for a person: findings grouped by file, then rule errors, then skipped files, then the
 * summary line. Every piece of text that comes from the scanned files (paths, messages, reasons) is passed through
 * `escapeControl`, so a file name cannot clear the terminal or forge a line, whether the report goes to a terminal
 * or to a file that someone will `cat` later.
 */
export function renderText(report: JsonReport, options: TextOptions): string {
  const c = options.color;
  const out: string[] = [];
  const byFile = new Map<string, ReportFinding[]>();
  for (const f of report.findings) {
    if (f.suppressed && !options.showSuppressed) continue;
    let list = byFile.get(f.file);
    if (!list) byFile.set(f.file, (list = []));
    list.push(f);
  }
  for (const [file, list] of byFile) {
    out.push(paint(c, 'bold', esc(file)));
    // A fold rather than Math.max(...spread): one file can hold more findings than a call takes arguments.
    const width = list.reduce((w, f) => Math.max(w, `${f.range.start.line}:${f.range.start.column}`.length), 0);
    for (const f of list) {
      const pos = `${f.range.start.line}:${f.range.start.column}`.padEnd(width);
      const sev = paint(c, f.severity, f.severity.padEnd(8));
      const sup = f.suppressed
        ? paint(
            c,
            'dim',
            ` [suppressed: ${esc(f.suppressed.kind)}${f.suppressed.reason ? ` — ${esc(f.suppressed.reason)}` : ''}]`,
          )
        : '';
      out.push(`  ${pos}  ${sev} ${esc(f.message)}  ${paint(c, 'dim', esc(f.ruleId))}${sup}`);
      // The flow's last step is the finding itself, already printed above: list the steps that lead to it.
      const flow = options.verbose ? flowOf(f) : undefined;
      for (const s of flow?.slice(0, -1) ?? [])
        out.push(
          `      ${paint(c, 'dim', 'via')} ${esc(s.file)}:${s.range.start.line}:${s.range.start.column}  ${paint(c, 'dim', esc(s.message))}`,
        );
      // Then what to do about it. The fix of a live finding (a suppressed one was already judged): from the rule, or the JSON a merge read; escaped.
      if (f.fix && !f.suppressed)
        out.push(`  ${' '.repeat(width)}  ${paint(c, 'dim', `fix: ${esc(f.fix)} (${esc(docPointer(f))})`)}`);
    }
    out.push('');
  }
  if (report.ruleErrors?.length) {
    out.push(paint(c, 'bold', 'Rule errors (each rule failed on the file, so its findings there are missing)'));
    for (const e of report.ruleErrors)
      out.push(`  ${esc(e.file)}  ${esc(e.ruleId)}: ${paint(c, 'dim', esc(e.message))}`);
    out.push('');
  }
  if (report.skipped.length) {
    out.push(paint(c, 'bold', 'Skipped'));
    for (const s of report.skipped) out.push(`  ${esc(s.file)}  ${paint(c, 'dim', esc(s.reason))}`);
    out.push('');
  }
  out.push(esc(summaryLine(report)));
  return out.join('\n') + '\n';
}
