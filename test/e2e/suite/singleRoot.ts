/**
 * In-host checks on the single-root fixture (test/e2e/fixtures/single-root): live diagnostics with exact codes and
 * ranges, a quick fix applied through the API, a suppression comment, a rule switched off by a setting, the
 * workspace scan and the SARIF export. Expected ranges are the ones the CLI reports on the same files
 * (`node dist/cli.js scan test/e2e/fixtures/single-root --format json`), written 1-based like that report.
 */
import * as assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import {
  activeExtension,
  assertRange,
  codeOf,
  fileUri,
  hasCode,
  one,
  openFile,
  revertAll,
  sentinelDiagnostics,
  summary,
  testApi,
  treeFile,
  treeLabel,
  waitForDiagnostics,
  waitForTree,
} from './helpers';

/** The planted findings: file → rule id → 1-based [line, column, endLine, endColumn]. */
export const PLANTED: Record<string, Record<string, [number, number, number, number]>> = {
  'tools.py': {
    'secret-aws-access-key-id': [6, 22, 6, 42],
    'py-command-injection': [14, 27, 14, 43],
  },
  'src/server.ts': {
    'js-command-injection': [10, 59, 10, 88],
  },
  '.vscode/mcp.json': {
    'mcp-config-unpinned-package': [5, 23, 5, 58],
    'mcp-config-plaintext-secret': [7, 42, 7, 82],
    'mcp-config-broad-filesystem-root': [12, 76, 12, 77],
    'mcp-config-insecure-url': [16, 15, 16, 43],
  },
};

const TOTAL = Object.values(PLANTED).reduce((n, rules) => n + Object.keys(rules).length, 0);

/** Waits until exactly the planted codes of `file` are reported, then checks each range. */
async function expectPlanted(file: string): Promise<void> {
  const want = PLANTED[file]!;
  const doc = await openFile(file);
  const ds = await waitForDiagnostics(
    doc.uri,
    (d) => Object.keys(want).every((code) => hasCode(d, code)),
    `the planted findings (${Object.keys(want).join(', ')})`,
  );
  assert.deepEqual(
    ds.map(codeOf).sort(),
    Object.keys(want).sort(),
    `only the planted findings in ${file}: ${summary(ds)}`,
  );
  for (const [code, [l, c, el, ec]] of Object.entries(want)) assertRange(one(ds, code), l, c, el, ec);
}

