import { parseArgs } from 'node:util';
import { SEVERITIES, type FailOn } from '../../shared/types';
import { didYouMean } from '../core/suggest';
import { parseShard, type Shard } from '../discovery/shard';

/** Report formats the CLI writes. */
export type Format = 'text' | 'json' | 'sarif' | 'html';

/** All formats, in the order `--help` lists them. */
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'html'];

/** File extension used for each format with --output-dir. */
export const FORMAT_EXT: Record<Format, string> = { text: 'txt', json: 'json', sarif: 'sarif', html: 'html' };

/** A usage error: the CLI prints its message on one line and exits with code 2. */
export class UsageError extends Error {}

/** Options shared by every verb that scans or writes a report. */
export interface CommonOptions {
  /** Paths given on the command line (files or folders); empty means the current directory. */
  paths: string[];
  /** Formats to write (one, or several with --output-dir). */
  formats: Format[];
  /** Single output file. */
  output?: string;
  /** Folder for several formats (mcp-sentinel.<ext> each). */
  outputDir?: string;
  /** Threshold for exit code 1; undefined means the project config's, else `high`. */
  failOn?: FailOn;
  /** Project config file (.mcp-sentinel.json). */
  config?: string;
  /** Baseline file. */
  baseline?: string;
  /** Diagnostics on stderr. */
  verbose: boolean;
  /** Disable colours. */
  noColor: boolean;
  /** Part of a sharded scan. */
  shard?: Shard;
  /** List suppressed findings in the text report too. */
  showSuppressed: boolean;
  /** Exit by the findings even when a rule failed (otherwise a rule error exits with code 2). */
  allowRuleErrors: boolean;
  /** Worker threads to scan with (`--workers`); undefined means the config's `workers`, else one per core but one. */
  workers?: number;
  /** `--include-tests`: also report the generic heuristics' findings in test, script and build files. */
  includeTests: boolean;
  /** `--cache-dir DIR`: the result cache's folder instead of the user's cache directory. */
  cacheDir?: string;
  /** `--no-cache`: scan every file, and read or write no cache entry. */
  noCache: boolean;
  /** `--servers`: scan (or pin) the packages the MCP client configs launch; `paths` are then the configs. */
  servers: boolean;
  /** `--offline`: vet packages from the cache (and node_modules) only. */
  offline: boolean;
}

/** The parsed command line. */
export type Command =
  | { verb: 'help' }
  | { verb: 'version' }
  | { verb: 'rules'; options: CommonOptions }
  | { verb: 'explain'; ruleId: string }
  | { verb: 'scan' | 'baseline' | 'pin' | 'merge' | 'tools'; options: CommonOptions };

