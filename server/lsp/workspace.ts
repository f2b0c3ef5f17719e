/**
 * The language server's model of a workspace folder: the one place that holds what a folder's scans depend on (its
 * settings, its project inputs — config, ignore file, baseline, pins — the limits they give, its config errors and
 * its workspace-facts index). Every handler finds the `Workspace` of a URI and asks it, so discovery, size limits,
 * time budgets and pool size come from the same `.mcp-sentinel.json` the CLI reads.
 */
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection, Diagnostic, WorkspaceFolder } from 'vscode-languageserver/node';
import { SETTINGS_SECTION, defaultSettings, normaliseSettings, type SentinelSettings } from '../../shared/settings';
import type { Rule } from '../core/rule';
import type { DiscoveryOptions } from '../discovery/discover';
import { toRelative } from '../discovery/discover';
import type { FileFacts } from '../engine/facts';
import { discoveryOptionsOf, scanLimits, type ScanLimits } from '../engine/limits';
import { loadProjectInputs, type ProjectInputs } from '../project';
import { catalogueIds } from '../rules/catalogue';
import { configErrorDiagnostic } from './diagnostics';

/** Where settings come from: the client's `workspace/configuration`, or what it pushed when it cannot be asked. */
export class SettingsSource {
  private readonly cache = new Map<string, Promise<SentinelSettings>>();
  /** Settings pushed with `workspace/didChangeConfiguration` (clients without the configuration capability). */
  pushed: unknown;

  constructor(
    private readonly connection: Connection,
    private readonly canAsk: () => boolean,
  ) {}

  /** The settings of a scope (a folder URI, a document URI, or '' for the window), cached until `clear`. */
  get(scope: string): Promise<SentinelSettings> {
    let s = this.cache.get(scope);
    if (!s) {
      s = this.canAsk()
        ? this.connection.workspace
            .getConfiguration(scope ? { scopeUri: scope, section: SETTINGS_SECTION } : { section: SETTINGS_SECTION })
            .then(normaliseSettings, () => defaultSettings())
        : Promise.resolve(normaliseSettings((this.pushed as Record<string, unknown> | undefined)?.[SETTINGS_SECTION]));
      this.cache.set(scope, s);
    }
    return s;
  }

  /** Forgets every cached answer (the environment changed). */
  clear(): void {
    this.cache.clear();
  }
}

/** A workspace folder (or, for a file outside every folder, that file's directory) and what its scans depend on. */
export class Workspace {
  /** Absolute project root: findings' paths are relative to it. */
  readonly root: string;
  /** Each file's tools and servers, by root-relative path (the cross-file facts the rules read). */
  readonly facts = new Map<string, FileFacts>();
  /** Config-error diagnostics by URI of the project file they are about. */
  configErrors = new Map<string, Diagnostic[]>();
  /** URIs of the project files this workspace read (config, ignore file, baseline, pin file). */
  inputUris = new Set<string>();
  private inputs: ProjectInputs | undefined;

  constructor(
    /** The folder's URI (for settings and client requests). */
    readonly uri: string,
    private readonly settingsSource: SettingsSource,
    private readonly extraRules: () => Rule[],
  ) {
    this.root = fileURLToPath(uri);
  }

  /** This folder's settings. */
  settings(): Promise<SentinelSettings> {
    return this.settingsSource.get(this.uri);
  }

  /**
   * The project inputs, read with the loader the CLI and the workers use (problems collected, not thrown). Read
   * on first use and again after `reload`.
   */
  async projectInputs(): Promise<ProjectInputs> {
    if (!this.inputs) await this.reload();
    return this.inputs!;
  }

  /** The limits of this folder: the project config's, then the folder's settings, then the defaults. */
  async limits(): Promise<ScanLimits> {
    const [inputs, settings] = await Promise.all([this.projectInputs(), this.settings()]);
    return scanLimits(inputs.config, settings);
  }

  /** How a workspace scan discovers this folder's files: the config's include/exclude and the size limit. */
  async discoveryOptions(): Promise<DiscoveryOptions> {
    const inputs = await this.projectInputs();
    return discoveryOptionsOf(inputs.config, await this.limits());
  }

