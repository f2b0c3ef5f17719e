/**
 * Whether this workspace has anything to do with MCP, decided cheaply before the language server starts.
 *
 * `workspaceContains` activation can only test file names: it sees MCP client configs, the project config and an
 * installed SDK (`node_modules/@modelcontextprotocol/sdk`, `site-packages/mcp`), but not a fresh clone whose
 * package.json or pyproject.toml merely declares the SDK, nor a Python server whose virtualenv lives elsewhere. So
 * the extension also activates on the languages such markers are written in, and then looks: marker files by name,
 * a few dependency manifests by content, the open documents' imports. When nothing is found it stays dormant: no
 * server process, no workers, only a status item and listeners that wake it when an MCP file is opened or saved,
 * or when a command (Scan Workspace, Export) needs the server. The name and text tests are in shared/mcpMarkers.ts,
 * unit-tested without VS Code.
 */
import * as vscode from 'vscode';
import {
  importsMcp,
  isMarkerFileName,
  MANIFEST_GLOB,
  manifestDeclaresMcp,
  MARKER_FILES_GLOB,
} from '../shared/mcpMarkers';

/** How many manifests are read at most: a monorepo's first few are enough, and each read costs. */
const MAX_MANIFESTS = 30;

/** Folders never searched for markers (dependencies and virtualenvs hold other people's manifests). */
const EXCLUDE = '{**/node_modules/**,**/.venv/**,**/venv/**,**/site-packages/**,**/.git/**}';

/** True when a document is an MCP marker by its own name or content. */
function documentIsMarker(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
  const name = doc.uri.path.slice(doc.uri.path.lastIndexOf('/') + 1);
  if (isMarkerFileName(name)) return true;
  if (!['typescript', 'javascript', 'typescriptreact', 'javascriptreact', 'python'].includes(doc.languageId))
    return false;
  // The imports sit at the top: 64 KB is plenty and keeps the check cheap on a huge generated file.
  return importsMcp(doc.getText().slice(0, 65536));
}

/**
 * Why the workspace is an MCP workspace (a short phrase for the log), or undefined when nothing says so. Opened
 * documents count too: a single server file opened from an unrelated folder is reason enough.
 */
export async function findMcpMarker(): Promise<string | undefined> {
  for (const doc of vscode.workspace.textDocuments) if (documentIsMarker(doc)) return `open file ${doc.uri.fsPath}`;
  if (!vscode.workspace.workspaceFolders?.length) return undefined;
  const [config] = await vscode.workspace.findFiles(MARKER_FILES_GLOB, EXCLUDE, 1);
  if (config) return `MCP config ${vscode.workspace.asRelativePath(config)}`;
  for (const uri of await vscode.workspace.findFiles(MANIFEST_GLOB, EXCLUDE, MAX_MANIFESTS)) {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
      if (manifestDeclaresMcp(name, text)) return `MCP SDK declared in ${vscode.workspace.asRelativePath(uri)}`;
    } catch {
      // An unreadable manifest says nothing either way.
    }
  }
  return undefined;
}

/**
 * Calls `wake` once, the first time an MCP marker appears: a document that imports the SDK or is an MCP config is
 * opened or saved, or a marker file is created. Returns the listeners to dispose.
 */
export function watchForMarker(wake: (reason: string) => void): vscode.Disposable {
  let done = false;
  const fire = (reason: string): void => {
    if (done) return;
    done = true;
    subscription.dispose();
    wake(reason);
  };
  const onDoc = (doc: vscode.TextDocument): void => {
    if (documentIsMarker(doc)) fire(`opened ${doc.uri.fsPath}`);
  };
  const watcher = vscode.workspace.createFileSystemWatcher(MARKER_FILES_GLOB, false, true, true);
  const subscription = vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument(onDoc),
    vscode.workspace.onDidSaveTextDocument(onDoc),
    watcher,
    watcher.onDidCreate((uri) => fire(`created ${uri.fsPath}`)),
  );
  return subscription;
}
