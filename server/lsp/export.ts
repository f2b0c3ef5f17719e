/**
 * The editor's report export (`mcpSentinel/exportReport`): what the server holds for one folder, assembled by the
 * same `buildReport` the CLI uses (same tool name, order and statistics) and rendered by the same writers.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ExportReportParams, ExportReportResult } from '../../shared/protocol';
import type { Finding, SkippedFile } from '../../shared/types';
import type { Rule } from '../core/rule';
import { effectiveSeverity } from '../engine/engine';
import { buildReport } from '../reports/build';
import { renderHtml, renderJson, renderSarif, type ReportRuleError, type SecretDetector } from '../reports';
import { enabledRuleMeta, ruleCatalogue } from '../rules/catalogue';
import { customRuleToRule } from '../rules/custom';
import { secretDetector } from '../rules/secretDetector';
import type { Documents } from './documents';
import type { Scanner } from './scanner';
import type { Workspaces } from './workspace';

/** The secret detectors, built on the first export: this thread needs them for nothing else. */
let secrets: SecretDetector | undefined;

/** Renders the export of a folder (default: the first workspace folder). */
export async function exportReport(
  params: ExportReportParams,
  workspaces: Workspaces,
  documents: Documents,
  scanner: Scanner,
  extraRules: readonly Rule[],
): Promise<ExportReportResult> {
  const workspace =
    (params.folder ? workspaces.folder(params.folder) : workspaces.all()[0]) ??
    workspaces.folder(pathToFileURL(process.cwd()).href)!;
  const [inputs, settings] = await Promise.all([workspace.projectInputs(), workspace.settings()]);
  const findings: Finding[] = [];
  const skipped: SkippedFile[] = [];
  const texts = new Map<string, string>();
  const ruleErrors: ReportRuleError[] = [];
  let scanned = 0;
  let hiddenInTests = 0;
  for (const [uri, r] of documents.results) {
    if (!uri.startsWith('file:')) continue;
    const path = fileURLToPath(uri);
    if (!workspace.holds(path)) continue;
    const file = workspace.relative(path);
    if (r.skipped) {
      skipped.push({ file, reason: r.skipped });
      continue;
    }
    scanned++;
    for (const f of r.findings) findings.push({ ...f, file });
    for (const e of r.errors ?? []) ruleErrors.push({ file, ruleId: e.ruleId, message: e.message });
    if (r.text !== undefined) texts.set(file, r.text);
    hiddenInTests += r.hiddenInTests ?? 0;
  }
  // The rules that ran, as the workers run them: the catalogue with the config's overrides, then the settings'.
  const overrides = {
    rules: { ...inputs.config.rules, ...settings.rules },
    categories: { ...inputs.config.categories },
  };
  const custom = (inputs.config.customRules ?? []).map(customRuleToRule);
  const rules = enabledRuleMeta(ruleCatalogue(custom, extraRules), (r) => effectiveSeverity(r, overrides));
  const input = buildReport({
    root: workspace.root,
    findings,
    skipped,
    rules,
    regexBackend: scanner.status?.backend ?? 'js',
    filesScanned: scanned,
    durationMs: 0,
    ruleErrors,
    hiddenInTests,
    source: (file) => texts.get(file),
    secrets: (secrets ??= secretDetector()),
  });
  const content =
    params.format === 'json'
      ? renderJson(input.report)
      : params.format === 'sarif'
        ? renderSarif(input)
        : renderHtml(input);
  return { content, findings: input.report.findings.length };
}
