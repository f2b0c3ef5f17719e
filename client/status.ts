/**
 * The status-bar item: "MCP Sentinel" until the server reports what it runs on, then the regex backend, with the
 * runtime and pool size in its tooltip. Clicking it shows the output channel, where errors are logged (the channel
 * never opens by itself).
 */
import * as vscode from 'vscode';
import { COMMAND_IDS, type ServerStatusParams } from '../shared/protocol';

/** The status-bar item of the extension. */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mcpSentinel.status', vscode.StatusBarAlignment.Right, 50);

  constructor() {
    this.item.name = 'MCP Sentinel';
    this.item.text = '$(shield) MCP Sentinel';
    this.item.command = COMMAND_IDS.showOutput;
    this.item.show();
  }

  /** Shows what the server announced in its `ServerStatus` notification. */
  showServer(s: ServerStatusParams): void {
    this.item.text = `$(shield) MCP Sentinel: ${s.backend}`;
    this.item.tooltip = `Regex backend: ${s.backend}${s.backendReason ? ` (re2 unavailable: ${s.backendReason})` : ''}\nRuntime: ${s.runtime}\nWorkers: ${s.workers}`;
  }

  /** Removes the item. */
  dispose(): void {
    this.item.dispose();
  }
}
