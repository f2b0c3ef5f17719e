// Loads the fetcher bundle (fetch.ts, built to dist/packages.js) on first use. pacote and its dependencies are only
// needed when a package is vetted, so the command line and the language server do not pay for them at start-up.
// The bundle is found beside the running one (dist/), else in the nearest dist/ above it (the test bundles).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VetError, type VetErrorCode } from './errors';

/** The fetcher module's API. */
export type Fetcher = typeof import('./fetch');

let loaded: Fetcher | undefined;

/** The path of dist/packages.js as seen from this bundle. */
export function fetcherScript(): string {
  const beside = join(__dirname, 'packages.js');
  if (existsSync(beside)) return beside;
  for (let d = __dirname; d !== dirname(d); d = dirname(d)) {
    const built = join(d, 'dist', 'packages.js');
    if (existsSync(built)) return built;
  }
  return beside;
}

/**
 * The bundle has its own copy of the VetError class, so its errors fail `instanceof` in this one: each is rebuilt
 * here as this bundle's VetError with the same code and message.
 */
function sameError(e: unknown): unknown {
  const x = e as { name?: unknown; code?: unknown; message?: unknown } | undefined;
  return x && x.name === 'VetError' && typeof x.code === 'string' && !(e instanceof VetError)
    ? new VetError(x.code as VetErrorCode, String(x.message))
    : e;
}

/** The fetcher, loaded once. Throws when the bundle is missing (a broken install). */
export function loadFetcher(): Fetcher {
  if (!loaded) {
    const script = fetcherScript();
    if (!existsSync(script)) throw new Error(`the package fetcher bundle is missing: ${script}`);
    const raw = require(script) as Fetcher;
    loaded = {
      ...raw,
      resolvePackage: (...a) => raw.resolvePackage(...a).catch((e: unknown) => Promise.reject(sameError(e))),
      fetchRegistryTarball: (...a) =>
        raw.fetchRegistryTarball(...a).catch((e: unknown) => Promise.reject(sameError(e))),
      fetchLocalTarball: (...a) => raw.fetchLocalTarball(...a).catch((e: unknown) => Promise.reject(sameError(e))),
    };
  }
  return loaded;
}
