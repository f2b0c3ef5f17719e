/**
 * The project files of a root: `.mcp-sentinel.json` (config.ts), `.mcp-sentinel/ignore.json` (ignoreFile.ts), the
 * baseline (baseline.ts) and `.mcp-sentinel/pins.json` (pins.ts), each loaded and validated with positioned errors,
 * and `loadProjectInputs` (inputs.ts), which reads them all. `openProject` (server/engine/project.ts) builds the
 * engine from the result; the language server's Workspace reads it for the errors, discovery and limits.
 */
export * from './types';
export { loadProjectConfig, parseProjectConfig, CONFIG_KEYS, type LoadedConfig } from './config';
export { loadIgnoreFile, parseIgnoreFile, isIsoDate, type LoadedIgnoreFile } from './ignoreFile';
export { checkCustomPattern } from './customPattern';
export { loadProjectInputs, type ProjectInputOptions, type ProjectInputs, type ProjectSuppression } from './inputs';
