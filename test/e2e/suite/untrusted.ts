/**
 * In-host checks on the untrusted fixture, opened with workspace trust on and not granted: the built-in rules still
 * run (MCP Sentinel declares `untrustedWorkspaces: limited`), while the restricted settings in the workspace's
 * .vscode/settings.json (a node path and a config file that would switch the secret rules off) are ignored.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, assertRange, hasCode, one, openFile, waitForDiagnostics } from './helpers';

/** Registers the untrusted suite. */
export function registerUntrusted(): void {
  describe('untrusted', () => {
    it('the workspace is not trusted', () => {
      assert.equal(vscode.workspace.isTrusted, false);
    });

    it('the restricted settings are ignored', () => {
      const cfg = vscode.workspace.getConfiguration('mcpSentinel');
      assert.equal(cfg.get('configFile'), '', 'configFile from the untrusted workspace is not applied');
      assert.equal(cfg.get('server.nodePath'), '', 'server.nodePath from the untrusted workspace is not applied');
    });

    it('the built-in rules run, and the config that would silence them is not loaded', async () => {
      await activeExtension();
      const doc = await openFile('server.py');
      const ds = await waitForDiagnostics(
        doc.uri,
        (d) => hasCode(d, 'secret-stripe-live-secret-key'),
        'the Stripe key',
      );
      assertRange(one(ds, 'secret-stripe-live-secret-key'), 4, 15, 4, 58);
    });
  });
}
