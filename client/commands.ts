/**
 * Every command of the extension, as one factory per command over the shared `Ctx`, registered from one table
 * keyed by the command names of `COMMAND_IDS`: a command the manifest contributes without a handler here (or the
 * other way round) does not compile.
 */
import * as vscode from 'vscode';
import {
  CodeAction,
  CodeActionRequest,
  WorkDoneProgress,
  type WorkDoneProgressBegin,
  type WorkDoneProgressReport,
} from 'vscode-languageclient';
import {
  ClearFindings,
  COMMAND_IDS,
  ExportReport,
  ScanWorkspace,
  SUPPRESS_LINE_ACTION_KIND,
  type CommandName,
  type ReportFormat,
  type SuppressLineActionData,
} from '../shared/protocol';
import { CATEGORIES } from '../shared/types';
import type { Ctx } from './ctx';
import { SEVERITY_ORDER } from './findings/model';
import type { FindingNode } from './findings/view';
import { CONTEXT_KEYS } from './manifest';
import { showRuleDocs } from './ruleDocsProvider';
import { vetServer, vetServers } from './vet';

/** A command handler, with whatever arguments its callers (palette, tree, scripts and tests) pass. */
export type Cmd = (...args: never[]) => unknown;

/** Builds a command's handler over the shared state. */
export type CommandFactory = (ctx: Ctx) => Cmd;

/**
 * Scans every workspace folder in the server's worker pool, with cancellable progress in a notification; results
 * stream into the tree while it runs. A second scan cancels the first.
 */
export function scanWorkspace(ctx: Ctx): Cmd {
  return async (): Promise<void> => {
    if (!vscode.workspace.workspaceFolders?.length) {
      void vscode.window.showInformationMessage('MCP Sentinel: open a folder to scan it.');
      return;
    }
    ctx.scan?.cancel();
    const cts = (ctx.scan = new vscode.CancellationTokenSource());
    const token = `mcpSentinel-scan-${Date.now()}`;
    await ctx.setContext(CONTEXT_KEYS.scanning, true);
    try {
      const res = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'MCP Sentinel', cancellable: true },
        async (progress, uiToken) => {
          uiToken.onCancellationRequested(() => cts.cancel());
          let last = 0;
          const sub = ctx.client.onProgress(WorkDoneProgress.type, token, (v) => {
            if (v.kind === 'end') return;
            const p = v as WorkDoneProgressBegin | WorkDoneProgressReport;
            const pct = p.percentage ?? last;
            progress.report({ message: p.message, increment: pct - last });
            last = pct;
          });
          try {
            return await ctx.client.sendRequest(ScanWorkspace.type, { workDoneToken: token }, cts.token);
          } finally {
            sub.dispose();
          }
        },
      );
      const msg = `MCP Sentinel: ${res.cancelled ? 'scan cancelled after' : 'scanned'} ${res.scanned}/${res.total} files, ${res.findings} finding(s)${res.skipped.length ? `, ${res.skipped.length} skipped` : ''}.`;
      ctx.output.appendLine(msg);
      if (res.findings) ctx.findings.focus();
      else void vscode.window.setStatusBarMessage(msg, 5000);
    } finally {
      if (ctx.scan === cts) ctx.scan = undefined;
      await ctx.setContext(CONTEXT_KEYS.scanning, false);
    }
  };
}

/** Cancels the running workspace scan; the findings found so far stay. */
export function cancelScan(ctx: Ctx): Cmd {
  return () => ctx.scan?.cancel();
}

/** Formats the export command writes, with their file extension and save-dialog label. */
const EXPORT_FORMATS: readonly { label: string; format: ReportFormat; ext: string }[] = [
  { label: 'SARIF', format: 'sarif', ext: 'sarif' },
  { label: 'JSON', format: 'json', ext: 'json' },
  { label: 'HTML', format: 'html', ext: 'html' },
];

/**
 * Exports the findings the server holds as a report. Both arguments are optional: from the palette or the view the
 * user picks them, scripts and tests pass them. Without arguments it asks for the format and the file; a `format`
 * skips the first question and a `target` (URI or URI string) the second. Resolves with the written file.
 */
export function exportReport(ctx: Ctx): Cmd {
  return async (format?: ReportFormat, target?: vscode.Uri | string): Promise<vscode.Uri | undefined> => {
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
    const res = await ctx.client.sendRequest(ExportReport.type, {
      format: pick.format,
      folder: folder?.uri.toString(),
    });
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(res.content));
    void vscode.window.showInformationMessage(
      `MCP Sentinel: wrote ${res.findings} finding(s) to ${vscode.workspace.asRelativePath(file)}.`,
    );
    return file;
  };
}

/** Shows the output channel (the status item runs this). */
export function showOutput(ctx: Ctx): Cmd {
  return () => ctx.output.show(true);
}

/**
 * Opens a rule's documentation. The argument is a rule id (from the server's "Show documentation" code action) or
 * a tree node (from the tree's context menu); from the palette it asks for the id.
 */
export function openRuleDocumentation(): Cmd {
  return async (arg?: string | FindingNode): Promise<void> => {
    const id =
      (typeof arg === 'string' ? arg : arg?.item?.finding.ruleId) ??
      (await vscode.window.showInputBox({ prompt: 'Rule id', placeHolder: 'e.g. mcp-tool-poisoning' }));
    if (id) await showRuleDocs(id);
  };
}

