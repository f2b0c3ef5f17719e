/**
 * The findings tree in the editor: `FindingsView` turns the model's nodes into TreeItems, and `FindingsTree` owns the
 * model, the view and what follows a change (redraw, badge, the context keys the manifest's `when` clauses read).
 * All grouping and filtering lives in model.ts.
 */
import * as vscode from 'vscode';
import { CONTEXT_KEYS, FINDINGS_VIEW } from '../manifest';
import {
  FindingsModel,
  describeFinding,
  describeSuppression,
  severityIcon,
  type FindingsSnapshot,
  type Grouping,
  type LocatedFinding,
  type TreeNode,
} from './model';
import { vetTreeItem } from './vetView';

/** A tree node as VS Code hands it back to commands (context actions receive the finding). */
export interface FindingNode {
  /** The located finding, for finding nodes. */
  item?: LocatedFinding;
}

/** A file's label in the tree: its path relative to its workspace folder (prefixed by the folder when several are open). */
export function labelOf(uri: string): string {
  return vscode.workspace.asRelativePath(vscode.Uri.parse(uri), true);
}

/** Renders the findings model as the "MCP Sentinel" tree; all grouping and filtering lives in the model. */
export class FindingsView implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: FindingsModel) {}

  /** Redraws the tree. */
  refresh(): void {
    this.changed.fire();
  }

  /** The roots under the current grouping and filters, or a group's children. */
  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.model.roots(labelOf);
    return node.kind === 'category' ||
      node.kind === 'file' ||
      node.kind === 'tools' ||
      node.kind === 'tool' ||
      node.kind === 'vetConfig' ||
      node.kind === 'vetServer'
      ? node.children
      : [];
  }

  /** How one node looks: label, description, icon, tooltip, and for a finding the location it opens. */
  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'category': {
        const item = new vscode.TreeItem(node.category, vscode.TreeItemCollapsibleState.Expanded);
        item.description = String(node.count);
        item.contextValue = 'category';
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(vscode.Uri.parse(node.uri), vscode.TreeItemCollapsibleState.Expanded);
        item.label = node.label;
        item.description = String(node.count);
        item.contextValue = 'file';
        return item;
      }
      case 'tools': {
        const item = new vscode.TreeItem(`Tools: ${node.server}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${node.count} tool(s)`;
        item.tooltip = 'What each MCP tool of this server can do (the capability inventory: not defects).';
        item.iconPath = new vscode.ThemeIcon('tools');
        item.contextValue = 'tools';
        return item;
      }
      case 'tool': {
        const item = new vscode.TreeItem(node.tool, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = node.summary;
        item.iconPath = new vscode.ThemeIcon('symbol-function');
        item.contextValue = 'tool';
        const r = node.range;
        item.command = {
          title: 'Open',
          command: 'vscode.open',
          arguments: [
            vscode.Uri.parse(node.uri),
            {
              selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
            } satisfies vscode.TextDocumentShowOptions,
          ],
        };
        return item;
      }
      case 'skipped': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = `skipped: ${node.reason}`;
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        item.contextValue = 'skipped';
        return item;
      }
      case 'vetConfig':
      case 'vetServer':
      case 'vetTool':
      case 'vetFinding':
        return vetTreeItem(node);
      case 'finding': {
        const f = node.item.finding;
        const item = new vscode.TreeItem(f.message, vscode.TreeItemCollapsibleState.None);
        item.description = `${f.ruleId} · ${describeFinding(f)}`;
        const why = f.suppressed ? `\n\n${describeSuppression(f.suppressed)}` : '';
        // Messages and reasons are the scanned project's text: escape them so they cannot inject Markdown links.
        const md = new vscode.MarkdownString();
        md.appendMarkdown(`**${f.ruleId}** (${f.severity}, ${f.category})\n\n`);
        md.appendText(`${f.message}${why}`);
        md.appendMarkdown(`\n\nFingerprint: \`${f.fingerprint}\``);
        item.tooltip = md;
        item.iconPath = new vscode.ThemeIcon(f.suppressed ? 'pass' : severityIcon(f.severity));
        item.contextValue = f.suppressed ? 'finding.suppressed' : 'finding';
        const range = new vscode.Range(
          f.range.start.line,
          f.range.start.character,
          f.range.end.line,
          f.range.end.character,
        );
        item.command = {
          title: 'Open',
          command: 'vscode.open',
          arguments: [vscode.Uri.parse(node.item.uri), { selection: range } satisfies vscode.TextDocumentShowOptions],
        };
        return item;
      }
    }
  }
}

/**
 * The findings tree as the rest of the client uses it: the model the server's notifications fill, and the view
 * that shows it. Call `refresh()` after changing the model or its filters.
 */
export class FindingsTree implements vscode.Disposable {
  /** The findings held, with the tree's grouping and filters. */
  readonly model = new FindingsModel();
  private readonly provider = new FindingsView(this.model);
  private readonly view: vscode.TreeView<TreeNode>;

  constructor(showSuppressed: boolean) {
    this.model.filters.showSuppressed = showSuppressed;
    this.view = vscode.window.createTreeView(FINDINGS_VIEW, { treeDataProvider: this.provider, showCollapseAll: true });
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.grouping, this.model.grouping);
  }

  /** Redraws the tree and updates its badge and the `hasFindings` context key from the model. */
  refresh(): void {
    this.provider.refresh();
    const c = this.model.counts();
    this.view.badge = c.total ? { value: c.total, tooltip: `${c.total} MCP Sentinel finding(s)` } : undefined;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasFindings, c.total + c.suppressed > 0);
  }

  /** Groups the tree by file or by category (the toolbar shows the button for the other grouping). */
  setGrouping(grouping: Grouping): void {
    this.model.grouping = grouping;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.grouping, grouping);
    this.refresh();
  }

  /** Brings the findings view into sight. */
  focus(): void {
    void vscode.commands.executeCommand(`${FINDINGS_VIEW}.focus`);
  }

  /** What the tree shows, with the view's real badge: the test API's answer. */
  snapshot(): FindingsSnapshot {
    return { ...this.model.snapshot(labelOf), badge: this.view.badge?.value };
  }

  /** Closes the view. */
  dispose(): void {
    this.view.dispose();
  }
}
