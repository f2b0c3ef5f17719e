// The command-line forms of package vetting: `scan npm:NAME[@VERSION]`, `scan --servers [CONFIG...]` and
// `pin --servers [CONFIG...]`. They share the scan verb's options and exit codes (0 clean, 1 findings at or above
// --fail-on, 2 error); a package that cannot be fetched is a one-line error and exit 2, and with --servers each
// server that could not be vetted is listed with the reason.
import { resolve } from 'node:path';
import { defaultCacheDir } from '../cache/store';
import { toolVersion } from '../core/version';
import { serializePins } from '../project/pins';
import { escapeControl, renderText, type JsonReport, type ReportInput } from '../reports';
import type { CommonOptions } from './args';
import { ScanError } from './scan';
import { VetError, type ServerVet, type VetOptions } from './vet';
import { vetPackageFull } from './vetPackage';
import { loadPackagePins, mergePackagePins, PACKAGE_PIN_FILE } from './vetPins';
import { vetServersFull } from './vetServers';

/** What the verbs need from run.ts (passed in, so this module does not import the module that imports it). */
export interface VetCliIo {
  /** Writes to stdout. */
  stdout(s: string): void;
  /** Writes to stderr. */
  stderr(s: string): void;
  /** stderr is a terminal (progress lines). */
  stderrIsTTY: boolean;
  /** Environment (cache folder). */
  env: Record<string, string | undefined>;
  /** Working directory. */
  cwd: string;
  /** Writes a report as the options say (run.ts `emit`); SARIF from `sarif` when given. */
  emit(input: ReportInput, sarif?: ReportInput): void;
  /** Writes a file (run.ts `writeOutput`); returns the path written. */
  write(file: string, text: string): string;
  /** The exit code of a report (run.ts `exitCodeFor` with the fail-on threshold). */
  exitCode(report: JsonReport): number;
  /** True when colours are on for stdout. */
  color: boolean;
}

/** The vet options of a command line. */
function vetOptions(opts: CommonOptions, io: VetCliIo): VetOptions {
  const cacheDir = opts.noCache ? undefined : opts.cacheDir ? resolve(io.cwd, opts.cacheDir) : defaultCacheDir(io.env);
  const progress = opts.verbose || io.stderrIsTTY;
  return {
    cwd: io.cwd,
    ...(cacheDir ? { cacheDir } : {}),
    ...(opts.offline ? { offline: true } : {}),
    ...(progress ? { onProgress: (m: string) => io.stderr(`${escapeControl(m)}\n`) } : {}),
  };
}

/** A VetError as the CLI's one-line error (exit 2). */
function asScanError(e: unknown): never {
  if (e instanceof VetError) throw new ScanError(e.message);
  throw e;
}

/** `scan npm:NAME[@VERSION]`: the package's report in any format; the version and integrity on stderr. */
export async function scanPackageCommand(opts: CommonOptions, io: VetCliIo): Promise<number> {
  const request = opts.paths[0]!;
  const { vet, input } = await vetPackageFull(request, vetOptions(opts, io)).catch(asScanError);
  io.stderr(
    `${escapeControl(`npm:${vet.name}@${vet.version}`)} integrity ${vet.integrity || 'unknown'} (from ${vet.from})\n`,
  );
  io.emit(input, relativeInput(input));
  return io.exitCode(vet.report);
}

/**
 * The input with every path relative to the package root again, for SARIF: its locations are relative to
 * `%SRCROOT%` (the root), which already names the package.
 */
function relativeInput(input: ReportInput): ReportInput {
  const prefix = `${input.report.root}/`;
  const rel = (file: string) => (file.startsWith(prefix) ? file.slice(prefix.length) : file);
  const r = input.report;
  return {
    ...input,
    report: {
      ...r,
      findings: r.findings.map((f) => ({
        ...f,
        file: rel(f.file),
        ...(f.related ? { related: f.related.map((x) => ({ ...x, file: rel(x.file) })) } : {}),
      })),
      skipped: r.skipped.map((s) => ({ ...s, file: rel(s.file) })),
      ...(r.ruleErrors ? { ruleErrors: r.ruleErrors.map((e) => ({ ...e, file: rel(e.file) })) } : {}),
    },
    ...(input.excerpt ? { excerpt: (f) => input.excerpt!({ ...f, file: prefix + f.file }) } : {}),
  };
}

/** One line per server: "name: package@version · summary". */
function serverLine(s: ServerVet): string {
  const what = s.vet ? `${s.vet.name}@${s.vet.version}` : s.package;
  return `  ${s.server}: ${what ? `${what} · ` : ''}${s.summary}`;
}

/** `scan --servers [CONFIG...]`: a summary line per server, then each vetted package's findings (text or JSON). */
export async function scanServersCommand(opts: CommonOptions, io: VetCliIo): Promise<number> {
  const configs = opts.paths.length ? opts.paths : undefined;
  const { servers } = await vetServersFull(configs, vetOptions(opts, io)).catch(asScanError);
  const vetted = servers.filter((s) => s.vet);
  const notVetted = servers.filter((s) => s.status === 'not-vetted');
  if (opts.formats[0] === 'json') {
    const text = JSON.stringify({ tool: { name: 'mcp-sentinel', version: toolVersion() }, servers }, null, 2) + '\n';
    if (opts.output) io.write(opts.output, text);
    else io.stdout(text);
  } else {
    const out: string[] = [];
    let config = '';
    for (const s of servers) {
      if (s.config !== config) out.push((config = s.config));
      out.push(escapeControl(serverLine(s)));
    }
    if (servers.length === 0) out.push('no MCP server entries found');
    out.push('');
    const seen = new Set<string>();
    for (const s of vetted) {
      const key = `${s.vet!.name}@${s.vet!.version}\0${s.changedTools?.join(',') ?? ''}`;
      if (seen.has(key) || s.vet!.report.findings.length === 0) continue;
      seen.add(key);
      out.push(renderText(s.vet!.report, { color: io.color, showSuppressed: false, verbose: opts.verbose }));
    }
    const text = out.join('\n');
    if (opts.output) io.write(opts.output, text);
    else io.stdout(text);
  }
  if (notVetted.length) io.stderr(`${notVetted.length} server(s) not vetted (listed with the reason)\n`);
  return Math.max(0, ...vetted.map((s) => io.exitCode(s.vet!.report)));
}

/** `pin --servers [CONFIG...]`: records the tools of every vetted server package in the package pin file. */
export async function pinServersCommand(opts: CommonOptions, io: VetCliIo): Promise<number> {
  const configs = opts.paths.length ? opts.paths : undefined;
  const options = vetOptions(opts, io);
  const { servers } = await vetServersFull(configs, options).catch(asScanError);
  let old;
  try {
    old = loadPackagePins(io.cwd);
  } catch {
    // An invalid pin file is replaced: pinning is how it is repaired.
  }
  const vets = servers.flatMap((s) => (s.vet ? [s.vet] : []));
  const pins = mergePackagePins(old, vets);
  const path = io.write(opts.output ?? PACKAGE_PIN_FILE, serializePins(pins));
  const tools = vets.reduce((n, v) => n + Object.keys(v.toolHashes ?? {}).length, 0);
  io.stderr(`pinned ${tools} tool(s) of ${new Set(vets.map((v) => v.name)).size} package(s) to ${path}\n`);
  for (const s of servers.filter((x) => x.status === 'not-vetted'))
    io.stderr(`  ${escapeControl(s.server)}: ${escapeControl(s.reason ?? 'not vetted')}\n`);
  return 0;
}
