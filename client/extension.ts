/**
 * The VS Code side of MCP Sentinel (dist/client.js): starts the language server, shows the findings tree, the
 * status item and the commands. Logic worth testing lives in modules without `vscode` (nodeRuntime.ts,
 * findingsModel.ts); this file is glue.
 */
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import {
  CodeAction,
  CodeActionRequest,
  WorkDoneProgress,
  type WorkDoneProgressBegin,
  type WorkDoneProgressReport,
} from 'vscode-languageclient';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  ClearFindings,
  COMMAND_IDS,
  ExportReport,
  FileFindings,
  RULE_DOC_SCHEME,
  RuleDocs,
  ScanWorkspace,
  ServerStatus,
  SUPPRESS_LINE_ACTION_KIND,
  type ReportFormat,
  type SuppressLineActionData,
} from '../shared/protocol';
import { SETTINGS_SECTION, normaliseSettings, restartSettings } from '../shared/settings';
import { CATEGORIES, type Category, type Severity } from '../shared/types';
import { FindingsView, labelOf, type FindingNode } from './findingsView';
import { FindingsModel, SEVERITY_ORDER, type FindingsSnapshot } from './findingsModel';
import { findNode, planLaunch, type LaunchPlan } from './nodeRuntime';

/** The languages whose documents the server scans (also the `onLanguage:` activation events). */
export const SCANNED_LANGUAGES = [
  'typescript',
  'typescriptreact',
  'javascript',
  'javascriptreact',
  'python',
  'json',
  'jsonc',
  'yaml',
  'dockerfile',
  'dotenv',
];

/**
 * What `activate()` returns: a deliberately tiny API for the end-to-end suite (and nothing else), so it can assert
 * on what the findings tree holds without reading the rendered DOM. Not a public contract for other extensions.
 */
export interface McpSentinelTestApi {
  /** The findings tree right now: counts, files with their visible findings, and the view's real badge. */
  findingsSnapshot(): FindingsSnapshot;
}

/** Formats the export command writes, with their file extension and save-dialog label. */
const EXPORT_FORMATS: readonly { label: string; format: ReportFormat; ext: string }[] = [
  { label: 'SARIF', format: 'sarif', ext: 'sarif' },
  { label: 'JSON', format: 'json', ext: 'json' },
  { label: 'HTML', format: 'html', ext: 'html' },
];

