/**
 * Package vetting on the client side: the "Vet Configured Servers" command, the "Vet package" lens's command (one
 * server entry), the opt-in vetting of a config when it is opened (`mcpSentinel.vet.onOpen`, trusted workspaces
 * only), and the read-only documents that show a vetted package's files. The server does the work
 * (`mcpSentinel/vetServers`, server/lsp/vet.ts); results go to the findings tree under their config.
 *
 * Vetting uses the network, so it starts only from a user's action or that opt-in setting: nothing here runs on
 * activation, and an untrusted workspace never vets by itself (the setting is also restricted, so a workspace cannot
 * switch it on for itself).
 */
import * as vscode from 'vscode';
import { WorkDoneProgress, type WorkDoneProgressBegin, type WorkDoneProgressReport } from 'vscode-languageclient';
import { PackageFile, VetServers, type VetServersParams, type VetServersResult } from '../shared/protocol';
import { isMarkerFileName } from '../shared/mcpMarkers';
import { SETTINGS_SECTION, normaliseSettings } from '../shared/settings';
import { PACKAGE_FILE_SCHEME } from '../shared/vet';
import type { Cmd } from './commands';
import type { Ctx } from './ctx';

/**
 * Sends one vetting request with progress in a cancellable notification, stores the results in the findings tree
 * and tells the user what happened. `quiet` (the opt-in on open) reports in the window's progress area instead and
 * shows no message unless something was found.
 */
export async function runVet(ctx: Ctx, params: VetServersParams, quiet = false): Promise<VetServersResult | undefined> {
  const token = `mcpSentinel-vet-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const location = quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
  const res = await vscode.window.withProgress(
    { location, title: 'MCP Sentinel: vetting', cancellable: !quiet },
    async (progress, uiToken) => {
      const cts = new vscode.CancellationTokenSource();
      uiToken.onCancellationRequested(() => cts.cancel());
      const sub = ctx.client.onProgress(WorkDoneProgress.type, token, (v) => {
        if (v.kind === 'end') return;
        progress.report({ message: (v as WorkDoneProgressBegin | WorkDoneProgressReport).message });
      });
      try {
        return await ctx.client.sendRequest(VetServers.type, { ...params, workDoneToken: token }, cts.token);
      } finally {
        sub.dispose();
        cts.dispose();
      }
    },
  );
  ctx.findings.model.vets.update(res.servers);
  ctx.findings.refresh();
  const vetted = res.servers.filter((s) => s.status === 'vetted').length;
  const msg = res.error
    ? `MCP Sentinel: vetting failed: ${res.error}`
    : `MCP Sentinel: ${res.cancelled ? 'vetting cancelled after' : 'vetted'} ${vetted} of ${res.servers.length} server(s).`;
  ctx.output.appendLine(msg);
  if (res.error && !quiet) void vscode.window.showErrorMessage(msg);
  else if (res.servers.length && !quiet) ctx.findings.focus();
  else if (!res.servers.length && !quiet)
    void vscode.window.showInformationMessage('MCP Sentinel: no configured server launches a package.');
  return res;
}

/** Vets every server of every MCP client config of the workspace (the command palette and the view's menu). */
export function vetServers(ctx: Ctx): Cmd {
  return async (): Promise<VetServersResult | undefined> => {
    if (!vscode.workspace.workspaceFolders?.length) {
      void vscode.window.showInformationMessage(
        'MCP Sentinel: open a folder with an MCP client config to vet its servers.',
      );
      return undefined;
    }
    return runVet(ctx, {});
  };
}

/** Vets one server entry: the "Vet package" lens passes the config's URI and the server's name. */
export function vetServer(ctx: Ctx): Cmd {
  return async (configUri?: string, server?: string): Promise<VetServersResult | undefined> => {
    if (!configUri || !server) return runVet(ctx, {});
    return runVet(ctx, { configs: [configUri], servers: [server] });
  };
}

/**
 * Vets a config's servers when the config is opened, for users who opted in with `mcpSentinel.vet.onOpen`, in a
 * trusted workspace only; each config once per session (a lens click vets again on demand).
 */
export function watchVetOnOpen(ctx: Ctx): vscode.Disposable {
  const done = new Set<string>();
  const consider = (doc: vscode.TextDocument): void => {
    if (doc.uri.scheme !== 'file' || !vscode.workspace.isTrusted) return;
    const name = doc.uri.path.slice(doc.uri.path.lastIndexOf('/') + 1);
    if (!isMarkerFileName(name) || name === '.mcp-sentinel.json') return;
    const key = doc.uri.toString();
    if (done.has(key)) return;
    if (!normaliseSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, doc.uri))['vet.onOpen']) return;
    done.add(key);
    const uri = ctx.client.code2ProtocolConverter.asUri(doc.uri);
    void runVet(ctx, { configs: [uri] }, true).catch((e: unknown) =>
      ctx.output.warn(`MCP Sentinel: vetting ${key} on open failed: ${String(e)}`),
    );
  };
  for (const doc of vscode.workspace.textDocuments) consider(doc);
  return vscode.workspace.onDidOpenTextDocument(consider);
}

/**
 * Serves `mcp-sentinel-package:/npm:<name>@<version>/<path>?<config URI>` documents: a vetted package's file as
 * read-only text, which the server reads from the workspace's node_modules, or for a package fetched from the
 * registry, from its tarball in the cache. When neither holds it any more (a cleared cache), a note says so.
 */
export class PackageFileProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly ctx: Ctx) {}

  /** The file's text, or a note saying why it cannot be shown. */
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const path = uri.path.replace(/^\//, '');
    const r = await this.ctx.client.sendRequest(PackageFile.type, { configUri: uri.query, path });
    return r
      ? r.text
      : `${path}\n\nMCP Sentinel read this file from the package when it vetted it, but can no longer read it without the network (the package is not in node_modules and its tarball is no longer in the cache): vet the package again to see it, or read the finding's message in the findings view.\n`;
  }
}

/** Registers the opt-in watcher and the package file provider for the lifetime of the activation. */
export function registerVetting(ctx: Ctx): void {
  ctx.push(
    vscode.workspace.registerTextDocumentContentProvider(PACKAGE_FILE_SCHEME, new PackageFileProvider(ctx)),
    watchVetOnOpen(ctx),
  );
}
