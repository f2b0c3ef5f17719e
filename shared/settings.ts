/**
 * The extension's settings, declared once. package.json `contributes.configuration` mirrors this table exactly
 * (test/unit/settings-sync.test.ts fails when the two drift), the server reads them per document's folder, and the
 * client reads the few it needs before the server starts. No `vscode` or Node-only imports: both sides bundle it.
 */
import { DEFAULT_MAX_FILE_SIZE_KB, DEFAULT_TIMEOUT_MS } from './limits';
import type { Severity } from './types';

/** Where a setting may be set, as VS Code understands `scope` in `contributes.configuration`. */
export type SettingScope = 'application' | 'machine' | 'machine-overridable' | 'window' | 'resource';

/**
 * Which runtime starts the language server: the user's `node` (so the native re2 addon loads), the editor's own
 * (JavaScript regex backend), or `auto`, which prefers a node that is found.
 */
export type ServerRuntime = 'auto' | 'node' | 'vscode';

/** Level of LSP message tracing written to the output channel. */
export type TraceLevel = 'off' | 'messages' | 'verbose';

/** A rule's severity override from settings, or `off` to silence it in the editor. */
export type SeverityOverride = Severity | 'off';

/** The typed shape of every `mcpSentinel.*` setting, as the code reads it. */
export interface SentinelSettings {
  /** Master switch: when false no document of that folder is scanned and its diagnostics are cleared. */
  enable: boolean;
  /** Quiet time after the last edit before a document is scanned, in milliseconds. */
  debounceMs: number;
  /** Number of worker threads that run detection; 0 picks a size suited to the machine. */
  workers: number;
  /** Per-file time budget for one scan, in milliseconds; a worker that exceeds it is replaced. */
  timeoutMs: number;
  /** Files larger than this (in KB) are skipped with an informational diagnostic. */
  maxFileSizeKB: number;
  /** Severity overrides by rule id (`off` disables the rule in the editor). */
  rules: Record<string, SeverityOverride>;
  /** Which runtime runs the server: the user's `node` (re2 backend), VS Code's own (JS backend), or auto. */
  'server.runtime': ServerRuntime;
  /** Path of the `node` executable to use; empty searches PATH. Restricted in untrusted workspaces. */
  'server.nodePath': string;
  /** Path of a project config file to use instead of `.mcp-sentinel.json`. Restricted in untrusted workspaces. */
  configFile: string;
  /** Whether the findings tree lists suppressed findings too. */
  showSuppressed: boolean;
  /** Also report the generic sink and secret heuristics in test, script and build files (config `includeTests` wins). */
  includeTests: boolean;
  /** LSP trace level for the output channel. */
  'trace.server': TraceLevel;
  /**
   * Vet the packages an MCP client config launches when the config is opened (network use without a click). Off by
   * default, restricted, and never acted on in an untrusted workspace.
   */
  'vet.onOpen': boolean;
}

/** The declaration of one setting: what package.json contributes for it. */
export interface SettingSpec<K extends keyof SentinelSettings = keyof SentinelSettings> {
  /** JSON-schema type as contributed. */
  type: 'boolean' | 'number' | 'string' | 'object';
  /** Default value. */
  default: SentinelSettings[K];
  /** Configuration scope. */
  scope: SettingScope;
  /** Shown in the Settings UI. */
  description: string;
  /** Allowed values for strings. */
  enum?: readonly string[];
  /** Inclusive lower bound for numbers. */
  minimum?: number;
  /** Inclusive upper bound for numbers. */
  maximum?: number;
  /** For objects: the schema of each property value. */
  additionalProperties?: { type: 'string'; enum: readonly string[] };
  /**
   * True for settings that point at files or executables: VS Code ignores workspace values of these in an
   * untrusted workspace (`capabilities.untrustedWorkspaces.restrictedConfigurations`).
   */
  restricted?: boolean;
  /**
   * True for settings read only when the server starts (which runtime runs it and from where): changing one asks
   * the user to restart, since the running server cannot pick the change up. Every other setting applies live.
   */
  requiresRestart?: boolean;
}

