// Package vetting: the npm packages that MCP client configs launch, fetched and read with the full engine, never run.
// This file fixes the contract that the command line, the language server and the scan service share; the
// resolver and the safe extraction are built in server/packages/, the scan of one package in vetPackage.ts, the
// servers of MCP configs in vetServers.ts and the pins across releases in vetPins.ts.
import type { JsonReport } from '../reports/model';
import type { ToolInventory } from '../engine/inventory';
import type { PackageLimits } from '../packages/limits';
import type { PinnedTool } from '../project/pins';
import type { ServerEntryVet } from '../../shared/vet';
import { vetPackageFull } from './vetPackage';
import { vetServersFull } from './vetServers';

export { VetError, type VetErrorCode } from '../packages/errors';

/** How to reach and cache packages; every field but `cwd` is optional. */
export interface VetOptions {
  /** The folder whose `.npmrc` (and the user's and global ones) configure the registry, and whose node_modules is read first. */
  cwd: string;
  /** Cache folder for results keyed by package integrity; undefined vets without a cache. */
  cacheDir?: string;
  /** Use only the cache: a package not in it is reported as not vetted, with the reason. */
  offline?: boolean;
  /** Cancels the fetch and the scan. */
  signal?: AbortSignal;
  /** Progress lines ("resolving x", "fetching x@1.2.3", "scanning 41 files"). */
  onProgress?: (message: string) => void;
  /** Per-package time budget in milliseconds (resolve, fetch, extract and scan). */
  timeoutMs?: number;
  /** Package limits that win over the defaults (server/packages/limits.ts); tests make them small. */
  limits?: Partial<PackageLimits>;
  /** For a local tarball request: the integrity its bytes must have (a mismatch is a VetError `integrity`). */
  integrity?: string;
  /** `vetServers` only: vet just the entries with these server names (the editor's lens vets one entry). */
  servers?: readonly string[];
  /**
   * Read a package installed in `cwd`'s node_modules whenever its version satisfies the request (any version when
   * the request names none), as npx does before it asks the registry. Without it only an exact version is read from
   * there. `vetServers` sets it: a config's `npx -y name` runs the installed copy.
   */
  preferInstalled?: boolean;
}

/** One vetted package. */
export interface PackageVet {
  /** The request as given, e.g. `npm:@scope/name@^1.2`. */
  request: string;
  /** The resolved package name. */
  name: string;
  /** The resolved version. */
  version: string;
  /** The tarball's integrity (SRI), verified. */
  integrity: string;
  /** Where the code was read from. */
  from: 'registry' | 'cache' | 'node_modules' | 'tarball';
  /** The scan report; file paths read `npm:<name>@<version>/<path>`; a broken package limit is a finding here. */
  report: JsonReport;
  /** The package's tools and what they can do. */
  inventory: ToolInventory;
  /**
   * Each tool's definition hash (server/analysis/mcp/toolHash.ts) and defining file (`npm:<name>@<version>/<path>`),
   * by tool name: what `pin --servers` records and a later vet compares.
   */
  toolHashes?: Record<string, PinnedTool>;
}

/** One server entry of an MCP client config and what vetting it found. */
export interface ServerVet extends ServerEntryVet {
  /** The config file, relative to `cwd`. */
  config: string;
  /** The package's result when vetted. */
  vet?: PackageVet;
}

/**
 * Vets one package request: `npm:name[@version-or-range-or-tag]` (a registry spec only: git, file-directory and URL
 * specs are refused, since fetching them may run the package's scripts), or a local tarball (`./x.tgz`,
 * `file:x.tgz`). Throws a VetError when it cannot; a package that breaks a limit is vetted, with a finding saying so.
 */
export async function vetPackage(request: string, options: VetOptions): Promise<PackageVet> {
  return (await vetPackageFull(request, options)).vet;
}

/**
 * Vets the servers of the given MCP client configs (paths relative to `cwd`), or of every config under `cwd`. A
 * server whose package cannot be vetted is returned with status `not-vetted` and the reason; a config that cannot
 * be read is a VetError.
 */
export async function vetServers(configs: readonly string[] | undefined, options: VetOptions): Promise<ServerVet[]> {
  return (await vetServersFull(configs, options)).servers;
}