export const HELP = `Usage: mcp-sentinel <command> [options]

Commands:
  scan [PATH...]           Scan files and folders (default: the current directory)
  scan npm:NAME[@VERSION]  Vet an npm package without running it: fetch it through your npm settings,
                           check its integrity, unpack it as data and scan it (paths read npm:NAME@VERSION/...)
  scan --servers [CONFIG...]
                           Vet the package of every server the MCP client configs launch through npx, npm exec,
                           pnpm dlx, bunx or yarn dlx (default: every config in the current directory)
  merge FILE...            Merge the JSON reports of a sharded scan into one report
  baseline [PATH]          Accept today's findings (default file .mcp-sentinel/baseline.json)
  pin [PATH]               Lock the MCP tool definitions (default file .mcp-sentinel/pins.json)
  pin --servers [CONFIG...]
                           Lock the tool definitions of the configs' server packages
                           (.mcp-sentinel/package-pins.json); a later scan --servers reports what changed
  rules                    List the rule catalogue (id, severity, category, title)
  explain RULE             Print a rule's page: what it finds, why it matters, how to fix and suppress it
  tools [PATH]             List each server's MCP tools and what they can do (--format text|json)

Options:
  --format F[,F...]        text | json | sarif | html (default text); several need --output-dir
  --output FILE            Write the report to FILE instead of stdout
  --output-dir DIR         Write one file per format: DIR/mcp-sentinel.<txt|json|sarif|html>
  --fail-on LEVEL          critical | high | medium | low | info | none (default high)
  --config FILE            Project config (default: <root>/.mcp-sentinel.json when present)
  --baseline FILE          Suppress the findings listed in a baseline file (default: the config's
                           "baseline", else <root>/.mcp-sentinel/baseline.json when present)
  --shard K/N              Scan only the K-th of N deterministic parts of the files
  --workers N              Scan with N worker threads, 1-64 (default: config "workers", else cores - 1)
  --show-suppressed        List suppressed findings in the text report
  --cache-dir DIR          Keep the result cache in DIR (default: $XDG_CACHE_HOME/mcp-sentinel, else
                           ~/.cache/mcp-sentinel); a file whose text, project and rules are unchanged is not re-scanned
  --no-cache               Scan every file; read and write no cache
  --offline                With npm: or --servers, vet from the cache and node_modules only, and say what
                           could not be vetted
  --include-tests          Also report generic command/code/SQL and secret findings in test, spec, fixture,
                           script and build-config files (left out by default; config "includeTests")
  --allow-rule-errors      Do not exit with 2 when a rule failed on a file (the report still lists it);
                           with baseline, write the baseline anyway
  --verbose                Regex backend, files scanned and skipped, timings on stderr
  --no-color               No colours in the text report (NO_COLOR is honoured too)
  -h, --help               This help
  -v, --version            The version

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 error (including a rule that failed
on a file, unless --allow-rule-errors).
`;

const VERBS = new Set(['scan', 'merge', 'baseline', 'pin', 'rules', 'tools', 'explain']);

