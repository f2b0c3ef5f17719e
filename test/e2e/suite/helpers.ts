/**
 * Helpers for the in-host suites: find the extension, open fixture files, and wait for diagnostics by listening to
 * VS Code's events (never by sleeping a fixed time), with a deadline that names what was awaited.
 */
import * as assert from 'node:assert/strict';
import { basename } from 'node:path';
import * as vscode from 'vscode';
// Type-only: erased from the bundle, so the suite still talks to the installed extension and nothing else.
import type { McpSentinelTestApi } from '../../../client/extension';
import type { FindingsSnapshot } from '../../../client/findings/model';

/** The extension's id: `<publisher>.<name>` from package.json. */
export const EXTENSION_ID = 'mcp-sentinel.mcp-sentinel';

/** The `source` of every MCP Sentinel diagnostic (shared/protocol.ts DIAGNOSTIC_SOURCE). */
export const SOURCE = 'MCP Sentinel';

/** The workspace shapes of test/e2e/fixtures/, one suite each. */
export type FixtureShape = 'single-root' | 'multi-root' | 'no-mcp' | 'untrusted' | 'vet';

/**
 * Which fixture is open, read from the workspace itself so that both harnesses need no extra configuration: the
 * runners copy each fixture to a temporary folder under its own name, and the multi-root one is a .code-workspace.
 */
export function fixtureShape(): FixtureShape {
  if (vscode.workspace.workspaceFile?.path.endsWith('e2e.code-workspace')) return 'multi-root';
  const first = vscode.workspace.workspaceFolders?.[0];
  const name = first ? basename(first.uri.fsPath) : '';
  if (name === 'single-root' || name === 'no-mcp' || name === 'untrusted' || name === 'vet') return name;
  throw new Error(`the open workspace (${name || 'none'}) is not one of the e2e fixtures`);
}

/** The URI of a file in the n-th workspace folder. */
export function fileUri(relPath: string, folder = 0): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[folder];
  assert.ok(f, `workspace folder ${folder} is open`);
  return vscode.Uri.joinPath(f.uri, ...relPath.split('/'));
}

/** Opens a file in an editor (which is what makes the extension scan it live). */
export async function openFile(relPath: string, folder = 0): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fileUri(relPath, folder));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** The MCP Sentinel diagnostics of a document, sorted by position. */
export function sentinelDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === SOURCE)
    .sort((a, b) => a.range.start.compareTo(b.range.start));
}

/** A diagnostic's code as a plain string (VS Code allows a string, a number or `{ value, target }`). */
export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  if (c === undefined) return '';
  if (typeof c === 'object') return String(c.value);
  return String(c);
}

/** `line:char-line:char`, 0-based as in the API, for readable assertion messages. */
export function rangeText(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** A short summary of diagnostics for failure messages. */
export function summary(ds: readonly vscode.Diagnostic[]): string {
  return ds.map((d) => `${codeOf(d)}@${rangeText(d.range)}`).join(', ') || '(none)';
}

/**
 * Resolves with the document's MCP Sentinel diagnostics once `predicate` holds for them, checking now and on
 * every diagnostics change; rejects after `timeoutMs` with what was last seen.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (ds: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (ds: vscode.Diagnostic[] | undefined, err?: Error) => {
      if (done) return;
      done = true;
      sub.dispose();
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(ds!);
    };
    const check = () => {
      const ds = sentinelDiagnostics(uri);
      if (predicate(ds)) finish(ds);
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(
      () =>
        finish(
          undefined,
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what} in ${basename(uri.fsPath)}; last seen: ${summary(sentinelDiagnostics(uri))}`,
          ),
        ),
      timeoutMs,
    );
    check();
  });
}

/** True when some diagnostic has this code. */
export function hasCode(ds: readonly vscode.Diagnostic[], code: string): boolean {
  return ds.some((d) => codeOf(d) === code);
}

/** The one diagnostic with this code (fails when there is none or several). */
export function one(ds: readonly vscode.Diagnostic[], code: string): vscode.Diagnostic {
  const found = ds.filter((d) => codeOf(d) === code);
  assert.equal(found.length, 1, `exactly one ${code} diagnostic; saw ${summary(ds)}`);
  return found[0]!;
}

/** Asserts a diagnostic's range, given 1-based line/column like the CLI's JSON report (end column exclusive). */
export function assertRange(d: vscode.Diagnostic, line: number, col: number, endLine: number, endCol: number): void {
  assert.equal(rangeText(d.range), `${line - 1}:${col - 1}-${endLine - 1}:${endCol - 1}`, `range of ${codeOf(d)}`);
}

/** The extension, activated. */
export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  if (!ext.isActive) await ext.activate();
  return ext;
}

/** The test API that `activate()` returns (client/extension.ts): a snapshot of the findings tree. */
export async function testApi(): Promise<McpSentinelTestApi> {
  const ext = await activeExtension();
  const api = ext.exports as McpSentinelTestApi | undefined;
  assert.ok(api && typeof api.findingsSnapshot === 'function', 'activate() returns the test API');
  return api;
}

/**
 * Resolves with the findings tree's snapshot once `predicate` holds for it. The tree is fed by notifications that
 * follow the diagnostics, so right after a diagnostics change it may lag by a message: this checks every 50 ms
 * until the deadline and then fails with the last snapshot seen.
 */
export async function waitForTree(
  predicate: (s: FindingsSnapshot) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<FindingsSnapshot> {
  const api = await testApi();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snap = api.findingsSnapshot();
    if (predicate(snap)) return snap;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for the findings tree to show ${what}; last seen: ${JSON.stringify(snap)}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A file's label in the findings tree, computed the way the tree does (`asRelativePath` with the folder name,
 * which the web workbench adds even for a single folder).
 */
export function treeLabel(relPath: string, folder = 0): string {
  return vscode.workspace.asRelativePath(fileUri(relPath, folder), true);
}

/** The tree's entry for one file (path relative to its workspace folder), if it has one. */
export function treeFile(
  s: FindingsSnapshot,
  relPath: string,
  folder = 0,
): FindingsSnapshot['byFile'][number] | undefined {
  const label = treeLabel(relPath, folder);
  return s.byFile.find((f) => f.file === label);
}

/**
 * Reverts every dirty document of the workspace folders so that one test's edits do not leak into the next.
 * Documents outside the folders are left alone: VS Code itself edits the user settings file through a text model
 * (its settings migrations run at start-up), and reverting or showing that file mid-write failed the suite in CI.
 */
export async function revertAll(): Promise<void> {
  const edited = vscode.workspace.textDocuments.filter(
    (doc) => doc.isDirty && vscode.workspace.getWorkspaceFolder(doc.uri) !== undefined,
  );
  for (const doc of edited) {
    // The revert command acts on the active editor; under load another editor can become active between showing the
    // document and reverting it (VS Code then rejects the show with "another editor opened in the meantime"), which
    // left an edited document dirty for the rest of the suite. So the document is named explicitly, and the revert
    // is repeated until the document really is clean.
    let lastError: unknown;
    for (let attempt = 0; doc.isDirty && attempt < 5; attempt++) {
      try {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert', doc.uri);
      } catch (err) {
        lastError = err;
      }
    }
    if (doc.isDirty) throw new Error(`could not revert ${doc.uri.toString()}: ${String(lastError ?? 'still dirty')}`);
  }
}
