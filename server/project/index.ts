/**
 * The project files of a root: `.mcp-sentinel.json` (config.ts), `.mcp-sentinel/ignore.json` (ignoreFile.ts) and
 * the baseline (baseline.ts), each loaded and validated with positioned errors. `openProject`
 * (server/engine/project.ts) is the one caller that matters; the CLI and the editor read the result from the
 * Project it returns.
 */
export * from './types';
export { loadProjectConfig, parseProjectConfig, CONFIG_KEYS, type LoadedConfig } from './config';
export { loadIgnoreFile, parseIgnoreFile, isIsoDate, type LoadedIgnoreFile } from './ignoreFile';
export { checkCustomPattern } from './customPattern';
