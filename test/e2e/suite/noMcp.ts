/**
 * In-host checks on the no-mcp fixture: a project with no MCP server and no MCP client config. The extension may
 * activate (it cannot know before looking), but it stays dormant (no server) until asked, and quiet: no
 * diagnostics, no findings from a full scan. The walkthrough opens here too: it is what a new user sees first.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFile, SOURCE, testApi } from './helpers';

/** Registers the no-mcp suite. */
export function registerNoMcp(): void {
  describe('no-mcp', () => {
    it('stays dormant: opening an ordinary source file starts no server', async () => {
      await openFile('src/util.js');
      assert.equal((await testApi()).serverStarted(), false, 'no language server in a workspace without MCP');
    });

    it('the getting-started walkthrough opens', async () => {
      // The command throws on an unknown walkthrough id; the manifest test checks its pages exist.
      await vscode.commands.executeCommand(
        'workbench.action.openWalkthrough',
        'mcp-sentinel.mcp-sentinel#mcpSentinel.gettingStarted',
        false,
      );
    });

    it('a full scan and an open file produce no diagnostics at all', async () => {
      await openFile('src/util.js');
      // Awaiting the command awaits the whole scan, the open file included, so absence here is a real result.
      await vscode.commands.executeCommand('mcpSentinel.scanWorkspace');
      const mine = vscode.languages
        .getDiagnostics()
        .flatMap(([uri, ds]) => ds.filter((d) => d.source === SOURCE).map((d) => `${uri.path}: ${String(d.code)}`));
      assert.deepEqual(mine, []);
      assert.equal((await testApi()).serverStarted(), true, 'the command started the server');
      const tree = (await testApi()).findingsSnapshot();
      assert.deepEqual(
        { total: tree.total, byFile: tree.byFile, badge: tree.badge },
        { total: 0, byFile: [], badge: undefined },
        'an empty tree without a badge',
      );
    });
  });
}
