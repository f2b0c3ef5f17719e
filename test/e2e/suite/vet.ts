/**
 * In-host check on the vet fixture (test/e2e/fixtures/vet): its `.vscode/mcp.json` launches `npx -y some-local-server@1.0.0`,
 * and the package is installed in the workspace's node_modules (copied there from `packages/` first, since git keeps
 * no node_modules), so vetting reads it without the network. The "Vet package" lens is on the entry; running the
 * lens's command vets the package, the findings view lists the package's tools under the config, and the lens then
 * shows the result's summary. While the engine is a stub (it answers "not built yet"), the vetting test skips.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { VetServersResult } from '../../../shared/protocol';
import { activeExtension, fileUri, openFile, waitForTree } from './helpers';

/** Resolves with the document's lenses once one satisfies `pred`, polling the providers until the deadline. */
async function waitForLens(
  uri: vscode.Uri,
  pred: (l: vscode.CodeLens) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<vscode.CodeLens> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  for (;;) {
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const hit = lenses.find(pred);
    if (hit) return hit;
    seen = lenses.map((l) => `${l.range.start.line}: ${l.command?.title ?? '(unresolved)'}`);
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; lenses seen: ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Registers the vet suite. */
export function registerVet(): void {
  describe('vet', () => {
    before(async () => {
      await vscode.workspace.fs.copy(fileUri('packages/some-local-server'), fileUri('node_modules/some-local-server'), {
        overwrite: true,
      });
      await activeExtension();
    });

    let lens: vscode.CodeLens;
    it('the "Vet package" lens is on the config entry that launches a package', async () => {
      const doc = await openFile('.vscode/mcp.json');
      lens = await waitForLens(doc.uri, (l) => l.command?.title === 'Vet package', 'the "Vet package" lens');
      assert.equal(lens.range.start.line, 2, 'the lens sits on the "local" entry');
      assert.equal(lens.command?.command, 'mcpSentinel.vetServer');
    });

    it('clicking the lens vets the package, and the findings view shows its tools', async function () {
      // Vetting reads the package and scans it: give it more than mocha's default minute on a loaded machine.
      this.timeout(180_000);
      assert.ok(lens?.command, 'the lens was found');
      const res = await vscode.commands.executeCommand<VetServersResult | undefined>(
        lens.command.command,
        ...(lens.command.arguments ?? []),
      );
      // Until the vetting engine is built (server/cli/vet.ts answers "not built yet"), there is nothing to show.
      if (res?.error?.includes('not built yet')) this.skip();
      assert.equal(res?.error, undefined, `vetting failed: ${res?.error}`);
      const snap = await waitForTree(
        (s) => !!s.vetted?.some((v) => v.server === 'local'),
        'the vetted "local" server',
        120_000,
      );
      const local = snap.vetted!.find((v) => v.server === 'local')!;
      assert.equal(local.status, 'vetted', JSON.stringify(local));
      assert.deepEqual(local.tools, ['run_command', 'read_notes']);
      const after = await waitForLens(
        fileUri('.vscode/mcp.json'),
        (l) => !!l.command?.title.startsWith('Vet package: '),
        'the lens with the result',
      );
      assert.equal(after.command?.title, `Vet package: ${local.summary}`);
    });
  });
}
