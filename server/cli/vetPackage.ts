// Vetting one package: resolve the request through the user's npm configuration, fetch the tarball (integrity
// checked by pacote), unpack it as data into a private temporary folder under the package limits, scan it with the
// same engine as `scan`, and answer with the report, the tool inventory and the tools' definition hashes. Results are
// cached by the tarball's integrity, and an exact version's resolution by registry, name and version, so the same
// release again is answered from disk, offline too. The temporary folder is removed whatever happens.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { toolVersion } from '../core/version';
import { classifyPath } from '../core/fileKinds';
import { CONFIG_FILE, PROJECT_DIR } from '../../shared/projectFiles';
import { digest, ResultStore } from '../cache/store';
import { DEFAULT_SKIP_DIRS } from '../discovery/discover';
import { buildInventory } from '../engine/inventory';
import { buildPins } from '../engine/pins';
import type { PinnedTool } from '../project/pins';
import { VetError } from '../packages/errors';
import { extractTarball, type Extraction } from '../packages/extract';
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from '../packages/limits';
import { loadFetcher } from '../packages/load';
import { npmFetchOptions, registryFor } from '../packages/npmrc';
import { parsePackageSpec } from '../packages/spec';
import type { ReportInput } from '../reports/model';
import { enabledRuleMeta, ruleCatalogue } from '../rules/catalogue';
import { workerScript } from '../workers/pool';
import { runScan } from './scan';
import type { PackageVet, VetOptions } from './vet';
import {
  extractionFindings,
  packageRoot,
  rewriteInventory,
  rewriteReport,
  unsuppressed,
  withFindings,
} from './vetReport';
import { installedPackage, copyInstalled } from './vetInstalled';
import semver from 'semver';

/** A vetted package with what the report formats need besides the JSON report (rules, code excerpts). */
export interface VettedPackage {
  /** The contract's result. */
  vet: PackageVet;
  /** The report input for text, SARIF and HTML output. */
  input: ReportInput;
}

/**
 * Which installed versions may stand for the request: the exact version; with `preferInstalled` (a config's npx
 * launch, which runs the installed copy first) also any version in a requested range, or any version for a bare
 * name. Undefined when none may (a dist-tag other than the implicit `latest` asks the registry).
 */
function installedAccepting(
  spec: { range: string; exact: boolean; versioned: boolean },
  preferInstalled: boolean,
): ((version: string) => boolean) | undefined {
  if (spec.exact) return (v) => v === spec.range;
  if (!preferInstalled) return undefined;
  if (!spec.versioned) return () => true;
  return semver.validRange(spec.range) ? (v) => semver.satisfies(v, spec.range) : undefined;
}

/** The layout of the cached values; bump it when PackageVet's shape changes. */
const CACHE_LAYOUT = 'package-vet-1';

/** What a cached vet depends on besides the tarball: the scanner's version and its engine's code. */
function engineKey(): string {
  let bytes: Buffer | string = '\0none';
  try {
    bytes = readFileSync(workerScript());
  } catch {
    // No worker bundle: runScan will say so; the key just cannot name the engine's bytes.
  }
  return digest(CACHE_LAYOUT, toolVersion(), bytes);
}

/** True when the request names a local tarball file rather than a registry package. */
export function isTarballRequest(request: string): boolean {
  return /^file:/.test(request) || /\.(?:tgz|tar\.gz)$/i.test(request);
}

