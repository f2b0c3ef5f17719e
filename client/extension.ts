/**
 * The VS Code side of MCP Sentinel (dist/client.js): activation and deactivation only. The shared state lives in
 * `Ctx` (ctx.ts), the language client in client.ts, the commands in commands.ts, the findings tree in findings/,
 * the status item in status.ts and the rule documentation pages in ruleDocsProvider.ts.
 */
import * as vscode from 'vscode';
import { RULE_DOC_SCHEME } from '../shared/protocol';
import { registerCommands } from './commands';
import { State } from 'vscode-languageclient/node';
import { Ctx } from './ctx';
import { findMcpMarker, watchForMarker } from './dormancy';
import type { FindingsSnapshot } from './findings/model';
import { RuleDocsProvider } from './ruleDocsProvider';
import { registerVetting } from './vet';

/**
 * What `activate()` returns: a deliberately tiny API for the end-to-end suite (and nothing else), so it can assert
 * on what the findings tree holds without reading the rendered DOM. Not a public contract for other extensions.
 */
export interface McpSentinelTestApi {
  /** The findings tree right now: counts, files with their visible findings, and the view's real badge. */
  findingsSnapshot(): FindingsSnapshot;
  /** Whether the language server has been started (false while the extension is dormant: no MCP marker yet). */
  serverStarted(): boolean;
}

/**
 * The activation's state, kept only so that `deactivate` can stop the server and wait for it: VS Code disposes the
 * subscriptions without waiting, and a language client must be stopped with its promise awaited.
 */
let active: Ctx | undefined;

/**
 * Creates the shared state, registers the commands and the rule-docs provider, and starts the language server when
 * the workspace has an MCP marker; otherwise stays dormant until one appears (dormancy.ts). Commands that need the
 * server start it on their first request (the language client starts itself), so they work in any workspace.
 */
export async function activate(extension: vscode.ExtensionContext): Promise<McpSentinelTestApi> {
  const ctx = (active = new Ctx(extension));
  ctx.push(vscode.workspace.registerTextDocumentContentProvider(RULE_DOC_SCHEME, new RuleDocsProvider(ctx.client)));
  registerCommands(ctx);
  registerVetting(ctx);
  const marker = await findMcpMarker();
  if (marker) {
    ctx.output.info(`MCP Sentinel: starting (${marker}).`);
    await ctx.client.start();
  } else {
    ctx.output.info('MCP Sentinel: no MCP server or config in this workspace; the server starts when one is opened.');
    ctx.status.showDormant();
    ctx.push(
      watchForMarker((reason) => {
        ctx.output.info(`MCP Sentinel: starting (${reason}).`);
        void ctx.client.start();
      }),
    );
  }
  return { findingsSnapshot: () => ctx.findings.snapshot(), serverStarted: () => ctx.client.state !== State.Stopped };
}

/** Cancels a running scan and stops the language server. */
export async function deactivate(): Promise<void> {
  const ctx = active;
  active = undefined;
  await ctx?.stop();
}
