/**
 * Project files in the editor: problems in a folder's config, ignore file, baseline or pin file are published as
 * Error diagnostics on that file (the workers keep scanning with the valid parts), and the files a project reads
 * under unusual names are watched, so that editing any of them outside the editor reopens the project.
 */
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DidChangeWatchedFilesNotification, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { isProjectFilePath } from '../../shared/projectFiles';
import type { Workspaces } from './workspace';

/** Config errors and watchers of every workspace folder. */
export class ProjectFiles {
  private extraWatch: { key: string; registration: Promise<{ dispose(): void }> } | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  private published = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly workspaces: Workspaces,
    private readonly canRegisterWatchers: () => boolean,
    /** Republishes everything MCP Sentinel has to say about a URI (findings and config errors together). */
    private readonly republish: (uri: string) => void,
  ) {}

  /**
   * True for the files that change how a project scans: its config, ignore file, pin file and baselines (by the
   * usual names, and any other file a project actually read, such as a baseline the config names).
   */
  isProjectFile(uri: string): boolean {
    return isProjectFilePath(uri) || this.workspaces.all().some((w) => w.inputUris.has(uri));
  }

  /** The config-error diagnostics of a URI, from every folder that read it. */
  diagnosticsOf(uri: string): Diagnostic[] {
    return this.workspaces.all().flatMap((w) => w.configErrors.get(uri) ?? []);
  }

  /**
   * Re-reads every folder's project files and publishes their errors; URIs whose errors are gone get theirs
   * cleared. Refreshes run one after another, so a slow one can never overwrite a newer one's result.
   */
  refresh(): Promise<void> {
    const run = (): Promise<void> => this.refreshNow();
    this.refreshing = this.refreshing.then(run, run).catch((e: unknown) => {
      this.connection.console.error(`MCP Sentinel: cannot check the project files: ${messageOf(e)}`);
    });
    return this.refreshing;
  }

  private async refreshNow(): Promise<void> {
    for (const w of this.workspaces.everything()) {
      try {
        await w.reload();
      } catch (e) {
        this.connection.console.error(`MCP Sentinel: cannot read the project files of ${w.root}: ${messageOf(e)}`);
      }
    }
    try {
      await this.watchUnusualProjectFiles();
    } catch (e) {
      this.connection.console.warn(`MCP Sentinel: cannot watch project files: ${messageOf(e)}`);
    }
    const now = new Set(this.workspaces.all().flatMap((w) => [...w.configErrors.keys()]));
    for (const uri of new Set([...this.published, ...now])) this.republish(uri);
    this.published = now;
  }

  /**
   * The client watches project files by their usual names; a file a project reads under another name (a baseline
   * the config names `known-findings.json`, a `configFile` setting) is watched through a dynamic registration,
   * when the client supports it.
   */
  private async watchUnusualProjectFiles(): Promise<void> {
    if (!this.canRegisterWatchers()) return;
    const paths = [...new Set(this.workspaces.all().flatMap((w) => [...w.inputUris]))]
      .filter((u) => !isProjectFilePath(u))
      .map((u) => fileURLToPath(u).split(sep).join('/'))
      .sort();
    const key = paths.join('\0');
    if (this.extraWatch?.key === key) return;
    const old = this.extraWatch;
    this.extraWatch = undefined;
    if (old) (await old.registration).dispose();
    if (!paths.length) return;
    this.extraWatch = {
      key,
      registration: this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: paths.map((globPattern) => ({ globPattern })),
      }),
    };
  }
}

/** The message of an unknown thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
