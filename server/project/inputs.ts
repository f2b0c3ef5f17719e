/**
 * Everything a project root reads from disk before it can scan: the config, the ignore file, the baseline and the
 * pin file, with every problem collected. It needs no parsers and no rules (the caller passes the rule ids the
 * files may name), so the engine's `openProject` and the language server's main thread (which publishes the
 * errors and reads discovery and limits from the config) read the same files the same way.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { BASELINE_FILE } from '../../shared/projectFiles';
import type { PinIndex } from '../core/rule';
import { loadBaseline } from './baseline';
import { loadProjectConfig } from './config';
import { loadIgnoreFile } from './ignoreFile';
import { loadPins } from './pins';
import type { ConfigError, IgnoreEntry, ProjectConfig } from './types';

/** Options for reading a project's files. */
export interface ProjectInputOptions {
  /**
   * The ids of the rules the engine will run besides the config's own custom rules (built-in, meta and extra
   * rules): the config's `rules` and the ignore entries may name only these.
   */
  knownRuleIds: Iterable<string>;
  /** Config file to read instead of `<root>/.mcp-sentinel.json` (absolute, or relative to the root); it must exist. */
  configPath?: string;
  /**
   * Baseline file to apply (absolute, or relative to the root); wins over the config's `baseline`, which wins over
   * `<root>/.mcp-sentinel/baseline.json` when that exists. A named file must exist.
   */
  baselinePath?: string;
  /**
   * Apply no baseline at all, not even the config's (`mcp-sentinel baseline` uses this: it records today's
   * findings, and the configured baseline file may not exist yet).
   */
  skipBaseline?: boolean;
  /** The clock for ignore-entry expiry (tests inject it). Defaults to now. */
  now?: Date;
}

/** What the suppression passes take from the project files, plus the clock that decides expiry. */
export interface ProjectSuppression {
  /** Ignore-list entries from the config and `.mcp-sentinel/ignore.json`, in that order. */
  ignore: readonly IgnoreEntry[];
  /** The baseline in force, if any. */
  baseline?: {
    /** Path of the baseline file relative to the project root (or absolute outside it), for the reason text. */
    file: string;
    /** Accepted fingerprints. */
    fingerprints: ReadonlySet<string>;
  };
  /** The clock used for expiry. */
  now: Date;
}

/** The project files of one root, read and validated. */
export interface ProjectInputs {
  /** The validated config (`{}` when there is none; only its valid parts when it has errors). */
  config: ProjectConfig;
  /** Absolute path of the config file that was read, when there was one. */
  configFile?: string;
  /** Absolute path of the ignore file that was read, when there was one. */
  ignoreFile?: string;
  /** Absolute path of the baseline in force, when one was loaded. */
  baselineFile?: string;
  /** Absolute path of the pin file, when it exists. */
  pinFile?: string;
  /** The pin file indexed for the drift rule, when it exists and is valid. */
  pins?: PinIndex;
  /** Inputs of the ignore-list and baseline passes. */
  suppression: ProjectSuppression;
  /** Every problem found, in the order the files are read (config, ignore file, baseline, pin file). */
  errors: ConfigError[];
}

/** Converts a path under `root` into the report form (relative, forward slashes); other paths stay absolute. */
function displayPath(root: string, abs: string): string {
  const rel = relative(root, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : abs;
}

/**
 * Reads the project files of `root` (see `ProjectInputs`). Never throws for a problem in them: every problem is
 * returned in `errors`, and the caller decides whether that is fatal (the CLI) or shown as diagnostics (the editor).
 */
export function loadProjectInputs(root: string, options: ProjectInputOptions): ProjectInputs {
  const known = [...options.knownRuleIds];
  const loaded = loadProjectConfig(root, options.configPath, known);
  const config = loaded.config;
  const errors: ConfigError[] = [...loaded.errors];

  // The config's valid custom rules may be named by ignore entries too.
  const customIds = (config.customRules ?? []).map((r) => r.id);
  const ignoreFile = loadIgnoreFile(root, [...known, ...customIds]);
  // The errors are appended one by one, never with push(...spread): a project file can hold more errors than a
  // call takes arguments.
  for (const e of ignoreFile.errors) errors.push(e);

  const suppression: ProjectSuppression = {
    ignore: [...(config.ignore ?? []), ...ignoreFile.entries],
    now: options.now ?? new Date(),
  };
  let baselineFile: string | undefined;
  if (!options.skipBaseline) {
    const fromOption = options.baselinePath ? resolve(root, options.baselinePath) : undefined;
    const fromConfig =
      !fromOption && config.baseline && loaded.file ? resolve(dirname(loaded.file), config.baseline) : undefined;
    // Without a flag or a config entry, the baseline is the one `mcp-sentinel baseline` writes by default, when it
    // exists: the workflow "baseline today, fail only on new findings" then needs no flag anywhere.
    const byDefault = !fromOption && !fromConfig ? join(root, ...BASELINE_FILE.split('/')) : undefined;
    const file = fromOption ?? fromConfig ?? (byDefault && existsSync(byDefault) ? byDefault : undefined);
    if (file) {
      const b = loadBaseline(file, fromConfig ? loaded.file : undefined);
      for (const e of b.errors) errors.push(e);
      if (b.fingerprints) {
        suppression.baseline = { file: displayPath(root, file), fingerprints: b.fingerprints };
        baselineFile = file;
      }
    }
  }

  const pins = loadPins(root);
  for (const e of pins.errors) errors.push(e);

  const inputs: ProjectInputs = { config, suppression, errors };
  if (loaded.file) inputs.configFile = loaded.file;
  if (ignoreFile.file) inputs.ignoreFile = ignoreFile.file;
  if (baselineFile) inputs.baselineFile = baselineFile;
  if (pins.file) inputs.pinFile = pins.file;
  if (pins.pins) inputs.pins = pins.pins;
  return inputs;
}