/** Prefix of every setting. */
export const SETTINGS_SECTION = 'mcpSentinel';

const SEVERITY_OR_OFF = ['critical', 'high', 'medium', 'low', 'info', 'off'] as const;

/** Every setting, keyed by its name under `mcpSentinel.`. */
export const SETTINGS: { readonly [K in keyof SentinelSettings]: SettingSpec<K> } = {
  enable: {
    type: 'boolean',
    default: true,
    scope: 'resource',
    description: 'Scan MCP servers and MCP client configs in this folder.',
  },
  debounceMs: {
    type: 'number',
    default: 250,
    minimum: 0,
    maximum: 5000,
    scope: 'resource',
    description: 'Milliseconds of quiet after the last edit before a document is scanned.',
  },
  workers: {
    type: 'number',
    default: 0,
    minimum: 0,
    maximum: 16,
    scope: 'window',
    description:
      'Worker threads that run detection; 0 picks a size suited to the machine (CPU cores - 1, at most 4). `workers` in .mcp-sentinel.json wins over this setting.',
  },
  timeoutMs: {
    type: 'number',
    default: DEFAULT_TIMEOUT_MS,
    minimum: 100,
    scope: 'resource',
    description:
      'Per-file time budget in milliseconds; a scan that exceeds it is stopped and the file reported as skipped. `limits.timeoutMs` in .mcp-sentinel.json wins over this setting.',
  },
  maxFileSizeKB: {
    type: 'number',
    default: DEFAULT_MAX_FILE_SIZE_KB,
    minimum: 1,
    scope: 'resource',
    description:
      'Files larger than this many KB are skipped (with an informational diagnostic). The same default as the CLI; `limits.maxFileSizeKB` in .mcp-sentinel.json wins over this setting.',
  },
  includeTests: {
    type: 'boolean',
    default: false,
    scope: 'resource',
    description:
      'Also report generic command, code, SQL and deserialization findings and generic secret guesses in test, spec, fixture, script and build-config files (left out by default, as the CLI does without --include-tests). `includeTests` in .mcp-sentinel.json wins over this setting.',
  },
  rules: {
    type: 'object',
    default: {},
    scope: 'resource',
    additionalProperties: { type: 'string', enum: SEVERITY_OR_OFF },
    description:
      'Severity overrides by rule id, e.g. { "secret-generic-assignment": "low" }; "off" disables a rule in the editor.',
  },
  'server.runtime': {
    type: 'string',
    default: 'auto',
    enum: ['auto', 'node', 'vscode'],
    scope: 'window',
    requiresRestart: true,
    description:
      "Runtime of the language server: 'node' uses your Node.js >= 20 (fast native re2 regex backend), 'vscode' uses the editor's own runtime (JavaScript regex backend), 'auto' prefers node when one is found.",
  },
  'server.nodePath': {
    type: 'string',
    default: '',
    scope: 'machine-overridable',
    restricted: true,
    requiresRestart: true,
    description: 'Path of the node executable that runs the language server; empty searches PATH.',
  },
  configFile: {
    type: 'string',
    default: '',
    scope: 'resource',
    restricted: true,
    description: 'Path of the project config file, relative to the folder; empty uses .mcp-sentinel.json.',
  },
  showSuppressed: {
    type: 'boolean',
    default: false,
    scope: 'window',
    description: 'Show suppressed findings in the MCP Sentinel findings view.',
  },
  'trace.server': {
    type: 'string',
    default: 'off',
    enum: ['off', 'messages', 'verbose'],
    scope: 'window',
    description: 'Traces the communication between VS Code and the MCP Sentinel language server in its output channel.',
  },
  'vet.onOpen': {
    type: 'boolean',
    default: false,
    scope: 'resource',
    restricted: true,
    description:
      'Vet the npm packages that an MCP client config launches (fetch and read them, never run them) as soon as the config is opened. Off by default: vetting uses the network, so it otherwise runs only when you click a "Vet package" lens or run "Vet Configured Servers". Never runs by itself in an untrusted workspace.',
  },
};