/** Rejects as soon as the signal aborts: the deadline of the whole vet, or the caller's cancellation. */
function guarded<T>(p: Promise<T>, signal: AbortSignal, cancelled: () => boolean, what: string): Promise<T> {
  return new Promise<T>((ok, fail) => {
    const onAbort = () =>
      fail(
        cancelled()
          ? new VetError('cancelled', `${what}: cancelled`)
          : new VetError('timeout', `${what}: over the time budget`),
      );
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(ok, fail).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Vets one request; see `vetPackage` in vet.ts for the contract. */
export async function vetPackageFull(request: string, options: VetOptions): Promise<VettedPackage> {
  const limits: PackageLimits = { ...DEFAULT_PACKAGE_LIMITS, ...options.limits };
  const deadline = AbortSignal.timeout(options.timeoutMs ?? limits.timeMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const cancelled = () => !!options.signal?.aborted;
  const progress = options.onProgress ?? (() => undefined);
  const store = options.cacheDir ? new ResultStore(options.cacheDir) : undefined;
  const work = mkdtempSync(join(tmpdir(), 'mcp-sentinel-vet-'));
  const guard = <T>(p: Promise<T>) => guarded(p, signal, cancelled, request);
  try {
    const fetchOptions = {
      npm: npmFetchOptions(options.cwd),
      cache: options.cacheDir ? join(options.cacheDir, 'npm') : join(work, 'npm-cache'),
      ...(options.offline ? { offline: true } : {}),
      signal,
    };
    const pkgDir = join(work, 'package');
    mkdirSync(pkgDir, { mode: 0o700 });
    const engine = engineKey();
    const cached = (integrity: string) => store?.get<PackageVet>(digest('vet', engine, integrity));
    // Every source (a tarball, node_modules, the registry) ends the same way: a scan of the unpacked folder.
    const scanHere = (name: string, version: string, integrity: string, from: PackageVet['from'], x: Extraction) =>
      guard(scanPackage(request, name, version, integrity, from, pkgDir, x, { store, engine, progress, signal }));

    // A local tarball: its bytes through pacote's file fetcher (no scripts for a file spec), its name from inside.
    if (isTarballRequest(request)) {
      const path = resolve(options.cwd, request.replace(/^file:/, ''));
      progress(`reading ${path}`);
      const { bytes, integrity } = await guard(loadFetcher().fetchLocalTarball(path, options.integrity, fetchOptions));
      const hit = cached(integrity);
      if (hit) return fromCache({ ...hit, request, from: 'cache' });
      const x = await guard(extractTarball(bytes, pkgDir, limits, signal));
      const manifest = readManifest(pkgDir);
      return await scanHere(manifest.name ?? 'tarball', manifest.version ?? '0.0.0', integrity, 'tarball', x);
    }

    let spec;
    try {
      spec = parsePackageSpec(request);
    } catch (e) {
      throw new VetError('not-found', (e as Error).message);
    }
    const registry = registryFor(spec.name, fetchOptions.npm);
    const resolutionKey = digest('npm-resolution', CACHE_LAYOUT, registry, spec.name, spec.range);

    // Already installed at the version asked for: read from node_modules, no network.
    const accepts = installedAccepting(spec, options.preferInstalled === true);
    const installed = accepts ? installedPackage(options.cwd, spec.name, accepts) : undefined;
    if (installed) {
      progress(`reading ${spec.name}@${installed.version} from node_modules`);
      const hit = installed.integrity ? cached(installed.integrity) : undefined;
      if (hit) return fromCache({ ...hit, request, from: 'node_modules' });
      const x = copyInstalled(installed.dir, pkgDir, limits);
      return await scanHere(spec.name, installed.version, installed.integrity, 'node_modules', x);
    }

    // An exact version resolved before needs no registry: its integrity names the cached result and tarball.
    let resolved = spec.exact
      ? store?.get<{ name: string; version: string; integrity: string; resolved: string }>(resolutionKey)
      : undefined;
    if (!resolved) {
      progress(`resolving ${spec.name}@${spec.range}`);
      resolved = await guard(loadFetcher().resolvePackage(spec.name, spec.range, fetchOptions));
      if (spec.exact) store?.put(resolutionKey, resolved);
    }
    const hit = cached(resolved.integrity);
    if (hit) return fromCache({ ...hit, request, from: 'cache' });
    progress(`fetching ${resolved.name}@${resolved.version}`);
    const bytes = await guard(loadFetcher().fetchRegistryTarball(resolved, fetchOptions));
    const x = await guard(extractTarball(bytes, pkgDir, limits, signal));
    return await scanHere(resolved.name, resolved.version, resolved.integrity, 'registry', x);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The package.json of an unpacked package (name and version), or nothing usable. */
function readManifest(dir: string): { name?: string; version?: string } {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    return {
      ...(typeof m.name === 'string' ? { name: m.name } : {}),
      ...(typeof m.version === 'string' ? { version: m.version } : {}),
    };
  } catch {
    return {};
  }
}

/** A cached vet as the report formats need it: the catalogue's rules, and no code excerpts (no text is kept). */
function fromCache(vet: PackageVet): VettedPackage {
  return {
    vet,
    input: {
      report: vet.report,
      rules: enabledRuleMeta(ruleCatalogue(), (r) => r.severity),
      excerptsOmitted: 'Code excerpts are not shown: this package was answered from the cache, which keeps no source.',
    },
  };
}

/** The files under `dir` (relative, forward slashes), symbolic links left out, for reading back after a scan. */
function filesUnder(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') out.push(...filesUnder(dir, r));
    } else if (e.isFile()) out.push(r);
  }
  return out;
}

/** What a package scan runs with: the result cache, the engine's key, progress, and the vet's abort signal. */
interface ScanRun {
  store: ResultStore | undefined;
  engine: string;
  progress: (m: string) => void;
  signal: AbortSignal;
}

/**
 * Scans an unpacked package in `dir` like `scan` does a folder, with the package's dist/ and build/ folders
 * included (published packages ship their code there), no .gitignore and none of the package's own project files
 * (a package must not configure, ignore or baseline its own findings). Then builds the inventory and the pins.
 */
async function scanPackage(
  request: string,
  name: string,
  version: string,
  integrity: string,
  from: PackageVet['from'],
  dir: string,
  x: Extraction,
  run: ScanRun,
): Promise<VettedPackage> {
  const { store, engine, progress, signal } = run;
  rmSync(join(dir, CONFIG_FILE), { recursive: true, force: true });
  rmSync(join(dir, PROJECT_DIR), { recursive: true, force: true });
  progress(`scanning ${x.files.length} files of ${name}@${version}`);
  const outcome = await runScan({
    paths: [dir],
    cwd: dir,
    discovery: { skipDirs: DEFAULT_SKIP_DIRS.filter((d) => d !== 'dist' && d !== 'build'), gitignore: false },
    // The vet's deadline and the caller's cancellation stop the scan's workers too, not only the wait for them.
    signal,
  });
  const root = packageRoot(name, version);
  const texts: { file: string; text: string }[] = [];
  for (const f of filesUnder(dir)) {
    const kind = classifyPath(f);
    if (kind !== 'js' && kind !== 'python' && kind !== 'json') continue;
    const p = join(dir, ...f.split('/'));
    if (lstatSync(p).size <= DEFAULT_PACKAGE_LIMITS.fileBytes) texts.push({ file: f, text: readFileSync(p, 'utf8') });
  }
  const inventory = rewriteInventory(buildInventory(texts), root);
  const toolHashes: Record<string, PinnedTool> = {};
  for (const s of Object.values(buildPins(texts).servers))
    for (const [tool, pin] of Object.entries(s.tools))
      toolHashes[tool] ??= { sha256: pin.sha256, file: `${root}/${pin.file}` };
  const report = withFindings(unsuppressed(rewriteReport(outcome.report, root)), extractionFindings(x, root));
  const vet: PackageVet = { request, name, version, integrity, from, report, inventory, toolHashes };
  // A package read only in part is not cached: a later vet with other limits must read it again.
  if (integrity && !x.broken) store?.put(digest('vet', engine, integrity), { ...vet, request: '' });
  const excerpt = outcome.excerpt;
  const prefix = `${root}/`;
  return {
    vet,
    input: {
      report,
      rules: outcome.rules,
      ...(excerpt
        ? {
            excerpt: (f) =>
              f.file.startsWith(prefix) ? excerpt({ ...f, file: f.file.slice(prefix.length) }) : undefined,
          }
        : {}),
    },
  };
}