/** Registers the single-root suite. */
export function registerSingleRoot(): void {
  describe('single-root', () => {
    before(async () => {
      await activeExtension();
    });
    afterEach(async () => {
      await revertAll();
      // Resetting the setting also tells the server that the environment changed, so every test starts from freshly
      // scanned documents. Under load a settings write can fail once; the second attempt goes through.
      const reset = (): Thenable<void> =>
        vscode.workspace
          .getConfiguration('mcpSentinel')
          .update('rules', undefined, vscode.ConfigurationTarget.Workspace);
      try {
        await reset();
      } catch {
        await reset();
      }
    });

    it('runs the extension installed from the .vsix', async () => {
      const ext = await activeExtension();
      // The runner points the development path at the installed folder: the packaged files are what runs.
      assert.match(ext.extensionPath.replace(/\\/g, '/'), /mcp-sentinel\.mcp-sentinel-\d+\.\d+\.\d+$/);
      const files = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(ext.extensionUri, 'dist'));
      assert.ok(
        files.some(([n]) => n === 'server.js'),
        'dist/server.js shipped',
      );
    });

    for (const file of Object.keys(PLANTED)) {
      it(`diagnostics with the right codes and ranges appear on open: ${file}`, () => expectPlanted(file));
    }

    it('a quick fix applied through the API rewrites the secret as an input and the diagnostic goes away', async () => {
      const doc = await openFile('.vscode/mcp.json');
      const ds = await waitForDiagnostics(
        doc.uri,
        (d) => hasCode(d, 'mcp-config-plaintext-secret'),
        'the plaintext secret',
      );
      const diag = one(ds, 'mcp-config-plaintext-secret');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        diag.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.title.startsWith('MCP Sentinel: Prompt for the secret with input'));
      assert.ok(fix?.edit, `a fix action; saw: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applies');

      const after = parse(doc.getText()) as {
        servers: Record<string, { env?: Record<string, string> }>;
        inputs?: { type: string; id: string; password?: boolean }[];
      };
      const value = after.servers.github?.env?.GITHUB_PERSONAL_ACCESS_TOKEN ?? '';
      const m = /^\$\{input:([\w.-]+)\}$/.exec(value);
      assert.ok(m, `the token became an input reference, got ${JSON.stringify(value)}`);
      const input = after.inputs?.find((i) => i.id === m[1]);
      assert.deepEqual(
        { type: input?.type, password: input?.password },
        { type: 'promptString', password: true },
        'a password input is declared',
      );
      assert.ok(!doc.getText().includes('ghp_'), 'no token left in the file');
      assert.equal(Object.keys(after.servers).length, 3, 'the other servers are untouched');

      const left = await waitForDiagnostics(
        doc.uri,
        (d) => !hasCode(d, 'mcp-config-plaintext-secret'),
        'the secret finding to go away',
      );
      assert.ok(hasCode(left, 'mcp-config-unpinned-package'), `other findings stay: ${summary(left)}`);
    });

    it('a suppression comment removes the finding, and only that one', async () => {
      const doc = await openFile('tools.py');
      await waitForDiagnostics(doc.uri, (d) => hasCode(d, 'py-command-injection'), 'the command injection');
      const line = doc.lineAt(13); // the `return subprocess.run(... shell=True ...)` line
      const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(
        doc.uri,
        line.range.start,
        `${indent}# mcp-sentinel-ignore py-command-injection: the e2e suite checks suppression\n`,
      );
      assert.ok(await vscode.workspace.applyEdit(edit));
      const ds = await waitForDiagnostics(
        doc.uri,
        (d) => !hasCode(d, 'py-command-injection'),
        'the suppressed finding to go away',
      );
      assert.ok(hasCode(ds, 'secret-aws-access-key-id'), `the other finding stays: ${summary(ds)}`);
      assert.ok(
        !ds.some((d) => codeOf(d).startsWith('mcp-sentinel-')),
        `no complaint about the suppression itself: ${summary(ds)}`,
      );

      // The tree hides it too, but the server still sent it: "show suppressed" lists it under its file.
      const hidden = await waitForTree((s) => treeFile(s, 'tools.py')?.count === 1, 'tools.py with only the AWS key');
      assert.equal(hidden.showSuppressed, false, 'suppressed findings are hidden by default');
      assert.equal(treeFile(hidden, 'tools.py')!.suppressed, 0);
      assert.ok(hidden.suppressed >= 1, `the model holds the suppressed finding: ${JSON.stringify(hidden)}`);
      await vscode.commands.executeCommand('mcpSentinel.toggleShowSuppressed');
      try {
        const shown = (await testApi()).findingsSnapshot();
        assert.equal(shown.showSuppressed, true);
        assert.deepEqual(
          treeFile(shown, 'tools.py'),
          { file: treeLabel('tools.py'), count: 2, suppressed: 1 },
          'shown under tools.py',
        );
        assert.equal(shown.total, hidden.total, 'the badge counts only unsuppressed findings');
      } finally {
        await vscode.commands.executeCommand('mcpSentinel.toggleShowSuppressed');
      }
      assert.equal((await testApi()).findingsSnapshot().showSuppressed, false);
    });

    it('a setting that disables a rule removes its diagnostics, and re-enabling brings them back', async () => {
      const doc = await openFile('tools.py');
      await waitForDiagnostics(doc.uri, (d) => hasCode(d, 'secret-aws-access-key-id'), 'the AWS key');
      const cfg = vscode.workspace.getConfiguration('mcpSentinel');
      await cfg.update('rules', { 'secret-aws-access-key-id': 'off' }, vscode.ConfigurationTarget.Workspace);
      const ds = await waitForDiagnostics(
        doc.uri,
        (d) => !hasCode(d, 'secret-aws-access-key-id'),
        'the disabled rule to go away',
      );
      assert.ok(hasCode(ds, 'py-command-injection'), `other rules keep running: ${summary(ds)}`);
      await cfg.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
      await waitForDiagnostics(
        doc.uri,
        (d) => hasCode(d, 'secret-aws-access-key-id'),
        'the re-enabled rule to come back',
      );
    });

    it('the workspace scan reports every planted finding, including files that are not open', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('mcpSentinel.scanWorkspace');
      const byFile = new Map<string, string[]>();
      for (const [uri, ds] of vscode.languages.getDiagnostics()) {
        const mine = ds.filter((d) => d.source === 'MCP Sentinel');
        if (mine.length) byFile.set(vscode.workspace.asRelativePath(uri, false), mine.map(codeOf).sort());
      }
      const want = new Map(Object.entries(PLANTED).map(([f, rules]) => [f, Object.keys(rules).sort()]));
      assert.deepEqual(Object.fromEntries(byFile), Object.fromEntries(want), 'findings per file after the scan');
      assert.equal([...byFile.values()].flat().length, TOTAL);

      // The findings tree shows the same: every planted file with its count, and the badge on the view.
      const files = Object.entries(PLANTED)
        .map(([file, rules]) => ({ file: treeLabel(file), count: Object.keys(rules).length, suppressed: 0 }))
        .sort((a, b) => (a.file < b.file ? -1 : 1));
      const tree = await waitForTree((s) => s.total === TOTAL, `${TOTAL} findings`);
      assert.deepEqual(tree.byFile, files, 'files and counts in the tree');
      assert.equal(tree.total, TOTAL);
      assert.equal(tree.badge, TOTAL, 'the view badge counts every unsuppressed finding');
    });

    it('export writes a SARIF file that parses and names every finding rule', async () => {
      await vscode.commands.executeCommand('mcpSentinel.scanWorkspace');
      const target = fileUri('mcp-sentinel.sarif');
      // The command's optional arguments skip the format picker and the save dialog (users get both).
      const written = await vscode.commands.executeCommand<vscode.Uri | undefined>(
        'mcpSentinel.exportReport',
        'sarif',
        target,
      );
      assert.equal(written?.toString(), target.toString(), 'the command reports the file it wrote');
      const sarif = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(target))) as {
        version: string;
        runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[];
      };
      assert.equal(sarif.version, '2.1.0');
      const run = sarif.runs[0]!;
      const ids = new Set(run.tool.driver.rules.map((r) => r.id));
      const resultIds = run.results.map((r) => r.ruleId);
      for (const rules of Object.values(PLANTED))
        for (const id of Object.keys(rules)) assert.ok(resultIds.includes(id), `SARIF has a ${id} result`);
      for (const id of resultIds) assert.ok(ids.has(id), `rule ${id} is defined in tool.driver.rules`);
    });

    it('hover on a finding shows its message with the secret masked', async () => {
      const doc = await openFile('tools.py');
      const ds = await waitForDiagnostics(doc.uri, (d) => hasCode(d, 'secret-aws-access-key-id'), 'the AWS key');
      const d = one(ds, 'secret-aws-access-key-id');
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        d.range.start.translate(0, 2),
      );
      const text = hovers
        .flatMap((h) => h.contents)
        .map((c) => (typeof c === 'string' ? c : c.value))
        .join('\n');
      assert.match(text, /AWS access key ID/);
      assert.ok(!text.includes('AKIAZ7QW3RT5YU2IOP4N'), 'the key is masked in the hover');
      assert.ok(sentinelDiagnostics(doc.uri).length >= 2);
    });
  });
}
