/**
 * The language client: how the server is launched (the user's `node` when one is found, so the native re2 addon
 * loads, else the editor's own runtime) and what the client sends it (which documents, settings, file events).
 */
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SCANNED_LANGUAGE_IDS, SELECTOR_GLOB } from '../shared/languages';
import { PROJECT_FILES_GLOB } from '../shared/projectFiles';
import { SETTINGS_SECTION, type SentinelSettings } from '../shared/settings';
import { findNode, planLaunch, type LaunchPlan } from './nodeRuntime';

/**
 * Creates the language client (not started) with the launch plan the settings ask for, and logs that plan to the
 * output channel so a user can see which runtime (and so which regex backend) the server got.
 */
export function createClient(
  extension: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  settings: SentinelSettings,
): LanguageClient {
  const plan = launchPlan(settings['server.runtime'], settings['server.nodePath']);
  output.appendLine(
    `MCP Sentinel: starting the server with ${plan.kind === 'node' ? `node ${plan.node.version}` : "the editor's runtime"} (${plan.reason}).`,
  );
  return new LanguageClient('mcpSentinel', 'MCP Sentinel', serverOptions(extension, plan), clientOptions(output));
}

/** Decides the runtime; in an untrusted workspace only absolute PATH entries are searched (never `.` or relative ones). */
function launchPlan(runtime: 'auto' | 'node' | 'vscode', nodePath: string): LaunchPlan {
  if (runtime === 'vscode') return planLaunch(runtime, undefined);
  const pathEnv = (process.env.PATH ?? '')
    .split(process.platform === 'win32' ? ';' : ':')
    .filter((d) => d && isAbsolute(d))
    .join(process.platform === 'win32' ? ';' : ':');
  const node = findNode({ configuredPath: nodePath || undefined, pathEnv });
  return planLaunch(runtime, node);
}

/** How to start the server: over stdio with the found `node`, or over IPC in the editor's own runtime. */
function serverOptions(extension: vscode.ExtensionContext, plan: LaunchPlan): ServerOptions {
  const module = extension.asAbsolutePath('dist/server.js');
  if (plan.kind === 'node') {
    return {
      command: plan.node.path,
      args: [module, '--stdio'],
      transport: TransportKind.stdio,
      options: { env: { ...process.env } },
    };
  }
  // In the editor's own runtime re2's native addon cannot load (Electron ABI), so the JS backend runs, with V8's
  // linear-time engine as the backstop against catastrophic backtracking.
  return {
    module,
    transport: TransportKind.ipc,
    options: {
      execArgv: ['--enable-experimental-regexp-engine-on-excessive-backtracks'],
      env: { ...process.env, MCP_SENTINEL_REGEX: 'js' },
    },
  };
}

/** Which documents the server sees, where it logs, and which settings and file events it is sent. */
function clientOptions(output: vscode.LogOutputChannel): LanguageClientOptions {
  return {
    documentSelector: [
      ...SCANNED_LANGUAGE_IDS.map((language) => ({ scheme: 'file', language })),
      {
        scheme: 'file',
        pattern: SELECTOR_GLOB,
      },
      ...SCANNED_LANGUAGE_IDS.map((language) => ({ scheme: 'untitled', language })),
    ],
    outputChannel: output,
    traceOutputChannel: output,
    // The output channel never pops open by itself: errors are logged there and the status item links to it.
    revealOutputChannelOn: 4 /* RevealOutputChannelOn.Never */,
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      // Project config, ignore file and baselines change how files scan: the server reopens projects on change.
      fileEvents: vscode.workspace.createFileSystemWatcher(PROJECT_FILES_GLOB),
    },
  };
}
