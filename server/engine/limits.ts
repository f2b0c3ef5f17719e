import type { ProjectConfig } from '../project/types';
import { DEFAULT_MAX_FILE_BYTES, type DiscoveryOptions } from '../discovery/discover';

import { DEFAULT_TIMEOUT_MS } from '../../shared/limits';

/** Per-file time budget when neither the project config nor the editor sets one (milliseconds; shared/limits.ts). */
export { DEFAULT_TIMEOUT_MS };

/** What the editor's settings say about the same limits; absent fields fall back to the defaults. */
export interface EditorLimits {
  /** `mcpSentinel.maxFileSizeKB`. */
  maxFileSizeKB?: number;
  /** `mcpSentinel.timeoutMs`. */
  timeoutMs?: number;
  /** `mcpSentinel.workers` (0 = automatic). */
  workers?: number;
}

/** The limits a scan of one project runs under. */
export interface ScanLimits {
  /** Files larger than this many bytes are skipped with a reason. */
  maxFileBytes: number;
  /** Per-file time budget in milliseconds (enforced where a scan runs in a worker thread). */
  timeoutMs: number;
  /** Worker threads wanted; 0 means "pick for this machine". */
  workers: number;
}

/**
 * The limits of a project, with one precedence everywhere: a value in `.mcp-sentinel.json` wins (it is the
 * project's shared choice, and what the CLI uses), then the editor's setting, then the default. So a project
 * that sets its limits is scanned the same way by the CLI and by every editor, whatever their settings.
 */
export function scanLimits(config: ProjectConfig, editor: EditorLimits = {}): ScanLimits {
  const kb = config.limits?.maxFileSizeKB ?? editor.maxFileSizeKB;
  return {
    maxFileBytes: kb ? kb * 1024 : DEFAULT_MAX_FILE_BYTES,
    timeoutMs: config.limits?.timeoutMs ?? editor.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    workers: config.workers ?? editor.workers ?? 0,
  };
}

/** Discovery options of a project: its include/exclude globs and the size limit in force. */
export function discoveryOptionsOf(config: ProjectConfig, limits: ScanLimits): DiscoveryOptions {
  const options: DiscoveryOptions = { maxFileBytes: limits.maxFileBytes };
  if (config.include) options.include = config.include;
  if (config.exclude) options.exclude = config.exclude;
  return options;
}
