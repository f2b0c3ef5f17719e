/** Checks on the single-root fixture (placeholder while the client lands; replaced below). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension } from './helpers';

/** Registers the single-root suite. */
export function registerSingleRoot(): void {
  describe('single-root', () => {
    it('runs in a real VS Code with the extension installed', async () => {
      assert.ok(vscode.version);
      await activeExtension();
    });
  });
}