/** Empties the tree and asks the server to forget the workspace-scan results of files that are not open. */
export function clearFindings(ctx: Ctx): Cmd {
  return () => {
    ctx.findings.model.clear();
    ctx.findings.refresh();
    void ctx.client.sendNotification(ClearFindings.type, {});
  };
}

/** Groups the tree by file. */
export function groupByFile(ctx: Ctx): Cmd {
  return () => ctx.findings.setGrouping('file');
}

/** Groups the tree by category, then file. */
export function groupByCategory(ctx: Ctx): Cmd {
  return () => ctx.findings.setGrouping('category');
}

/**
 * Asks which of `all` to show, with the `current` filter ticked (an empty filter means all); resolves with the new
 * filter (empty again when everything is picked), or undefined when the user dismissed the picker.
 */
async function pickFilter<T extends string>(
  all: readonly T[],
  current: readonly T[],
  title: string,
): Promise<T[] | undefined> {
  const picked = await vscode.window.showQuickPick(
    all.map((label) => ({ label, picked: !current.length || current.includes(label) })),
    { canPickMany: true, title },
  );
  if (!picked) return undefined;
  return picked.length === all.length ? [] : picked.map((p) => p.label);
}

/** Shows only the findings of the severities the user picks. */
export function filterSeverity(ctx: Ctx): Cmd {
  return async (): Promise<void> => {
    const filters = ctx.findings.model.filters;
    const picked = await pickFilter(SEVERITY_ORDER, filters.severities, 'Show findings of these severities');
    if (!picked) return;
    filters.severities = picked;
    ctx.findings.refresh();
  };
}

/** Shows only the findings of the categories the user picks. */
export function filterCategory(ctx: Ctx): Cmd {
  return async (): Promise<void> => {
    const filters = ctx.findings.model.filters;
    const picked = await pickFilter(CATEGORIES, filters.categories, 'Show findings of these categories');
    if (!picked) return;
    filters.categories = picked;
    ctx.findings.refresh();
  };
}

/** Shows or hides suppressed findings in the tree (for this session; the setting gives the starting value). */
export function toggleShowSuppressed(ctx: Ctx): Cmd {
  return () => {
    ctx.findings.model.filters.showSuppressed = !ctx.findings.model.filters.showSuppressed;
    ctx.findings.refresh();
  };
}

/**
 * Suppresses a finding of the tree on its line. The server builds suppressions (a directive in the file's comment
 * syntax, or an ignore-file entry where the file cannot hold comments), so this applies the server's own
 * suppress-line action instead of building one again. The action is found by its kind and the fingerprint in its
 * data, never by its title; the request goes to the server directly because `vscode.executeCodeActionProvider`
 * drops an action's `data`.
 */
export function suppressFinding(ctx: Ctx): Cmd {
  return async (node?: FindingNode): Promise<void> => {
    if (!node?.item) return;
    const f = node.item.finding;
    const uri = vscode.Uri.parse(node.item.uri);
    const range = new vscode.Range(
      f.range.start.line,
      f.range.start.character,
      f.range.end.line,
      f.range.end.character,
    );
    await vscode.window.showTextDocument(uri, { selection: range, preview: true });
    const actions = await ctx.client.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: ctx.client.code2ProtocolConverter.asUri(uri) },
      range: f.range,
      context: { diagnostics: [], only: [SUPPRESS_LINE_ACTION_KIND] },
    });
    const action = actions?.find(
      (a): a is CodeAction =>
        CodeAction.is(a) &&
        a.kind === SUPPRESS_LINE_ACTION_KIND &&
        (a.data as SuppressLineActionData | undefined)?.fingerprint === f.fingerprint,
    );
    const edit = action?.edit ? await ctx.client.protocol2CodeConverter.asWorkspaceEdit(action.edit) : undefined;
    if (!edit) {
      void vscode.window.showWarningMessage(`MCP Sentinel: this ${f.ruleId} finding cannot be suppressed from here.`);
      return;
    }
    await vscode.workspace.applyEdit(edit);
  };
}

/** Copies a tree finding's fingerprint (what baselines and ignore-file entries name). */
export function copyFingerprint(): Cmd {
  return (node?: FindingNode) => {
    if (node?.item) void vscode.env.clipboard.writeText(node.item.finding.fingerprint);
  };
}

/** Every command's factory, keyed by its name in `COMMAND_IDS`. */
const COMMANDS: { readonly [K in CommandName]: CommandFactory } = {
  scanWorkspace,
  cancelScan,
  exportReport,
  showOutput,
  openRuleDocumentation,
  clearFindings,
  groupByFile,
  groupByCategory,
  filterSeverity,
  filterCategory,
  toggleShowSuppressed,
  suppressFinding,
  copyFingerprint,
  vetServers,
  vetServer,
};

/** Registers every command for the lifetime of the activation. */
export function registerCommands(ctx: Ctx): void {
  for (const [name, factory] of Object.entries(COMMANDS) as [CommandName, CommandFactory][]) {
    const handler = factory(ctx) as (...args: unknown[]) => unknown;
    ctx.push(vscode.commands.registerCommand(COMMAND_IDS[name], handler));
  }
}
