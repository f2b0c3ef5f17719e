/**
 * Package vetting as the editor sees it: the plain wire shape of one vetted server entry of an MCP client config,
 * sent by the language server in answer to `mcpSentinel/vetServers` (shared/protocol.ts). The server maps the
 * engine's `ServerVet` (server/cli/vet.ts) to this shape, keeping only what the client shows: the code lens, the
 * hover and the findings tree. No `vscode` or Node-only imports: both bundles include it.
 */
import type { Capability } from './capabilities';
import type { Severity } from './types';

/** One tool of a vetted package and what its code can do. */
export interface VetToolWire {
  /** The tool's name (masked like every name a report prints). */
  name: string;
  /** Its capabilities, most powerful first. */
  capabilities: Capability[];
  /** True when a tool argument controls at least one of them. */
  argumentControlled: boolean;
  /** The one-line summary ("runs shell · reads files · argument-controlled"), empty for a tool that does nothing notable. */
  summary: string;
}

/** One finding in a vetted package (capability inventory findings are listed as tools instead). */
export interface VetFindingWire {
  /** Rule id. */
  ruleId: string;
  /** Effective severity. */
  severity: Severity;
  /** One-line message, secrets masked. */
  message: string;
  /** Where in the package: `npm:<name>@<version>/<path>`. */
  path: string;
  /** 1-based line. */
  line: number;
}

/**
 * What every view of a vetted server entry says about the entry itself, whatever else it carries: the engine's
 * `ServerVet` (server/cli/vet.ts) and the wire shape below both extend it.
 */
export interface ServerEntryVet {
  /** The server's name (its key in the config). */
  server: string;
  /** Zero-based line and character of the server's key in the config. */
  line: number;
  character: number;
  /** The launcher (`npx`, `npm exec`, `pnpm dlx`, `bunx`, `yarn dlx`, `uvx`, `pipx`), when the entry runs one. */
  launcher?: string;
  /** The package spec as written in the config, e.g. `@scope/name@1.2.3` or `name`. */
  package?: string;
  /** True when the config pins an exact version; false means "what would run today". */
  pinned: boolean;
  /** Vetted; not vetted (see `reason`); or not a package launch (a local command, a remote URL). */
  status: 'vetted' | 'not-vetted' | 'not-a-package';
  /** Why it was not vetted, e.g. "not vetted: Python registry unavailable". */
  reason?: string;
  /** Tools whose definitions differ from the pin file's (a rug pull across releases), by name. */
  changedTools?: string[];
  /** One line for people: "3 tools · runs shell · 1 high". */
  summary: string;
}

/** One server entry of an MCP client config and what vetting it found, as the client shows it. */
export interface ServerVetWire extends ServerEntryVet {
  /** URI of the config file that holds the entry. */
  configUri: string;
  /** The resolved package name, when vetted. */
  name?: string;
  /** The resolved version, when vetted. */
  version?: string;
  /** The verified integrity (SRI) of the package, when vetted. */
  integrity?: string;
  /** Where the code was read from: the registry, the result cache, the workspace's node_modules, a tarball. */
  from?: 'registry' | 'cache' | 'node_modules' | 'tarball';
  /** The package's tools with their capabilities. */
  tools: VetToolWire[];
  /** The package's unsuppressed findings, most severe first. */
  findings: VetFindingWire[];
}

/** The prefix of every vetting lens ("Vet package", then "Vet package: 3 tools · runs shell · 1 high"). */
export const VET_LENS_TITLE = 'Vet package';

/** The title of a server entry's lens: before vetting a call to act, after it the result's summary or reason. */
export function vetLensTitle(vet: ServerVetWire | undefined): string {
  if (!vet) return VET_LENS_TITLE;
  if (vet.status === 'vetted') return `${VET_LENS_TITLE}: ${vet.summary}`;
  return `${VET_LENS_TITLE}: ${vet.reason ?? vet.summary ?? 'not vetted'}`;
}

/** URI scheme of the read-only documents that show a file of a vetted package (`mcp-sentinel-package:`). */
export const PACKAGE_FILE_SCHEME = 'mcp-sentinel-package';
