/**
 * In-host checks on the multi-root fixture (api/ and agent/ in one .code-workspace): each folder is scanned with its
 * own findings, and a setting scoped to one folder changes that folder only (settings are resolved per folder).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, assertRange, codeOf, hasCode, one, openFile, summary, waitForDiagnostics } from './helpers';

/** Registers the multi-root suite. */
export function registerMultiRoot(): void {
  describe('multi-root', () => {
    before(async () => {
      await activeExtension();
      assert.deepEqual(
        vscode.workspace.workspaceFolders?.map((f) => f.name),
        ['api', 'agent'],
      );
    });

    it('both folders get their own diagnostics', async () => {
      const api = await openFile('src/index.ts', 0);
      const apiDs = await waitForDiagnostics(api.uri, (d) => hasCode(d, 'js-code-injection'), 'the eval injection');
      assertRange(one(apiDs, 'js-code-injection'), 8, 47, 8, 51);
      const agent = await openFile('.vscode/mcp.json', 1);
      const agentDs = await waitForDiagnostics(
        agent.uri,
        (d) => hasCode(d, 'mcp-config-unpinned-package'),
        'the unpinned package',
      );
      assert.deepEqual(agentDs.map(codeOf), ['mcp-config-unpinned-package'], summary(agentDs));
    });

    it('a rule switched off in one folder stays on in the other', async () => {
      const agentFolder = vscode.workspace.workspaceFolders![1]!;
      const cfg = vscode.workspace.getConfiguration('mcpSentinel', agentFolder.uri);
      const agent = await openFile('.vscode/mcp.json', 1);
      await waitForDiagnostics(agent.uri, (d) => hasCode(d, 'mcp-config-unpinned-package'), 'the unpinned package');
      try {
        await cfg.update(
          'rules',
          { 'mcp-config-unpinned-package': 'off', 'js-code-injection': 'off' },
          vscode.ConfigurationTarget.WorkspaceFolder,
        );
        await waitForDiagnostics(
          agent.uri,
          (d) => !hasCode(d, 'mcp-config-unpinned-package'),
          'the rule to go off in agent/',
        );
        // The same override names js-code-injection, which must still fire in api/, a folder without the override.
        const api = await openFile('src/index.ts', 0);
        await vscode.commands.executeCommand('mcpSentinel.scanWorkspace');
        assert.ok(
          hasCode(
            await waitForDiagnostics(api.uri, (d) => hasCode(d, 'js-code-injection'), 'the injection in api/'),
            'js-code-injection',
          ),
        );
      } finally {
        await cfg.update('rules', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      }
    });
  });
}
