/**
 * How the vetting nodes of the findings tree look (vetNodes.ts builds them): a config file, each vetted server entry
 * with its summary, the package's tools with their capabilities, and its findings, which open the package's file
 * read-only (a `mcp-sentinel-package:` document the client asks the server for, see packageFiles.ts).
 */
import * as vscode from 'vscode';
import { PACKAGE_FILE_SCHEME } from '../../shared/vet';
import { severityIcon } from './model';
import type { VetNode } from './vetNodes';

/** The read-only document of a file of a vetted package: the path after the scheme, the config URI as the query. */
export function packageFileUri(path: string, configUri: string): vscode.Uri {
  return vscode.Uri.from({ scheme: PACKAGE_FILE_SCHEME, path: `/${path}`, query: configUri });
}

/** The TreeItem of a vetting node. */
export function vetTreeItem(node: VetNode): vscode.TreeItem {
  switch (node.kind) {
    case 'vetConfig': {
      const item = new vscode.TreeItem(`Vetted: ${node.label}`, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.children.length} server(s)`;
      item.tooltip = 'The packages this MCP client config launches, fetched and read without running them.';
      item.iconPath = new vscode.ThemeIcon('package');
      item.contextValue = 'vetConfig';
      item.command = { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(node.uri)] };
      return item;
    }
    case 'vetServer': {
      const v = node.vet;
      const state = node.children.length
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.None;
      const item = new vscode.TreeItem(v.server, state);
      const what = v.version ? `${v.name ?? v.package}@${v.version}` : (v.package ?? '');
      item.description = v.status === 'vetted' ? `${what} · ${v.summary}` : (v.reason ?? v.summary);
      const md = new vscode.MarkdownString();
      md.appendText(`${v.server}: ${v.launcher ?? ''} ${v.package ?? ''}\n\n`);
      if (v.integrity) md.appendText(`Integrity: ${v.integrity}\n\n`);
      md.appendText(v.status === 'vetted' ? v.summary : (v.reason ?? v.summary));
      item.tooltip = md;
      item.iconPath = new vscode.ThemeIcon(v.status === 'vetted' ? 'verified' : 'circle-slash');
      item.contextValue = `vetServer.${v.status}`;
      const at = new vscode.Range(v.line, v.character, v.line, v.character);
      item.command = {
        title: 'Open',
        command: 'vscode.open',
        arguments: [vscode.Uri.parse(v.configUri), { selection: at } satisfies vscode.TextDocumentShowOptions],
      };
      return item;
    }
    case 'vetTool': {
      const item = new vscode.TreeItem(node.tool.name, vscode.TreeItemCollapsibleState.None);
      item.description = node.tool.summary || 'no notable capability';
      item.iconPath = new vscode.ThemeIcon('symbol-function');
      item.contextValue = 'vetTool';
      return item;
    }
    case 'vetFinding': {
      const f = node.finding;
      const item = new vscode.TreeItem(f.message, vscode.TreeItemCollapsibleState.None);
      item.description = `${f.ruleId} · ${f.path}:${f.line} · ${f.severity}`;
      // The message is the package's text: shown as plain text, never as Markdown.
      const md = new vscode.MarkdownString();
      md.appendMarkdown(`**${f.ruleId}** (${f.severity})\n\n`);
      md.appendText(`${f.message}\n\n${f.path}:${f.line}`);
      item.tooltip = md;
      item.iconPath = new vscode.ThemeIcon(severityIcon(f.severity));
      item.contextValue = 'vetFinding';
      const line = Math.max(0, f.line - 1);
      item.command = {
        title: 'Open',
        command: 'vscode.open',
        arguments: [
          packageFileUri(f.path, node.configUri),
          { selection: new vscode.Range(line, 0, line, 0), preview: true } satisfies vscode.TextDocumentShowOptions,
        ],
      };
      return item;
    }
  }
}