/** The default value of every setting. */
export function defaultSettings(): SentinelSettings {
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(SETTINGS)) out[k] = structuredCloneValue(spec.default);
  return out as unknown as SentinelSettings;
}

function structuredCloneValue<T>(v: T): T {
  return v !== null && typeof v === 'object' ? (JSON.parse(JSON.stringify(v)) as T) : v;
}

const SEVERITY_SET = new Set<string>(SEVERITY_OR_OFF);

/**
 * Reads settings as the editor returns them (a nested object for section `mcpSentinel`, possibly partial, possibly
 * holding wrong types typed by hand in settings.json) into a complete, valid `SentinelSettings`: anything missing
 * or malformed falls back to its default, so one bad value never stops scanning.
 */
export function normaliseSettings(raw: unknown): SentinelSettings {
  const out = defaultSettings();
  if (!raw || typeof raw !== 'object') return out;
  const get = (key: string): unknown => {
    // VS Code returns dotted keys as nested objects (`server.runtime` → { server: { runtime } }); accept both.
    const r = raw as Record<string, unknown>;
    if (key in r) return r[key];
    let cur: unknown = r;
    for (const part of key.split('.')) {
      if (!cur || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  };
  const o = out as unknown as Record<string, unknown>;
  for (const [key, spec] of Object.entries(SETTINGS) as [string, SettingSpec][]) {
    const v = get(key);
    if (v === undefined || v === null) continue;
    if (spec.type === 'number' && typeof v === 'number' && Number.isFinite(v)) {
      o[key] = Math.min(spec.maximum ?? Infinity, Math.max(spec.minimum ?? -Infinity, v));
    } else if (spec.type === 'boolean' && typeof v === 'boolean') {
      o[key] = v;
    } else if (spec.type === 'string' && typeof v === 'string' && (!spec.enum || spec.enum.includes(v))) {
      o[key] = v;
    } else if (spec.type === 'object' && typeof v === 'object' && !Array.isArray(v)) {
      const rules: Record<string, SeverityOverride> = {};
      for (const [id, sev] of Object.entries(v as Record<string, unknown>)) {
        if (typeof sev === 'string' && SEVERITY_SET.has(sev)) rules[id] = sev as SeverityOverride;
      }
      o[key] = rules;
    }
  }
  return out;
}

/** The `contributes.configuration.properties` object that package.json must hold, generated from `SETTINGS`. */
export function contributedProperties(): Record<string, Record<string, unknown>> {
  const props: Record<string, Record<string, unknown>> = {};
  for (const [key, spec] of Object.entries(SETTINGS) as [string, SettingSpec][]) {
    const p: Record<string, unknown> = { type: spec.type, default: spec.default, scope: spec.scope };
    if (spec.enum) p.enum = [...spec.enum];
    if (spec.minimum !== undefined) p.minimum = spec.minimum;
    if (spec.maximum !== undefined) p.maximum = spec.maximum;
    if (spec.additionalProperties)
      p.additionalProperties = { type: spec.additionalProperties.type, enum: [...spec.additionalProperties.enum] };
    p.markdownDescription = spec.description;
    props[`${SETTINGS_SECTION}.${key}`] = p;
  }
  return props;
}

/** The settings that VS Code must ignore from workspace config in untrusted workspaces. */
export function restrictedSettings(): string[] {
  return (Object.entries(SETTINGS) as [string, SettingSpec][])
    .filter(([, s]) => s.restricted)
    .map(([k]) => `${SETTINGS_SECTION}.${k}`);
}

/** The settings whose change needs a server restart, as full keys (`mcpSentinel.server.runtime`). */
export function restartSettings(): string[] {
  return (Object.entries(SETTINGS) as [string, SettingSpec][])
    .filter(([, s]) => s.requiresRestart)
    .map(([k]) => `${SETTINGS_SECTION}.${k}`);
}

/** The worker-pool size for a machine with `cpus` logical cores when the setting is 0 (auto). */
export function autoWorkerCount(cpus: number): number {
  return Math.max(1, Math.min(4, cpus - 1));
}
