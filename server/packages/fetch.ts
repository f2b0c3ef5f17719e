// The network half of vetting, through npm's own fetcher (pacote): resolve a registry spec to one version and its
// integrity, and download the tarball bytes, which pacote checks against that integrity before handing them over.
// This module is the entry of its own bundle (dist/packages.js, loaded by load.ts only when a package is vetted),
// because pacote and its dependencies weigh more than the rest of the command line's start-up.
//
// Only registry specs and local tarball files reach pacote: a git or directory spec would make pacote run the
// package's `prepare` script, so those are refused before this module is called (spec.ts) and checked again here.
import npa from 'npm-package-arg';
import pacote from 'pacote';
import { VetError } from './errors';
import type { NpmFetchOptions } from './npmrc';

/** How to fetch: the user's npm settings plus the cache and the offline switch. */
export interface FetchOptions {
  /** Registry, scopes, credentials, proxy and CA (npmrc.ts). */
  npm: NpmFetchOptions;
  /** pacote's content-addressed cache folder (tarballs by integrity, registry answers). */
  cache: string;
  /** Answer from the cache only. */
  offline?: boolean;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** A registry spec resolved to one release. */
export interface ResolvedPackage {
  /** The package name. */
  name: string;
  /** The exact version. */
  version: string;
  /** The tarball's SRI integrity as the registry publishes it. */
  integrity: string;
  /** The tarball's URL. */
  resolved: string;
}

const SPEC_TYPES = new Set(['version', 'range', 'tag']);

function pacoteOptions(opts: FetchOptions): Record<string, unknown> {
  return {
    ...opts.npm,
    cache: opts.cache,
    offline: !!opts.offline,
    // Registry answers are revalidated when online, so "latest" means what would run today.
    preferOnline: !opts.offline,
    fullMetadata: false,
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
}

/** A pacote or network error as a VetError with a one-line reason. */
export function vetErrorOf(e: unknown, what: string, opts: FetchOptions): VetError {
  if (e instanceof VetError) return e;
  const err = e as NodeJS.ErrnoException & { statusCode?: number };
  const code = err?.code ?? '';
  const first = String(err?.message ?? e).split('\n')[0] ?? '';
  if (opts.signal?.aborted || err?.name === 'AbortError') return new VetError('cancelled', `${what}: cancelled`);
  if (code === 'E404' || code === 'ETARGET' || err?.statusCode === 404)
    return new VetError('not-found', `${what}: not found in the registry (${first})`);
  if (code === 'EINTEGRITY') return new VetError('integrity', `${what}: integrity check failed (${first})`);
  if (code === 'ENOTCACHED' || (opts.offline && /cache|offline/i.test(first)))
    return new VetError('offline-miss', `${what}: not in the cache (offline)`);
  return new VetError('network', `${what}: ${first}`);
}

/** Resolves `name@range` (a version, range or tag) against the configured registry. */
export async function resolvePackage(name: string, range: string, opts: FetchOptions): Promise<ResolvedPackage> {
  const spec = `${name}@${range}`;
  const parsed = npa(spec);
  if (!SPEC_TYPES.has(parsed.type)) throw new VetError('not-found', `${spec}: only registry specs can be vetted`);
  let m: Awaited<ReturnType<typeof pacote.manifest>>;
  try {
    m = await pacote.manifest(spec, pacoteOptions(opts) as pacote.Options);
  } catch (e) {
    throw vetErrorOf(e, spec, opts);
  }
  if (!m._integrity) throw new VetError('integrity', `${spec}: the registry publishes no integrity for ${m.version}`);
  return { name: m.name, version: m.version, integrity: m._integrity, resolved: m._resolved };
}

/**
 * The tarball bytes of a resolved release, checked against its integrity by pacote (a mismatch is a VetError
 * `integrity`). From pacote's cache when it holds them, so a second vet of the same release needs no network.
 */
export async function fetchRegistryTarball(pkg: ResolvedPackage, opts: FetchOptions): Promise<Buffer> {
  const spec = `${pkg.name}@${pkg.version}`;
  try {
    return await pacote.tarball(spec, {
      ...pacoteOptions(opts),
      integrity: pkg.integrity,
      resolved: pkg.resolved,
    } as pacote.Options);
  } catch (e) {
    throw vetErrorOf(e, spec, opts);
  }
}

/**
 * The bytes of a local tarball file (`file:` specs of a `.tgz`, no directory), and their integrity; when
 * `integrity` is given the bytes must match it.
 */
export async function fetchLocalTarball(
  path: string,
  integrity: string | undefined,
  opts: FetchOptions,
): Promise<{ bytes: Buffer; integrity: string }> {
  const parsed = npa(`file:${path}`);
  if (parsed.type !== 'file') throw new VetError('not-found', `${path}: not a tarball file`);
  try {
    const bytes = await pacote.tarball(`file:${path}`, {
      ...pacoteOptions(opts),
      ...(integrity ? { integrity } : {}),
    } as pacote.Options);
    return { bytes, integrity: String(bytes.integrity) };
  } catch (e) {
    throw vetErrorOf(e, path, opts);
  }
}