/** Parses argv (without node and the script). Throws UsageError on anything it does not understand. */
export function parseCommandLine(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        'output-dir': { type: 'string' },
        'fail-on': { type: 'string' },
        config: { type: 'string', short: 'c' },
        baseline: { type: 'string' },
        shard: { type: 'string' },
        workers: { type: 'string' },
        verbose: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'show-suppressed': { type: 'boolean' },
        'allow-rule-errors': { type: 'boolean' },
        'include-tests': { type: 'boolean' },
        'cache-dir': { type: 'string' },
        'no-cache': { type: 'boolean' },
        servers: { type: 'boolean' },
        offline: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    throw new UsageError((e instanceof Error ? e.message : String(e)).split('\n')[0]!);
  }
  const { values, positionals } = parsed;
  if (values.help) return { verb: 'help' };
  if (values.version) return { verb: 'version' };
  const [verb, ...rest] = positionals;
  if (!verb) return { verb: 'help' };
  if (!VERBS.has(verb)) throw new UsageError(`unknown command "${verb}"${didYouMean(verb, VERBS) || ' (try --help)'}`);
  if (verb === 'explain') {
    // explain reads no files and writes no report: any option but --help is a mistake worth reporting.
    const used = Object.keys(values).filter((k) => values[k as keyof typeof values] !== undefined);
    if (used.length) throw new UsageError(`explain takes a rule id and no options (got --${used[0]})`);
    if (rest.length !== 1)
      throw new UsageError('explain needs one rule id, e.g. mcp-sentinel explain js-command-injection');
    return { verb: 'explain', ruleId: rest[0]! };
  }

  const formats = (values.format ?? 'text')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const f of formats)
    if (!FORMATS.includes(f as Format)) throw new UsageError(`unknown format "${f}" (expected ${FORMATS.join(', ')})`);
  if (formats.length === 0) throw new UsageError('--format needs a value');
  if (new Set(formats).size !== formats.length) throw new UsageError('--format lists a format twice');
  if (values.output && values['output-dir']) throw new UsageError('use either --output or --output-dir, not both');
  if (formats.length > 1 && !values['output-dir']) throw new UsageError('several formats need --output-dir DIR');

  let failOn: FailOn | undefined;
  if (values['fail-on'] !== undefined) {
    const v = values['fail-on'];
    if (v !== 'none' && !SEVERITIES.includes(v as never))
      throw new UsageError(`--fail-on expects one of ${[...SEVERITIES, 'none'].join(', ')}, got "${v}"`);
    failOn = v as FailOn;
  }
  let shard: Shard | undefined;
  if (values.shard !== undefined) {
    if (verb !== 'scan') throw new UsageError('--shard only applies to scan');
    try {
      shard = parseShard(values.shard);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  let workers: number | undefined;
  if (values.workers !== undefined) {
    if (verb !== 'scan' && verb !== 'baseline') throw new UsageError('--workers only applies to scan and baseline');
    const v = values.workers;
    // The same range as the config's `workers`.
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 64)
      throw new UsageError(`--workers expects a whole number from 1 to 64, got "${v}"`);
    workers = Number(v);
  }
  if (values['include-tests'] && verb !== 'scan' && verb !== 'baseline')
    throw new UsageError('--include-tests only applies to scan and baseline');
  const caching = values['cache-dir'] !== undefined || values['no-cache'];
  if (caching && verb !== 'scan' && verb !== 'baseline' && !(verb === 'pin' && values.servers))
    throw new UsageError('--cache-dir and --no-cache only apply to scan and baseline');
  if (values['cache-dir'] !== undefined && values['no-cache'])
    throw new UsageError('use either --cache-dir or --no-cache, not both');
  if (values['cache-dir'] === '') throw new UsageError('--cache-dir needs a folder');
  if (verb === 'merge' && rest.length === 0) throw new UsageError('merge needs at least one JSON report');
  if ((verb === 'baseline' || (verb === 'pin' && !values.servers)) && rest.length > 1)
    throw new UsageError(`${verb} takes at most one PATH`);
  if (verb === 'rules' && rest.length) throw new UsageError('rules takes no PATH');
  if (verb === 'tools') {
    if (rest.length > 1) throw new UsageError('tools takes at most one PATH');
    if (formats.some((f) => f !== 'text' && f !== 'json')) throw new UsageError('tools writes text or json');
    if (values['output-dir']) throw new UsageError('tools writes one format: use --output FILE');
    if (values['fail-on'] !== undefined || values.baseline !== undefined)
      throw new UsageError('tools lists the inventory: --fail-on and --baseline do not apply');
  }

  const servers = !!values.servers;
  const packages = rest.filter((p) => p.startsWith('npm:'));
  if (servers && verb !== 'scan' && verb !== 'pin') throw new UsageError('--servers only applies to scan and pin');
  if (packages.length && verb !== 'scan')
    throw new UsageError(`${verb} takes no npm: package (scan npm:NAME vets one)`);
  if (packages.length && (servers || packages.length !== rest.length || packages.length > 1))
    throw new UsageError('scan vets one npm: package at a time, without paths or --servers');
  const vetting = servers || packages.length > 0;
  if (values.offline && !vetting) throw new UsageError('--offline only applies to scan npm:NAME and --servers');
  if (vetting) {
    // A vetted package is scanned as published, with none of this project's files applied to it.
    const used = (['config', 'baseline', 'shard', 'include-tests'] as const).find((k) => values[k] !== undefined);
    if (used) throw new UsageError(`--${used} does not apply to vetting packages`);
  }
  if (servers && formats.some((f) => f !== 'text' && f !== 'json'))
    throw new UsageError('--servers writes text or json');

  const options: CommonOptions = {
    paths: rest,
    formats: formats as Format[],
    output: values.output,
    outputDir: values['output-dir'],
    failOn,
    config: values.config,
    baseline: values.baseline,
    verbose: !!values.verbose,
    noColor: !!values['no-color'],
    shard,
    showSuppressed: !!values['show-suppressed'],
    allowRuleErrors: !!values['allow-rule-errors'],
    includeTests: !!values['include-tests'],
    noCache: !!values['no-cache'],
    servers,
    offline: !!values.offline,
    ...(values['cache-dir'] !== undefined ? { cacheDir: values['cache-dir'] } : {}),
    ...(workers !== undefined ? { workers } : {}),
  };
  return { verb: verb as 'scan', options };
}
