/**
 * Package vetting in the editor (`mcpSentinel/vetServers`): the request that vets the servers of the workspace's MCP
 * client configs with the engine's `vetServers` (server/cli/vet.ts), the results it keeps per config entry, and what
 * the editor shows from them: the "Vet package" lens on each entry that launches a package, the hover on the package
 * spec, and the read-only text of a vetted file. The vetting function is a constructor parameter, so tests can drive
 * the handler with a stand-in for the engine.
 *
 * Network use is the client's decision: the server vets only when asked (a command, a lens click, or the client's
 * opt-in `vet.onOpen` in a trusted workspace), never on a document event of its own.
 */
import { join, relative, resolve, sep } from 'node:path';
import type { CancellationToken, CodeLens, Connection, Hover, Position } from 'vscode-languageserver/node';
import { capabilitySummary, isInventoryFinding } from '../../shared/capabilities';
import { COMMAND_IDS, type VetServersParams, type VetServersResult } from '../../shared/protocol';
import { severityRank } from '../../shared/types';
import { vetLensTitle, type ServerVetWire, type VetFindingWire, type VetToolWire } from '../../shared/vet';
import { defaultCacheDir } from '../cache/store';
import type { ServerVet, VetOptions } from '../cli/vet';
import { PROJECT_FILE_MAX_BYTES, readTextFile } from '../core/files';
import { readTarballFile } from '../packages/extract';
import { DEFAULT_PACKAGE_LIMITS } from '../packages/limits';
import { loadFetcher } from '../packages/load';
import { npmFetchOptions } from '../packages/npmrc';
import { contains } from './hover';
import { messageOf } from './projectFiles';
import { isConfigPath, packageEntries } from './vetConfig';
import type { Workspaces } from './workspace';

/** The engine's entry point, as `vetServers` in server/cli/vet.ts (`options.servers` limits it to a lens's entry). */
export type VetServersFn = (configs: readonly string[] | undefined, options: VetOptions) => Promise<ServerVet[]>;

/** The most findings a hover lists before it says how many more there are. */
const HOVER_FINDINGS = 10;

/** Maps the engine's result for one server entry to what the client shows. */
export function toWire(v: ServerVet, configUri: string): ServerVetWire {
  const tools: VetToolWire[] = (v.vet?.inventory.servers ?? []).flatMap((s) =>
    s.tools.map((t) => ({
      name: t.name,
      capabilities: t.capabilities.map((c) => c.capability),
      argumentControlled: t.capabilities.some((c) => c.argumentControlled),
      summary: capabilitySummary(t.capabilities),
    })),
  );
  const findings: VetFindingWire[] = (v.vet?.report.findings ?? [])
    .filter((f) => !f.suppressed && !isInventoryFinding(f))
    .map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      path: f.file,
      line: f.range.start.line,
    }))
    .sort(
      (a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.path < b.path ? -1 : 1) || a.line - b.line,
    );
  const out: ServerVetWire = {
    configUri,
    server: v.server,
    line: v.line,
    character: v.character,
    pinned: v.pinned,
    status: v.status,
    tools,
    findings,
    summary: v.summary,
  };
  if (v.launcher) out.launcher = v.launcher;
  if (v.package) out.package = v.package;
  if (v.reason) out.reason = v.reason;
  if (v.changedTools?.length) out.changedTools = [...v.changedTools];
  if (v.vet) {
    out.name = v.vet.name;
    out.version = v.vet.version;
    out.integrity = v.vet.integrity;
    out.from = v.vet.from;
  }
  return out;
}

/** Runs vetting requests and keeps their results per config entry for lenses, hovers and package files. */
export class Vetting {
  /** The latest result of each server entry: config URI → server name → result. */
  private readonly results = new Map<string, Map<string, ServerVetWire>>();

