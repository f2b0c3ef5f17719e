/**
 * The project config module: `.mcp-sentinel.json`, `.mcp-sentinel/ignore.json` and custom rules. `openProject`
 * (server/engine/project.ts) is the one caller that matters; the CLI and the editor read the result from the
 * Project it returns.
 */
export * from './types';
export {
  loadProjectConfig,
  parseProjectConfig,
  loadIgnoreFile,
  parseIgnoreFile,
  isIsoDate,
  CONFIG_FILE,
  IGNORE_FILE,
  CONFIG_KEYS,
  type LoadedConfig,
  type LoadedIgnoreFile,
} from './load';
export { checkCustomPattern, customRuleToRule } from './customRules';
export { globMatcher } from '../core/glob';
