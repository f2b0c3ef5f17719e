/**
 * Rule documentation as virtual Markdown documents (`mcp-sentinel-rule:/<id>.md`). The server renders each page
 * from the rule's metadata, so the docs work offline and always match the rules the server runs.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RULE_DOC_SCHEME, RuleDocs } from '../shared/protocol';

/** The virtual document of a rule's documentation page. */
export function ruleDocUri(ruleId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RULE_DOC_SCHEME, path: `/${encodeURIComponent(ruleId)}.md` });
}

/** The rule id a documentation URI names (the inverse of `ruleDocUri`). */
export function ruleIdOf(uri: vscode.Uri): string {
  return decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
}

/** Serves `mcp-sentinel-rule:` documents by asking the server for the rule's page. */
export class RuleDocsProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly client: LanguageClient) {}

  /** The Markdown page of the rule the URI names, or a short note when no rule has that id. */
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = ruleIdOf(uri);
    const r = await this.client.sendRequest(RuleDocs.type, { ruleId: id });
    return r ? r.markdown : `# ${id}\n\nNo MCP Sentinel rule has this id.\n`;
  }
}

/** Opens a rule's documentation in the Markdown preview, or as plain text where no preview is available. */
export async function showRuleDocs(ruleId: string): Promise<void> {
  const uri = ruleDocUri(ruleId);
  await vscode.commands
    .executeCommand('markdown.showPreview', uri)
    .then(undefined, () => vscode.window.showTextDocument(uri));
}
