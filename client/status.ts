/**
 * The status-bar item: "MCP Sentinel" until the server reports what it runs on, then the regex backend, with the
 * runtime and pool size in its tooltip. Clicking it shows the output channel, where errors are logged (the channel
 * never opens by itself).
 */
import * as vscode from 'vscode';
import { COMMAND_IDS, type ServerStatusParams } from '../shared/protocol';

/** What a user can do about the JavaScript fallback, shown in the tooltip and the one-time notification. */
export const JS_FALLBACK_ADVICE =
  'Scans use the slower JavaScript regex engine. For the native re2 engine, install Node.js 20 or later (or set mcpSentinel.server.nodePath) and reinstall the extension for your platform.';

/** The status-bar item of the extension. */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mcpSentinel.status', vscode.StatusBarAlignment.Right, 50);

  constructor() {
    this.item.name = 'MCP Sentinel';
    this.item.text = '$(shield) MCP Sentinel';
    this.item.command = COMMAND_IDS.showOutput;
    this.item.show();
  }

  /** Shows that no server runs because the workspace has no MCP marker yet. */
  showDormant(): void {
    this.item.text = '$(shield) MCP Sentinel: idle';
    this.item.tooltip =
      'No MCP server or client config found in this workspace, so the scanner is not running.\nIt starts when you open one, or run "MCP Sentinel: Scan Workspace".';
  }

  /**
   * Shows what the server announced in its `ServerStatus` notification. The JavaScript regex backend is marked with
   * a warning: it is the slower fallback used when the native re2 addon is missing or the server runs in the
   * editor's own runtime, and a user should be able to see that without opening the log.
   */
  showServer(s: ServerStatusParams): void {
    const fallback = s.backend === 'js';
    this.item.text = `${fallback ? '$(warning)' : '$(shield)'} MCP Sentinel: ${s.backend}`;
    this.item.tooltip =
      `Regex backend: ${s.backend}${s.backendReason ? ` (re2 unavailable: ${s.backendReason})` : ''}\nRuntime: ${s.runtime}\nWorkers: ${s.workers}` +
      (fallback ? `\n${JS_FALLBACK_ADVICE}` : '');
  }

  /** Removes the item. */
  dispose(): void {
    this.item.dispose();
  }
}
