/**
 * The names of the project files: the files in a project that change how it scans (config, ignore file, pin file,
 * baseline). The server reads them, the language server reopens projects when they change and the extension
 * watches them, so the names are declared once here for both sides. Paths are relative to the project root, with
 * forward slashes. This module stays free of `vscode` and Node-only imports: it is bundled into both sides.
 */

/** The project config (JSONC), looked for at the project root; the `configFile` setting and `--config` replace it. */
export const CONFIG_FILE = '.mcp-sentinel.json';

/** The folder that holds the tool's other project files. */
export const PROJECT_DIR = '.mcp-sentinel';

/** The ignore file (JSONC): accepted findings with a reason, and optionally an expiry date. */
export const IGNORE_FILE = `${PROJECT_DIR}/ignore.json`;

/** The tool-definition lock file that `mcp-sentinel pin` writes and the drift rule compares against. */
export const PIN_FILE = `${PROJECT_DIR}/pins.json`;

/**
 * Where `mcp-sentinel baseline` writes the baseline without `--output`, and which baseline applies, when it exists,
 * if neither `--baseline` nor the config's `baseline` names another: a project may still keep its baseline anywhere.
 */
export const BASELINE_FILE = `${PROJECT_DIR}/baseline.json`;

/**
 * The glob the extension watches project files with: the config, every JSON file in the project folder (ignore
 * file, pin file, a baseline kept there) and any `*baseline*.json`, the usual name of a baseline kept elsewhere.
 * It matches the same files as `isProjectFilePath`, except that the predicate also ignores case.
 */
export const PROJECT_FILES_GLOB = `**/{${CONFIG_FILE},${PROJECT_DIR}/*.json,*baseline*.json}`;

// The regular-expression twin of PROJECT_FILES_GLOB: it also runs on URIs, whose scheme and encoding a glob
// library would not expect. Baselines are recognised by name anywhere, case-insensitively, as the glob's last part.
const PROJECT_FILE_PATH = /(?:^|\/)\.mcp-sentinel(?:\.json|\/[^/]*\.json)$|baseline[^/]*\.json$/i;

/**
 * True for a path or URI (forward slashes) that names a project file by its usual name: `.mcp-sentinel.json`, a
 * JSON file directly in `.mcp-sentinel/`, or a `*baseline*.json`. A file that a project reads under another name
 * (a baseline the config names `known-findings.json`) is not recognised here: the caller tracks those itself.
 */
export function isProjectFilePath(pathOrUri: string): boolean {
  return PROJECT_FILE_PATH.test(pathOrUri);
}
