/** Placeholder. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Registers the suite. */
export function registerUntrusted(): void {
  describe('untrusted', () => {
    it('runs', () => assert.ok(vscode.version));
  });
}
