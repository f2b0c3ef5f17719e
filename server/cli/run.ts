import { existsSync } from 'node:fs';
import { PROJECT_FILE_MAX_BYTES, readTextFile } from '../core/files';
import { dirname, join, resolve } from 'node:path';
import { OutputError, reportOutputs, writeOutput } from './outputs';
import { atLeast, type FailOn } from '../../shared/types';
import { isInventoryFinding } from '../../shared/capabilities';
import { baselineCandidates, writeBaseline } from '../project/baseline';
import type { OpenProjectOptions } from '../engine/project';
import { buildPins } from '../engine/pins';
import { serializePins } from '../project/pins';
import { ruleMetaOf } from '../core/rule';
import { ruleCatalogue } from '../rules/catalogue';
import {
  escapeControl,
  renderHtml,
  renderJson,
  renderSarif,
  renderText,
  mergeReports,
  ReportStream,
  type JsonReport,
  type ReportInput,
  type ReportSource,
  type TextOptions,
} from '../reports';
import { secretDetector } from '../rules/secretDetector';
import { BASELINE_FILE, PIN_FILE } from '../../shared/projectFiles';
import { FORMAT_EXT, HELP, parseCommandLine, UsageError, type CommonOptions, type Format } from './args';
import { explainRule } from './explain';
import { memoryLine } from './memory';
import { runScan, scanFiles, ScanError, type ScanOutcome, type ScanRequest, type ScanRun } from './scan';

export { OutputError } from './outputs';
import { toolVersion } from '../core/version';
import { defaultCacheDir } from '../cache/store';
import { readProjectTexts, renderToolsJson, renderToolsText, toolsReport } from './tools';
import { workerScript } from '../workers/pool';
import { pinServersCommand, scanPackageCommand, scanServersCommand, type VetCliIo } from './vetCommand';

/** Where the CLI writes and what it knows about its terminal; tests pass their own. */
export interface CliIo {
  /** Writes to stdout (reports only). */
  stdout(s: string): void;
  /** Writes to stderr (errors, --verbose, progress). */
  stderr(s: string): void;
  /** stdout is a terminal (enables colour). */
  stdoutIsTTY: boolean;
  /** stderr is a terminal (enables progress). */
  stderrIsTTY: boolean;
  /** Environment (NO_COLOR). */
  env: Record<string, string | undefined>;
  /** Working directory for relative paths. */
  cwd: string;
}

/** Hooks for in-process tests: extra rules and overrides for the project. */
export interface CliHooks {
  /** Merged into the options of openProject. */
  projectOptions?: OpenProjectOptions;
  /**
   * Called by `scan` after each file's findings have been handed to the report writers (a JSON file then holds
   * them already), in path order: the streaming test watches the output grow with it.
   */
  onFileWritten?: (file: string) => void;
}

