/** Placeholder. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Registers the suite. */
export function registerMultiRoot(): void {
  describe('multi-root', () => {
    it('runs', () => assert.ok(vscode.version));
  });
}
