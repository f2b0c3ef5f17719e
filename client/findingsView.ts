import * as vscode from 'vscode';
import type { LocatedFinding, TreeNode } from './findingsModel';
import { FindingsModel, describeFinding, describeSuppression } from './findingsModel';

/** A tree node as VS Code hands it back to commands (context actions receive the finding). */
export interface FindingNode {
  /** The located finding, for finding nodes. */
  item?: LocatedFinding;
}

const SEVERITY_ICON: Record<string, string> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'info',
  info: 'lightbulb',
};

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

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.model.roots(labelOf);
    return node.kind === 'category' || node.kind === 'file' ? node.children : [];
  }

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
      case 'skipped': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = `skipped: ${node.reason}`;
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        item.contextValue = 'skipped';
        return item;
      }
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
        item.iconPath = new vscode.ThemeIcon(f.suppressed ? 'pass' : (SEVERITY_ICON[f.severity] ?? 'warning'));
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