let client: LanguageClient | undefined;
let scanCts: vscode.CancellationTokenSource | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<McpSentinelTestApi> {
  const output = vscode.window.createOutputChannel('MCP Sentinel', { log: true });
  const model = new FindingsModel();
  const settings = normaliseSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION));
  model.filters.showSuppressed = settings.showSuppressed;
  const view = new FindingsView(model);
  const tree = vscode.window.createTreeView('mcpSentinel.findings', { treeDataProvider: view, showCollapseAll: true });
  const status = vscode.window.createStatusBarItem('mcpSentinel.status', vscode.StatusBarAlignment.Right, 50);
  status.name = 'MCP Sentinel';
  status.text = '$(shield) MCP Sentinel';
  status.command = COMMAND_IDS.showOutput;
  status.show();
  context.subscriptions.push(output, tree, status);

  const refresh = (): void => {
    view.refresh();
    const c = model.counts();
    tree.badge = c.total ? { value: c.total, tooltip: `${c.total} MCP Sentinel finding(s)` } : undefined;
    void vscode.commands.executeCommand('setContext', 'mcpSentinel.hasFindings', c.total + c.suppressed > 0);
  };
  void vscode.commands.executeCommand('setContext', 'mcpSentinel.grouping', model.grouping);
  void vscode.commands.executeCommand('setContext', 'mcpSentinel.scanning', false);

  // Rule documentation as virtual Markdown documents (`mcp-sentinel-rule:/<id>.md`), rendered by the server; works offline.
  const docs: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent: async (uri) => {
      const id = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
      const r = client ? await client.sendRequest(RuleDocs.type, { ruleId: id }) : null;
      return r ? r.markdown : `# ${id}\n\nNo MCP Sentinel rule has this id.\n`;
    },
  };
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(RULE_DOC_SCHEME, docs));

  const openDocs = async (ruleId?: string): Promise<void> => {
    const id =
      ruleId ?? (await vscode.window.showInputBox({ prompt: 'Rule id', placeHolder: 'e.g. mcp-tool-poisoning' }));
    if (!id) return;
    const uri = vscode.Uri.from({ scheme: RULE_DOC_SCHEME, path: `/${encodeURIComponent(id)}.md` });
    await vscode.commands
      .executeCommand('markdown.showPreview', uri)
      .then(undefined, () => vscode.window.showTextDocument(uri));
  };

  const plan = launchPlan(settings['server.runtime'], settings['server.nodePath']);
  output.appendLine(
    `MCP Sentinel: starting the server with ${plan.kind === 'node' ? `node ${plan.node.version}` : "the editor's runtime"} (${plan.reason}).`,
  );
  client = new LanguageClient('mcpSentinel', 'MCP Sentinel', serverOptions(context, plan), clientOptions(output));
  client.onNotification(FileFindings.type, (p) => {
    model.update(p);
    refresh();
  });
  client.onNotification(ServerStatus.type, (s) => {
    status.text = `$(shield) MCP Sentinel: ${s.backend}`;
    status.tooltip = `Regex backend: ${s.backend}${s.backendReason ? ` (re2 unavailable: ${s.backendReason})` : ''}\nRuntime: ${s.runtime}\nWorkers: ${s.workers}`;
  });

  const register = (id: string, fn: (...args: never[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, fn as (...args: unknown[]) => unknown));
  };
  register(COMMAND_IDS.scanWorkspace, () => scanWorkspace());
  register(COMMAND_IDS.cancelScan, () => scanCts?.cancel());
  // Both arguments are optional: from the palette or the view the user picks them; scripts and tests pass them.
  register(COMMAND_IDS.exportReport, (format?: ReportFormat, target?: vscode.Uri | string) =>
    exportReport(format, target),
  );
  register(COMMAND_IDS.showOutput, () => output.show(true));
  register(COMMAND_IDS.openRuleDocumentation, (arg?: string | FindingNode) =>
    openDocs(typeof arg === 'string' ? arg : arg?.item?.finding.ruleId),
  );
  register(COMMAND_IDS.clearFindings, () => {
    model.clear();
    refresh();
    void client?.sendNotification(ClearFindings.type, {});
  });
  register(COMMAND_IDS.groupByFile, () => setGrouping('file'));
  register(COMMAND_IDS.groupByCategory, () => setGrouping('category'));
  register(COMMAND_IDS.filterSeverity, async () => {
    const picked = await vscode.window.showQuickPick(
      SEVERITY_ORDER.map((s) => ({
        label: s,
        picked: !model.filters.severities.length || model.filters.severities.includes(s),
      })),
      { canPickMany: true, title: 'Show findings of these severities' },
    );
    if (!picked) return;
    model.filters.severities = picked.length === SEVERITY_ORDER.length ? [] : picked.map((p) => p.label as Severity);
    refresh();
  });
  register(COMMAND_IDS.filterCategory, async () => {
    const picked = await vscode.window.showQuickPick(
      CATEGORIES.map((c) => ({
        label: c,
        picked: !model.filters.categories.length || model.filters.categories.includes(c),
      })),
      { canPickMany: true, title: 'Show findings of these categories' },
    );
    if (!picked) return;
    model.filters.categories = picked.length === CATEGORIES.length ? [] : picked.map((p) => p.label as Category);
    refresh();
  });
  register(COMMAND_IDS.toggleShowSuppressed, () => {
    model.filters.showSuppressed = !model.filters.showSuppressed;
    refresh();
  });
  register(COMMAND_IDS.copyFingerprint, (node?: FindingNode) => {
    if (node?.item) void vscode.env.clipboard.writeText(node.item.finding.fingerprint);
  });
  register(COMMAND_IDS.suppressFinding, (node?: FindingNode) => node?.item && suppressFromTree(node));

  function setGrouping(g: 'file' | 'category'): void {
    model.grouping = g;
    void vscode.commands.executeCommand('setContext', 'mcpSentinel.grouping', g);
    refresh();
  }

  async function scanWorkspace(): Promise<void> {
    if (!client) return;
    if (!vscode.workspace.workspaceFolders?.length) {
      void vscode.window.showInformationMessage('MCP Sentinel: open a folder to scan it.');
      return;
    }
    scanCts?.cancel();
    const cts = (scanCts = new vscode.CancellationTokenSource());
    const token = `mcpSentinel-scan-${Date.now()}`;
    await vscode.commands.executeCommand('setContext', 'mcpSentinel.scanning', true);
    try {
      const res = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'MCP Sentinel', cancellable: true },
        async (progress, uiToken) => {
          uiToken.onCancellationRequested(() => cts.cancel());
          let last = 0;
          const sub = client!.onProgress(WorkDoneProgress.type, token, (v) => {
            if (v.kind === 'end') return;
            const p = v as WorkDoneProgressBegin | WorkDoneProgressReport;
            const pct = p.percentage ?? last;
            progress.report({ message: p.message, increment: pct - last });
            last = pct;
          });
          try {
            return await client!.sendRequest(ScanWorkspace.type, { workDoneToken: token }, cts.token);
          } finally {
            sub.dispose();
          }
        },
      );
      const msg = `MCP Sentinel: ${res.cancelled ? 'scan cancelled after' : 'scanned'} ${res.scanned}/${res.total} files, ${res.findings} finding(s)${res.skipped.length ? `, ${res.skipped.length} skipped` : ''}.`;
      output.appendLine(msg);
      if (res.findings) void vscode.commands.executeCommand('mcpSentinel.findings.focus');
      else void vscode.window.setStatusBarMessage(msg, 5000);
    } finally {
      if (scanCts === cts) scanCts = undefined;
      await vscode.commands.executeCommand('setContext', 'mcpSentinel.scanning', false);
    }
  }

  /**
   * Exports the findings the server holds as a report. Without arguments it asks for the format and the file; a
   * `format` skips the first question and a `target` (URI or URI string) the second. Resolves with the written file.
   */
  async function exportReport(format?: ReportFormat, target?: vscode.Uri | string): Promise<vscode.Uri | undefined> {
    if (!client) return undefined;
    const pick = format
      ? EXPORT_FORMATS.find((f) => f.format === format)
      : await vscode.window.showQuickPick(EXPORT_FORMATS, { title: 'Export MCP Sentinel report' });
    if (!pick) {
      if (format)
        void vscode.window.showErrorMessage(
          `MCP Sentinel: unknown report format "${String(format)}" (expected sarif, json or html).`,
        );
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    const file = target
      ? typeof target === 'string'
        ? vscode.Uri.parse(target)
        : target
      : await vscode.window.showSaveDialog({
          defaultUri: folder ? vscode.Uri.joinPath(folder.uri, `mcp-sentinel.${pick.ext}`) : undefined,
          filters: { [pick.label]: [pick.ext] },
        });
    if (!file) return undefined;
    const res = await client.sendRequest(ExportReport.type, {
      format: pick.format,
      folder: folder?.uri.toString(),
    });
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(res.content));
    void vscode.window.showInformationMessage(
      `MCP Sentinel: wrote ${res.findings} finding(s) to ${vscode.workspace.asRelativePath(file)}.`,
    );
    return file;
  }

  async function suppressFromTree(node: FindingNode): Promise<void> {
    const f = node.item!.finding;
    const uri = vscode.Uri.parse(node.item!.uri);
    const range = new vscode.Range(
      f.range.start.line,
      f.range.start.character,
      f.range.end.line,
      f.range.end.character,
    );
    await vscode.window.showTextDocument(uri, { selection: range, preview: true });
    // The server builds suppressions (comment syntax or ignore file); reuse its code action instead of duplicating
    // it. The action is found by its kind and the fingerprint in its data, never by its title: asking the server
    // directly (not through vscode.executeCodeActionProvider, which drops `data`) keeps that identity.
    const c = client;
    if (!c) return;
    const actions = await c.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: c.code2ProtocolConverter.asUri(uri) },
      range: f.range,
      context: { diagnostics: [], only: [SUPPRESS_LINE_ACTION_KIND] },
    });
    const action = actions?.find(
      (a): a is CodeAction =>
        CodeAction.is(a) &&
        a.kind === SUPPRESS_LINE_ACTION_KIND &&
        (a.data as SuppressLineActionData | undefined)?.fingerprint === f.fingerprint,
    );
    const edit = action?.edit ? await c.protocol2CodeConverter.asWorkspaceEdit(action.edit) : undefined;
    if (!edit) {
      void vscode.window.showWarningMessage(`MCP Sentinel: this ${f.ruleId} finding cannot be suppressed from here.`);
      return;
    }
    await vscode.workspace.applyEdit(edit);
  }

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.showSuppressed`)) {
        model.filters.showSuppressed = normaliseSettings(
          vscode.workspace.getConfiguration(SETTINGS_SECTION),
        ).showSuppressed;
        refresh();
      }
      if (restartSettings().some((key) => e.affectsConfiguration(key))) {
        void vscode.window
          .showInformationMessage('MCP Sentinel: the server runtime changed. Restart the server?', 'Restart')
          .then((a) =>
            a === 'Restart' ? vscode.commands.executeCommand('workbench.action.restartExtensionHost') : undefined,
          );
      }
    }),
  );

  await client.start();
  return {
    findingsSnapshot: () => ({ ...model.snapshot(labelOf), badge: tree.badge?.value }),
  };
}

export async function deactivate(): Promise<void> {
  scanCts?.cancel();
  await client?.stop();
  client = undefined;
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

function serverOptions(context: vscode.ExtensionContext, plan: LaunchPlan): ServerOptions {
  const module = context.asAbsolutePath('dist/server.js');
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

function clientOptions(output: vscode.LogOutputChannel): LanguageClientOptions {
  return {
    documentSelector: [
      ...SCANNED_LANGUAGES.map((language) => ({ scheme: 'file', language })),
      {
        scheme: 'file',
        pattern:
          '**/{.env,.env.*,*.env,Dockerfile,Dockerfile.*,*.dockerfile,Containerfile,*.toml,*.ini,*.cfg,*.conf,*.properties,*.sh,.npmrc,.pypirc}',
      },
      ...SCANNED_LANGUAGES.map((language) => ({ scheme: 'untitled', language })),
    ],
    outputChannel: output,
    traceOutputChannel: output,
    // The output channel never pops open by itself: errors are logged there and the status item links to it.
    revealOutputChannelOn: 4 /* RevealOutputChannelOn.Never */,
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      // Project config, ignore file and baselines change how files scan: the server reopens projects on change.
      fileEvents: vscode.workspace.createFileSystemWatcher(
        '**/{.mcp-sentinel.json,.mcp-sentinel/*.json,*baseline*.json}',
      ),
    },
  };
}
