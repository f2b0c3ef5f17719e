/**
 * The state the client's parts share, in one object: the output channel, the findings tree, the status item, the
 * language client and the running workspace scan. Commands are factories over it (commands.ts), so no other module
 * keeps state of its own; extension.ts holds only the reference that `deactivate` needs.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FileFindingsRestorer } from '../shared/findingShifts';
import { FileFindings, ServerStatus } from '../shared/protocol';
import { SETTINGS_SECTION, normaliseSettings, restartSettings } from '../shared/settings';
import { createClient } from './client';
import { FindingsTree } from './findings/view';
import { CONTEXT_KEYS } from './manifest';
import { JS_FALLBACK_ADVICE, StatusItem } from './status';

/** The shared state of one activation of the extension. */
export class Ctx {
  /** The one output channel: the client's log, the server's log and the LSP trace. */
  readonly output = vscode.window.createOutputChannel('MCP Sentinel', { log: true });
  /** The findings tree, filled by the server's `FileFindings` notifications. */
  readonly findings: FindingsTree;
  /** The status-bar item, updated by the server's `ServerStatus` notification. */
  readonly status = new StatusItem();
  /** The language client; created here, started by `activate`. */
  readonly client: LanguageClient;
  /** Cancels the workspace scan that is running, if any. */
  scan: vscode.CancellationTokenSource | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    const settings = normaliseSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION));
    this.findings = new FindingsTree(settings.showSuppressed);
    this.push(this.output, this.findings, this.status);
    void this.setContext(CONTEXT_KEYS.scanning, false);
    this.client = createClient(extension, this.output, settings);
    // An edit's findings usually come as changes to the previous list of the file (most findings moved a line): the
    // restorer keeps each file's last list, whatever the tree shows.
    const restorer = new FileFindingsRestorer();
    this.client.onNotification(FileFindings.type, (p) => {
      let full;
      try {
        full = restorer.restore(p);
      } catch (e) {
        this.output.error(
          `The findings of ${p.uri} could not be updated: ${e instanceof Error ? e.message : String(e)}`,
        );
        return;
      }
      this.findings.model.update(full);
      this.findings.refresh();
    });
    this.client.onNotification(ServerStatus.type, (s) => {
      this.status.showServer(s);
      if (s.backend === 'js') void this.noticeJsFallback(s.backendReason);
    });
    this.push(vscode.workspace.onDidChangeConfiguration((e) => this.configurationChanged(e)));
  }

  /**
   * Tells the user once (per installation) that the native regex engine is missing: the status item keeps showing
   * it, but a silent fallback is how users of other platforms never learned that scans could be faster. Not shown
   * when the user chose the editor's runtime, which never loads re2.
   */
  private async noticeJsFallback(reason: string | undefined): Promise<void> {
    const key = 'mcpSentinel.jsFallbackNoticeShown';
    const runtime = normaliseSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION))['server.runtime'];
    if (runtime === 'vscode' || this.extension.globalState.get(key)) return;
    await this.extension.globalState.update(key, true);
    const why = reason ? ` (re2 did not load: ${reason})` : '';
    const pick = await vscode.window.showWarningMessage(`MCP Sentinel${why}: ${JS_FALLBACK_ADVICE}`, 'Show Output');
    if (pick === 'Show Output') this.output.show(true);
  }

  /** Disposes these when the extension deactivates. */
  push(...disposables: vscode.Disposable[]): void {
    this.extension.subscriptions.push(...disposables);
  }

  /** Sets a context key that the manifest's `when` clauses read. */
  setContext(key: string, value: unknown): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', key, value);
  }

  /** Cancels a running scan and stops the server. */
  async stop(): Promise<void> {
    this.scan?.cancel();
    await this.client.stop();
  }

  /**
   * Applies what the client reads itself (the tree's "show suppressed" filter) and offers a restart when a setting
   * read only at server start changed; the server picks up every other setting on its own.
   */
  private configurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (e.affectsConfiguration(`${SETTINGS_SECTION}.showSuppressed`)) {
      this.findings.model.filters.showSuppressed = normaliseSettings(
        vscode.workspace.getConfiguration(SETTINGS_SECTION),
      ).showSuppressed;
      this.findings.refresh();
    }
    if (restartSettings().some((key) => e.affectsConfiguration(key))) {
      void vscode.window
        .showInformationMessage('MCP Sentinel: the server runtime changed. Restart the server?', 'Restart')
        .then((a) =>
          a === 'Restart' ? vscode.commands.executeCommand('workbench.action.restartExtensionHost') : undefined,
        );
    }
  }
}
