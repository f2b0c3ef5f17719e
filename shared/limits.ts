/**
 * The scan limits' defaults, declared once for the CLI, the language server and the extension's settings: a file
 * skipped by one front end for its size is skipped by the others, whatever the user did not configure.
 */

/** Files larger than this many KB are skipped with a reason (`limits.maxFileSizeKB`, `mcpSentinel.maxFileSizeKB`). */
export const DEFAULT_MAX_FILE_SIZE_KB = 10240;

/** The per-file time budget in milliseconds (`limits.timeoutMs`, `mcpSentinel.timeoutMs`). */
export const DEFAULT_TIMEOUT_MS = 5000;