  /**
   * Re-reads the project files and recomputes the config-error diagnostics and the set of project-file URIs.
   * A loader failure (which should not happen: it collects problems) is logged by the caller.
   */
  async reload(): Promise<void> {
    const settings = await this.settings();
    const inputs = loadProjectInputs(this.root, {
      knownRuleIds: catalogueIds([], this.extraRules()),
      ...(settings.configFile ? { configPath: settings.configFile } : {}),
    });
    const uris = new Set<string>();
    for (const f of [inputs.configFile, inputs.ignoreFile, inputs.baselineFile, inputs.pinFile])
      if (f) uris.add(pathToFileURL(f).href);
    const errors = new Map<string, Diagnostic[]>();
    for (const e of inputs.errors) {
      const uri = pathToFileURL(e.file).href;
      uris.add(uri);
      let list = errors.get(uri);
      if (!list) errors.set(uri, (list = []));
      list.push(configErrorDiagnostic(e));
    }
    this.inputs = inputs;
    this.configErrors = errors;
    this.inputUris = uris;
  }

  /** Forgets the project inputs, so the next use reads them again. */
  invalidate(): void {
    this.inputs = undefined;
  }

  /** The root-relative path (forward slashes) of an absolute path. */
  relative(path: string): string {
    return toRelative(this.root, path);
  }

  /** The URI of a root-relative file. */
  uriOf(file: string): string {
    return pathToFileURL(join(this.root, ...file.split('/'))).href;
  }

  /** True when `path` (absolute) lies inside this workspace's root. */
  holds(path: string): boolean {
    const prefix = this.root.endsWith(sep) ? this.root : this.root + sep;
    return path === this.root || path.startsWith(prefix);
  }
}

/** Where a document lives: its workspace and its root-relative path. */
export interface Located {
  /** The workspace that scans it. */
  workspace: Workspace;
  /** Path relative to the workspace root, forward slashes. */
  file: string;
}

/**
 * The workspaces of the session: one per workspace folder, plus one per directory of a file opened outside every
 * folder (created when first needed). `environmentChanged` in server.ts calls `reset` when folders change.
 */
export class Workspaces {
  private folders: Workspace[] = [];
  private readonly loose = new Map<string, Workspace>();

  constructor(
    readonly settings: SettingsSource,
    private readonly extraRules: () => Rule[],
  ) {}

  /** Replaces the set of workspace folders (keeping the `Workspace` of a folder that stays, with its facts). */
  setFolders(folders: readonly WorkspaceFolder[]): void {
    const old = new Map(this.folders.map((w) => [w.uri, w]));
    this.folders = folders
      .filter((f) => f.uri.startsWith('file:'))
      .map((f) => old.get(f.uri) ?? new Workspace(f.uri, this.settings, this.extraRules));
    this.loose.clear();
  }

  /** The workspace folders. */
  all(): readonly Workspace[] {
    return this.folders;
  }

  /** The folder workspace with this URI, if any. */
  byUri(uri: string): Workspace | undefined {
    return this.folders.find((w) => w.uri === uri);
  }

  /** The workspace of a folder URI: the workspace folder itself, else a workspace rooted there. */
  folder(uri: string): Workspace | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const known = this.byUri(uri);
    if (known) return known;
    let w = this.loose.get(uri);
    if (!w) this.loose.set(uri, (w = new Workspace(uri, this.settings, this.extraRules)));
    return w;
  }

  /** The workspace of a `file:` URI (the deepest folder holding it, else its directory), and its relative path. */
  locate(uri: string): Located | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const path = fileURLToPath(uri);
    let best: Workspace | undefined;
    for (const w of this.folders) if (w.holds(path) && (!best || w.root.length > best.root.length)) best = w;
    if (!best) {
      const dirUri = pathToFileURL(dirname(path)).href;
      best = this.loose.get(dirUri);
      if (!best) this.loose.set(dirUri, (best = new Workspace(dirUri, this.settings, this.extraRules)));
    }
    return { workspace: best, file: best.relative(path) };
  }

  /**
   * Like `locate`, and for a document that is not a file (an untitled editor) the workspace of the server's
   * working directory with the URI's last segment as its name, so unsaved text is scanned too.
   */
  locateAny(uri: string): Located {
    const loc = this.locate(uri);
    if (loc) return loc;
    const cwd = pathToFileURL(process.cwd()).href;
    let w = this.loose.get(cwd);
    if (!w) this.loose.set(cwd, (w = new Workspace(cwd, this.settings, this.extraRules)));
    return { workspace: w, file: uri.replace(/^.*[\\/]/, '') };
  }

  /** The settings scope of a URI: its folder's URI, else the URI itself. */
  scopeOf(uri: string): string {
    const loc = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    const folder = loc ? this.folders.find((w) => w.holds(loc)) : undefined;
    return folder?.uri ?? uri;
  }

  /** Every workspace whose project inputs may be stale: the folders and the loose directories. */
  everything(): Workspace[] {
    return [...this.folders, ...this.loose.values()];
  }
}
