/** Placeholder. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Registers the suite. */
export function registerNoMcp(): void {
  describe('no-mcp', () => {
    it('runs', () => assert.ok(vscode.version));
  });
}