/** The real process's I/O. */
export function processIo(): CliIo {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stdoutIsTTY: !!process.stdout.isTTY,
    stderrIsTTY: !!process.stderr.isTTY,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Renders a report in one format: the bytes the CLI writes, and the scan service answers. */
export function renderFormat(format: Format, input: ReportInput, text: TextOptions): string {
  switch (format) {
    case 'text':
      return renderText(input.report, text);
    case 'json':
      return renderJson(input.report);
    case 'sarif':
      return renderSarif(input);
    case 'html':
      return renderHtml(input);
  }
}

/**
 * Writes the report(s) where the options say: stdout, one file, or one file per format in a folder. `sarifInput`,
 * when given, is what SARIF is written from (a vetted package's report with paths relative to its root, since SARIF
 * joins every path to the root itself).
 */
function emit(opts: CommonOptions, given: ReportInput, io: CliIo, sarifInput?: ReportInput): void {
  const inputFor = (f: Format) => (f === 'sarif' && sarifInput ? sarifInput : given);
  const toTerminal = !opts.output && !opts.outputDir;
  const color = toTerminal && io.stdoutIsTTY && !io.env.NO_COLOR && !opts.noColor;
  const text = (color: boolean): TextOptions => ({ color, showSuppressed: opts.showSuppressed, verbose: opts.verbose });
  if (opts.outputDir) {
    const dir = resolve(io.cwd, opts.outputDir);
    for (const f of opts.formats)
      writeOutput(io, join(dir, `mcp-sentinel.${FORMAT_EXT[f]}`), renderFormat(f, inputFor(f), text(false)));
  } else if (opts.output) {
    writeOutput(io, opts.output, renderFormat(opts.formats[0]!, inputFor(opts.formats[0]!), text(false)));
  } else {
    io.stdout(renderFormat(opts.formats[0]!, inputFor(opts.formats[0]!), text(color)));
  }
}

/** Prints discovery's warnings (include/exclude patterns that never match, an ignore file above the root). */
function warn(warnings: readonly string[], io: CliIo): void {
  for (const w of warnings) io.stderr(`warning: ${escapeControl(w)}\n`);
}

/**
 * Exit code 2 when a rule failed (the results are incomplete, so a pass would be a lie) unless
 * `--allow-rule-errors`, else 1 when an unsuppressed finding is at or above the threshold, else 0.
 */
function exitCodeFor(
  report: JsonReport,
  fails: (failOn: FailOn) => boolean,
  failOn: FailOn,
  opts: CommonOptions,
  io: CliIo,
): number {
  const failed = Math.max(report.stats.ruleErrors ?? 0, report.ruleErrors?.length ?? 0);
  if (failed && !opts.allowRuleErrors) {
    io.stderr(
      `mcp-sentinel: ${failed} rule error(s): the results are incomplete (listed in the report; --allow-rule-errors accepts them)\n`,
    );
    return 2;
  }
  return fails(failOn) ? 1 : 0;
}

/**
 * Whether a report's findings fail a build at a threshold: an unsuppressed finding at or above it. Inventory
 * findings (what a tool can do, at info) describe the server, not a defect: they never fail a build.
 */
function findingsFail(report: JsonReport): (failOn: FailOn) => boolean {
  return (failOn) =>
    report.findings.some((f) => !f.suppressed && !isInventoryFinding(f) && atLeast(f.severity, failOn));
}

/** The fail-on threshold: the flag, else the project config's `failOn`, else high. */
function failOnFor(opts: CommonOptions, outcome?: Pick<ScanOutcome, 'project'>): FailOn {
  return opts.failOn ?? outcome?.project.failOn ?? 'high';
}

/**
 * The `--verbose` lines. Paths, reasons and messages come from the scanned files, so each is escaped
 * (`escapeControl`) and taken from the report, where secrets are already masked.
 */
function verboseLines(outcome: VerboseFacts, io: CliIo): void {
  const s = outcome.report.stats;
  const esc = escapeControl;
  const why = outcome.backendLoadError ? ` (re2 did not load: ${esc(outcome.backendLoadError)})` : '';
  io.stderr(`regex backend: ${s.regexBackend}${why}\n`);
  io.stderr(`root: ${esc(outcome.report.root)}\n`);
  io.stderr(`rules: ${s.rules}; files scanned: ${s.filesScanned}; files skipped: ${s.filesSkipped}\n`);
  io.stderr(`workers: ${outcome.workers > 0 ? outcome.workers : 'in-process'}\n`);
  for (const k of outcome.report.skipped) io.stderr(`  skipped ${esc(k.file)}: ${esc(k.reason)}\n`);
  for (const e of outcome.report.ruleErrors ?? [])
    io.stderr(`  rule error ${esc(e.ruleId)} on ${esc(e.file)}: ${esc(e.message)}\n`);
  // Why each secret-looking candidate was not reported, so a reader can tell a missed key from a judged fixture.
  for (const d of outcome.dismissed)
    io.stderr(`  dismissed ${esc(d.file)}:${d.line} ${esc(d.ruleId)} ${esc(d.masked)}: ${esc(d.reason)}\n`);
  io.stderr(`cheap files (no rule keyword: no parse, no worker): ${outcome.cheapFiles}\n`);
  const c = outcome.cache;
  io.stderr(
    c
      ? `cache: ${esc(c.dir)}: ${c.hits} hit(s), ${c.misses} miss(es)${c.corrupt ? ` (${c.corrupt} unusable entries replaced)` : ''}, ${c.writes} written${c.writeErrors ? `, ${c.writeErrors} write(s) failed` : ''}\n`
      : 'cache: off\n',
  );
  const hidden = s.hiddenInTests ?? 0;
  if (hidden) io.stderr(`hidden in test and build code: ${hidden} (--include-tests shows them)\n`);
  const t = outcome.timings;
  const rate = t.scan > 0 ? ` (${Math.round((s.filesScanned * 1000) / t.scan)} files/s)` : '';
  io.stderr(
    `timings: open ${t.open.toFixed(0)} ms, discover ${t.discover.toFixed(0)} ms, workspace facts ${t.facts.toFixed(0)} ms, scan ${t.scan.toFixed(0)} ms${rate}\n`,
  );
  if (outcome.memory) io.stderr(memoryLine(outcome.memory));
}

/** What the `--verbose` lines tell: a scan's run and its report (whose findings may have been streamed away). */
type VerboseFacts = Pick<ScanRun, 'backendLoadError' | 'workers' | 'dismissed' | 'cheapFiles' | 'cache' | 'timings'> & {
  memory?: ScanRun['memory'];
  report: JsonReport;
};

/** The scan request of `scan` and `baseline` from the command line. */
function scanRequest(opts: CommonOptions, io: CliIo, hooks: CliHooks): ScanRequest {
  const progress = io.stderrIsTTY && !opts.verbose;
  return {
    paths: opts.paths,
    cwd: io.cwd,
    config: opts.config,
    baseline: opts.baseline,
    shard: opts.shard,
    workers: opts.workers,
    cacheDir: opts.noCache ? undefined : opts.cacheDir ? resolve(io.cwd, opts.cacheDir) : defaultCacheDir(io.env),
    projectOptions: opts.includeTests ? { ...hooks.projectOptions, includeTests: true } : hooks.projectOptions,
    onProgress: progress
      ? (done, total) => {
          if (done === total || done % 25 === 0) io.stderr(`\rscanning ${done}/${total} files`);
        }
      : undefined,
  };
}

/** What a scan prints on stderr once it is done: discovery's warnings, then `--verbose` or a rule error count. */
function afterScan(opts: CommonOptions, io: CliIo, outcome: VerboseFacts & Pick<ScanRun, 'warnings' | 'errors'>): void {
  if (io.stderrIsTTY && !opts.verbose) io.stderr('\r\x1b[K');
  warn(outcome.warnings, io);
  if (opts.verbose) verboseLines(outcome, io);
  else if (outcome.errors.length)
    io.stderr(
      `warning: ${outcome.errors.length} rule error(s) while scanning (listed in the report and with --verbose)\n`,
    );
}

/** A scan whose whole report is kept in memory (`baseline` needs every finding). */
async function scanCommand(opts: CommonOptions, io: CliIo, hooks: CliHooks): Promise<ScanOutcome> {
  const outcome = await runScan(scanRequest(opts, io, hooks));
  afterScan(opts, io, outcome);
  return outcome;
}

/** The scan service's bundle: beside this one in dist/, else the repository's dist/ (tests bundle this file elsewhere). */
function serveBundle(): typeof import('../service/main') {
  const beside = join(__dirname, 'serve.js');
  const script = existsSync(beside) ? beside : join(dirname(workerScript()), 'serve.js');
  return require(script) as typeof import('../service/main');
}

/**
 * `scan`: the report streamed to its outputs file by file in path order (reports/stream.ts), so memory does not grow
 * with the tree; the exit code comes from the counts the stream kept. A scan that fails deletes what it wrote.
 */
async function streamedScan(opts: CommonOptions, io: CliIo, hooks: CliHooks): Promise<number> {
  const outputs = reportOutputs(opts, io);
  let stream: ReportStream | undefined;
  try {
    const run = await scanFiles(scanRequest(opts, io, hooks), {
      begin(start) {
        stream = new ReportStream(start, outputs.writers(start.root));
      },
      file(file, r) {
        if (r.ok) stream!.file(r.findings, stream!.wantsText ? r.text : undefined);
        hooks.onFileWritten?.(file);
      },
    });
    const report = stream!.end({
      skipped: run.skipped,
      regexBackend: run.project.engine.backend.name,
      filesScanned: run.filesScanned,
      durationMs: run.durationMs,
      ruleErrors: run.errors,
      hiddenInTests: run.hiddenInTests,
    });
    outputs.close();
    afterScan(opts, io, { ...run, report });
    return exitCodeFor(report, (failOn) => stream!.fails(failOn), failOnFor(opts, run), opts, io);
  } catch (e) {
    outputs.abort();
    throw e;
  }
}

/** Reads one report for `merge`: parsed, not yet trusted (`mergeReports` validates it). */
function readReport(file: string, cwd: string): ReportSource {
  const path = resolve(cwd, file);
  // A shard report may come from anywhere: a regular file only, and never more than the bounded size.
  const read = readTextFile(path, { maxBytes: PROJECT_FILE_MAX_BYTES });
  if (!read.ok) throw new ScanError(`cannot read ${path}: ${read.reason}`);
  const text = read.text;
  try {
    return { name: path, value: JSON.parse(text) as unknown };
  } catch {
    throw new ScanError(`${path} is not JSON (merge takes reports written with --format json)`);
  }
}

function rulesTable(): string {
  const rows = ruleCatalogue().map((r) => [r.id, r.severity, r.category, r.title]);
  const widths = [0, 1, 2].map((i) =>
    Math.max(...rows.map((r) => r[i]!.length), ['id', 'severity', 'category'][i]!.length),
  );
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ');
  return [line(['id', 'severity', 'category', 'title']), ...rows.map(line)].join('\n') + `\n${rows.length} rules\n`;
}

/**
 * Runs the CLI and returns the exit code: 0 nothing at or above the fail-on level, 1 findings at or above it,
 * 2 error (a one-line message on stderr). Never calls process.exit, so tests can run it in-process.
 */
export async function runCli(argv: readonly string[], io: CliIo, hooks: CliHooks = {}): Promise<number> {
  // The scan service is a bundle of its own (dist/serve.js), loaded only for this verb; it parses its own options.
  if (argv[0] === 'serve') return serveBundle().runServe(argv.slice(1), io);
  try {
    const cmd = parseCommandLine(argv);
    switch (cmd.verb) {
      case 'help':
        io.stdout(HELP);
        return 0;
      case 'version':
        io.stdout(`${toolVersion()}\n`);
        return 0;
      case 'explain':
        io.stdout(explainRule(cmd.ruleId));
        return 0;
      case 'rules': {
        const catalogue = ruleCatalogue();
        if (catalogue.length === 0) throw new ScanError('no rules loaded');
        if (cmd.options.formats[0] === 'json')
          io.stdout(
            JSON.stringify(
              catalogue.map((r) => ruleMetaOf(r)),
              null,
              2,
            ) + '\n',
          );
        else io.stdout(rulesTable());
        return 0;
      }
      case 'scan':
        if (cmd.options.servers) return await scanServersCommand(cmd.options, vetIo(cmd.options, io));
        if (cmd.options.paths[0]?.startsWith('npm:'))
          return await scanPackageCommand(cmd.options, vetIo(cmd.options, io));
        return await streamedScan(cmd.options, io, hooks);
      case 'merge': {
        let report: JsonReport;
        try {
          report = mergeReports(
            cmd.options.paths.map((p) => readReport(p, io.cwd)),
            secretDetector(),
          );
        } catch (e) {
          throw new ScanError(e instanceof Error ? e.message : String(e));
        }
        // merge reads no source file: the files under the root may have changed since the scan or may not be the
        // scanned ones at all, and a shard's paths are someone else's data. So merged HTML has no code excerpts.
        const excerptsOmitted =
          'Code excerpts are not shown: a merged report is built from the shard reports only, and merge reads no source file.';
        emit(cmd.options, { report, rules: ruleCatalogue().map((r) => ruleMetaOf(r)), excerptsOmitted }, io);
        return exitCodeFor(report, findingsFail(report), cmd.options.failOn ?? 'high', cmd.options, io);
      }
      case 'tools':
        return await toolsCommand(cmd.options, io, hooks);
      case 'baseline':
      case 'pin':
        if (cmd.verb === 'pin' && cmd.options.servers)
          return await pinServersCommand(cmd.options, vetIo(cmd.options, io));
        return await (cmd.verb === 'baseline'
          ? baselineCommand(cmd.options, io, hooks)
          : pinCommand(cmd.options, io, hooks));
    }
  } catch (e) {
    // Error messages quote paths and values from files the user did not write: escaped like every other line.
    if (e instanceof UsageError || e instanceof ScanError || e instanceof OutputError) {
      io.stderr(`mcp-sentinel: ${escapeControl(e.message)}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    io.stderr(`mcp-sentinel: ${escapeControl(err?.message?.split('\n')[0] ?? String(e))}\n`);
    return 2;
  }
}

/** The output side of the package-vetting verbs (vetCommand.ts): this module's writers, for their options. */
function vetIo(opts: CommonOptions, io: CliIo): VetCliIo {
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    stderrIsTTY: io.stderrIsTTY,
    env: io.env,
    cwd: io.cwd,
    color: !opts.output && !opts.outputDir && io.stdoutIsTTY && !io.env.NO_COLOR && !opts.noColor,
    emit: (input, sarif) => emit(opts, input, io, sarif),
    write: (file, text) => writeOutput(io, file, text),
    exitCode: (report) => exitCodeFor(report, findingsFail(report), failOnFor(opts), opts, io),
  };
}

/** `tools [PATH] [--format text|json] [--output FILE]`: the tool inventory (tools.ts). Exit 0, or 2 on an error. */
async function toolsCommand(opts: CommonOptions, io: CliIo, hooks: CliHooks): Promise<number> {
  const { report, warnings } = await toolsReport({
    paths: opts.paths,
    cwd: io.cwd,
    config: opts.config,
    projectOptions: hooks.projectOptions,
  });
  warn(warnings, io);
  const text = opts.formats[0] === 'json' ? renderToolsJson(report) : renderToolsText(report);
  if (opts.output) writeOutput(io, opts.output, text);
  else io.stdout(text);
  return 0;
}

/**
 * Where `baseline` writes without `--output`: the file a plain `scan` of the same root applies, which is the
 * config's `baseline` when it names one, else `<root>/.mcp-sentinel/baseline.json`.
 */
function defaultBaselinePath(outcome: ScanOutcome): string {
  const { config, configFile } = outcome.project;
  if (config.baseline && configFile) return resolve(dirname(configFile), config.baseline);
  return join(outcome.report.root, ...BASELINE_FILE.split('/'));
}

/**
 * `baseline [PATH] [--output FILE]`: scans like `scan` and writes the fingerprints of today's unsuppressed (and
 * already baselined) findings with the engine's baseline writer, so a later `scan` reports only new ones.
 */
async function baselineCommand(opts: CommonOptions, io: CliIo, hooks: CliHooks): Promise<number> {
  // The baseline in force (flag or config) is not applied: today's findings are recorded whole, and the configured
  // baseline file may not exist yet.
  const projectOptions = { ...hooks.projectOptions, skipBaseline: true } as OpenProjectOptions;
  const outcome = await scanCommand({ ...opts, baseline: undefined }, io, { projectOptions });
  // A rule that failed left findings out: a baseline written now would later report them as new, or hide the
  // failure, so it is written only when the user accepts incomplete results.
  if (outcome.errors.length && !opts.allowRuleErrors) {
    io.stderr(
      `mcp-sentinel: ${outcome.errors.length} rule error(s): no baseline written, the results are incomplete (--verbose lists them; --allow-rule-errors writes it anyway)\n`,
    );
    return 2;
  }
  const path = writeOutput(
    io,
    opts.output ?? defaultBaselinePath(outcome),
    writeBaseline(outcome.findings, { toolVersion: toolVersion() }),
  );
  io.stderr(`wrote ${baselineCandidates(outcome.findings).length} finding(s) to ${path}\n`);
  return 0;
}

/**
 * `pin [PATH] [--output FILE]`: the tool-definition lock file. It needs the MCP metadata of every discovered file,
 * not a rule scan, so it uses discovery directly and the engine's `buildPins`.
 */
async function pinCommand(opts: CommonOptions, io: CliIo, hooks: CliHooks): Promise<number> {
  // The project decides which files exist for the scanner, so `pin` pins exactly the tools `scan` later checks.
  const { root, files, warnings } = await readProjectTexts(opts.paths, io.cwd, opts.config, hooks.projectOptions);
  warn(warnings, io);
  const pins = buildPins(files);
  // The scanner's drift rule reads only `<root>/.mcp-sentinel/pins.json`, so that is where pins go by default.
  const path = writeOutput(io, opts.output ?? join(root, ...PIN_FILE.split('/')), serializePins(pins));
  const count = Object.values(pins.servers).reduce((n, s) => n + Object.keys(s.tools).length, 0);
  io.stderr(`pinned ${count} tool(s) of ${Object.keys(pins.servers).length} server(s) to ${path}\n`);
  return 0;
}