  constructor(
    private readonly connection: Connection,
    private readonly workspaces: Workspaces,
    private readonly vet: VetServersFn,
    /** Called after a request stored new results, so the client's lenses are refreshed. */
    private readonly onChanged: () => void,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  /** Vets the servers of the given configs (default: every config of every workspace folder). */
  async run(params: VetServersParams, token: CancellationToken): Promise<VetServersResult> {
    const progress = this.connection.window.attachWorkDoneProgress(params.workDoneToken);
    progress.begin('MCP Sentinel: vetting packages', undefined, 'resolving…', true);
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    const servers: ServerVetWire[] = [];
    let error: string | undefined;
    try {
      for (const job of this.jobs(params)) {
        if (abort.signal.aborted) break;
        const options: VetOptions = {
          cwd: job.root,
          signal: abort.signal,
          onProgress: (message) => progress.report(message),
          ...(params.servers?.length ? { servers: params.servers } : {}),
        };
        const cacheDir = defaultCacheDir(this.env);
        if (cacheDir) options.cacheDir = cacheDir;
        try {
          const found = await this.vet(job.configs, options);
          for (const v of found) {
            if (params.servers?.length && !params.servers.includes(v.server)) continue;
            const wire = toWire(v, job.uriOf(v.config));
            servers.push(wire);
            this.remember(wire);
          }
        } catch (e) {
          if (abort.signal.aborted) break;
          error = messageOf(e);
          this.connection.console.error(`MCP Sentinel: vetting in ${job.root} failed: ${error}`);
        }
      }
    } finally {
      sub.dispose();
      progress.done();
    }
    if (servers.length) this.onChanged();
    return { servers, cancelled: abort.signal.aborted, ...(error ? { error } : {}) };
  }

  /** The requests to the engine: one per workspace folder, with its configs as root-relative paths. */
  private jobs(params: VetServersParams): { root: string; configs?: string[]; uriOf: (file: string) => string }[] {
    if (!params.configs) return this.workspaces.all().map((w) => ({ root: w.root, uriOf: (f) => w.uriOf(f) }));
    const byRoot = new Map<string, { root: string; configs: string[]; uriOf: (file: string) => string }>();
    for (const uri of params.configs) {
      const loc = this.workspaces.locate(uri);
      if (!loc) continue;
      const w = loc.workspace;
      let job = byRoot.get(w.root);
      if (!job) byRoot.set(w.root, (job = { root: w.root, configs: [], uriOf: (f) => w.uriOf(f) }));
      job.configs.push(loc.file);
    }
    return [...byRoot.values()];
  }

  private remember(v: ServerVetWire): void {
    let m = this.results.get(v.configUri);
    if (!m) this.results.set(v.configUri, (m = new Map()));
    m.set(v.server, v);
  }

  /** The latest result of a config's server entry, if it was vetted. */
  resultOf(configUri: string, server: string): ServerVetWire | undefined {
    return this.results.get(configUri)?.get(server);
  }

  /** The lens on each entry of a config that launches a package: "Vet package", or the last result's summary. */
  lensesFor(uri: string, text: string): CodeLens[] {
    const loc = this.workspaces.locate(uri);
    if (!loc || !isConfigPath(loc.file)) return [];
    return packageEntries(loc.file, text).map((e) => ({
      range: { start: e.keyRange.start, end: e.keyRange.start },
      command: {
        title: vetLensTitle(this.resultOf(uri, e.server)),
        command: COMMAND_IDS.vetServer,
        arguments: [uri, e.server],
      },
    }));
  }

  /** The hover on an entry's package spec: the last result (version, integrity, tools, findings), if any. */
  hoverAt(uri: string, text: string, position: Position): Hover | undefined {
    const loc = this.workspaces.locate(uri);
    if (!loc || !isConfigPath(loc.file)) return undefined;
    const entry = packageEntries(loc.file, text).find((e) => contains(e.specRange, position));
    const v = entry && this.resultOf(uri, entry.server);
    if (!entry || !v) return undefined;
    return { contents: { kind: 'markdown', value: vetHoverMarkdown(v) }, range: entry.specRange };
  }

  /**
   * The text of a file of a vetted package, read without the network: from the workspace's node_modules for a
   * package read there, else from the package's tarball in the cache (by its integrity, checked again on the way
   * out of the cache) for a package fetched from the registry. The path must stay inside the package.
   */
  async packageFile(configUri: string, path: string): Promise<{ text: string } | null> {
    const loc = this.workspaces.locate(configUri);
    const m = /^npm:((?:@[^/@]+\/)?[^/@]+)@[^/]+\/(.+)$/.exec(path);
    if (!loc || !m) return null;
    const [, name, rel] = m as unknown as [string, string, string];
    if (rel.split('/').some((s) => s === '..' || s === '.' || s === '') || rel.includes('\\')) return null;
    const vetted = [...(this.results.get(configUri)?.values() ?? [])].find(
      (v) => v.name === name && path.startsWith(`npm:${v.name}@${v.version}/`),
    );
    if (!vetted) return null;
    if (vetted.from === 'node_modules') {
      const dir = join(loc.workspace.root, 'node_modules', ...name.split('/'));
      const file = resolve(dir, ...rel.split('/'));
      const inside = relative(dir, file);
      if (!inside || inside.startsWith('..') || inside.startsWith(sep)) return null;
      const r = readTextFile(file, { maxBytes: PROJECT_FILE_MAX_BYTES * 4 });
      return r.ok ? { text: r.text } : null;
    }
    const cacheDir = defaultCacheDir(this.env);
    if ((vetted.from !== 'registry' && vetted.from !== 'cache') || !vetted.integrity || !cacheDir) return null;
    try {
      const bytes = await loadFetcher().fetchRegistryTarball(
        // Offline, pacote reads the tarball by its integrity; the URL is not fetched.
        { name, version: vetted.version!, integrity: vetted.integrity, resolved: `npm:${name}@${vetted.version}` },
        { npm: npmFetchOptions(loc.workspace.root), cache: join(cacheDir, 'npm'), offline: true },
      );
      const text = await readTarballFile(bytes, rel, DEFAULT_PACKAGE_LIMITS);
      return text === undefined ? null : { text };
    } catch (e) {
      // Not in the cache any more (cleared, or fetched with other npm settings): nothing to show, and why in the log.
      this.connection.console.warn(`MCP Sentinel: ${path} cannot be read from the cache: ${messageOf(e)}`);
      return null;
    }
  }
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>#|]/g, (c) => '\\' + c);
}

/** The hover text of a vetted entry; every name and message from the package is escaped (it is untrusted text). */
export function vetHoverMarkdown(v: ServerVetWire): string {
  const lines: string[] = [];
  if (v.status !== 'vetted') {
    lines.push(`**MCP Sentinel: not vetted**`, '', escapeMarkdown(v.reason ?? v.summary));
    return lines.join('\n');
  }
  const what = `${escapeMarkdown(v.name ?? v.package ?? v.server)}@${escapeMarkdown(v.version ?? '?')}`;
  lines.push(`**MCP Sentinel: vetted ${what}** — ${escapeMarkdown(v.summary)}`, '');
  if (v.integrity) lines.push(`Integrity: \`${v.integrity.replace(/`/g, '')}\``, '');
  const from = v.from === 'node_modules' ? 'the workspace node_modules' : v.from;
  lines.push(`Read from ${from ?? 'the registry'}${v.pinned ? '' : '; not pinned: this is what would run today'}.`, '');
  if (v.changedTools?.length)
    lines.push(`**Tools changed since the pin:** ${v.changedTools.map(escapeMarkdown).join(', ')}`, '');
  if (v.tools.length) {
    lines.push(`**Tools (${v.tools.length}):**`, '');
    for (const t of v.tools)
      lines.push(`- \`${t.name.replace(/`/g, "'")}\`${t.summary ? ` — ${escapeMarkdown(t.summary)}` : ''}`);
    lines.push('');
  }
  if (v.findings.length) {
    lines.push(`**Findings (${v.findings.length}):**`, '');
    for (const f of v.findings.slice(0, HOVER_FINDINGS))
      lines.push(`- ${f.severity} \`${f.ruleId}\`: ${escapeMarkdown(f.message)} (${escapeMarkdown(f.path)}:${f.line})`);
    if (v.findings.length > HOVER_FINDINGS) lines.push(`- … and ${v.findings.length - HOVER_FINDINGS} more`);
  } else lines.push('No findings.');
  return lines.join('\n').trim();
}
