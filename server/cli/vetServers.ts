// Vetting the servers of MCP client configs: every entry that launches a registry package through a runner (npx,
// npm exec, pnpm dlx, bunx, yarn dlx; uvx and pipx for Python) has that package vetted, pinned version if the config
// pins one, else what the runner would fetch today (and the summary says so). Entries that run a local command or
// talk to a remote URL are listed as not packages; a package that cannot be vetted is listed with the reason. The
// pins of `pin --servers` (vetPins.ts) turn a change of a package's tools between releases into findings.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { mcpServers, type McpServerEntry } from '../analysis/json/mcpConfig';
import { createDetectContext } from '../core/context';
import { classifyPath } from '../core/fileKinds';
import { PROJECT_FILE_MAX_BYTES, readTextFile } from '../core/files';
import { regexBackend } from '../core/regex';
import { discover } from '../discovery/discover';
import { VetError } from '../packages/errors';
import { NO_PYTHON_RESOLVER, type PythonResolver } from '../packages/python';
import {
  isLocalOrUrl,
  launchesOf,
  LOCAL_DEV_TOOLS,
  unpinnedReason,
  type PackageLaunch,
} from '../rules/client-config/launch';
import type { ServerVet, VetOptions } from './vet';
import { vetPackageFull, type VettedPackage } from './vetPackage';
import { driftOf, loadPackagePins } from './vetPins';
import { vetSummary } from './vetReport';

/** The servers' results, and the vetted packages by request (for the report formats). */
export interface ServersOutcome {
  /** One per server entry, in config then entry order. */
  servers: ServerVet[];
  /** The vetted packages, by request. */
  packages: Map<string, VettedPackage>;
}

/** The MCP client configs under `cwd` (discovery's walk: node_modules, dist and the like are not entered). */
export function findConfigs(cwd: string): string[] {
  return discover(cwd, [cwd], {})
    .files.filter((f) => f.kind === 'mcp-config' || f.kind === 'vscode-settings')
    .map((f) => f.file);
}

/** One server entry read from a config, with its launch (when it runs a package) and its key's position. */
export interface ConfigServer {
  /** The config, relative to cwd. */
  config: string;
  /** The entry. */
  entry: McpServerEntry;
  /** The package launch, when the entry runs one. */
  launch?: PackageLaunch;
  /** Zero-based position of the server's key. */
  line: number;
  character: number;
}

/** Every server entry of the configs (paths relative to `cwd`). A config that cannot be read is a VetError. */
export function readConfigServers(configs: readonly string[], cwd: string): ConfigServer[] {
  const out: ConfigServer[] = [];
  for (const c of configs) {
    const path = resolve(cwd, c);
    const rel = relative(cwd, path).split('\\').join('/');
    if (!existsSync(path)) throw new VetError('not-found', `config not found: ${c}`);
    const read = readTextFile(path, { maxBytes: PROJECT_FILE_MAX_BYTES });
    if (!read.ok) throw new VetError('not-found', `cannot read ${c}: ${read.reason}`);
    const kind = classifyPath(rel);
    const { ctx, dispose } = createDetectContext(
      regexBackend(),
      rel,
      read.text,
      kind === 'vscode-settings' ? kind : 'mcp-config',
    );
    try {
      for (const entry of mcpServers(ctx)) {
        const pos = ctx.lines.positionAt(entry.name.start);
        const launch = launchesOf(entry)[0];
        out.push({ config: rel, entry, ...(launch ? { launch } : {}), line: pos.line, character: pos.character });
      }
    } finally {
      dispose();
    }
  }
  return out;
}

/** The npm request a launch runs (`npm:<spec>`), or undefined when it is not a registry package. */
export function npmRequestOf(l: PackageLaunch): string | undefined {
  const v = l.spec.value;
  if (l.ecosystem !== 'npm' || !v || isLocalOrUrl(v) || LOCAL_DEV_TOOLS.has(v)) return undefined;
  return `npm:${v}`;
}

/** Vets the servers of `configs` (or of every config under `cwd`); see `vetServers` in vet.ts. */
export async function vetServersFull(
  configs: readonly string[] | undefined,
  options: VetOptions,
  python: PythonResolver = NO_PYTHON_RESOLVER,
): Promise<ServersOutcome> {
  const entries = readConfigServers(configs ?? findConfigs(options.cwd), options.cwd).filter(
    (s) => !options.servers || options.servers.includes(s.entry.name.value),
  );
  const pins = loadPackagePins(options.cwd);
  const packages = new Map<string, VettedPackage>();
  const failures = new Map<string, string>();
  const servers: ServerVet[] = [];
  let pythonAvailable: { ok: true } | { ok: false; reason: string } | undefined;
  for (const s of entries) {
    const base = { config: s.config, server: s.entry.name.value, line: s.line, character: s.character };
    const l = s.launch;
    if (!l) {
      const what = s.entry.url ? 'a remote server' : 'a local command';
      servers.push({ ...base, pinned: false, status: 'not-a-package', summary: `not a package: ${what}` });
      continue;
    }
    const launch = { launcher: l.runner, package: l.spec.value, pinned: !unpinnedReason(l) };
    if (l.ecosystem === 'pypi') {
      pythonAvailable ??= await python.available(options.signal);
      const reason = pythonAvailable.ok
        ? 'not vetted: Python packages are not read yet'
        : `not vetted: ${pythonAvailable.reason}`;
      servers.push({ ...base, ...launch, status: 'not-vetted', reason, summary: reason });
      continue;
    }
    const request = npmRequestOf(l);
    if (!request) {
      servers.push({ ...base, ...launch, status: 'not-a-package', summary: 'not a package: a local path or URL' });
      continue;
    }
    if (!packages.has(request) && !failures.has(request)) {
      try {
        packages.set(request, await vetPackageFull(request, options));
      } catch (e) {
        if (!(e instanceof VetError) || e.code === 'cancelled') throw e;
        failures.set(request, e.message);
      }
    }
    const vetted = packages.get(request);
    if (!vetted) {
      const reason = `not vetted: ${failures.get(request)!}`;
      servers.push({ ...base, ...launch, status: 'not-vetted', reason, summary: reason });
      continue;
    }
    const drift = driftOf(pins, vetted.vet);
    const vet = drift.findings.length ? drift.vet : vetted.vet;
    const parts = [vetSummary(vet.report, vet.inventory)];
    if (!launch.pinned) parts.push(`not pinned: vetted what runs today, ${vet.version}`);
    if (drift.changedTools.length)
      parts.push(`${drift.changedTools.length} tool(s) changed since ${drift.pinnedVersion ?? 'the pin'}`);
    servers.push({
      ...base,
      ...launch,
      status: 'vetted',
      vet,
      ...(drift.changedTools.length ? { changedTools: drift.changedTools } : {}),
      summary: parts.join(' · '),
    });
  }
  return { servers, packages };
}
