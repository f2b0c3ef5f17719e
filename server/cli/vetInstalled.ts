// A package already installed in the workspace's node_modules: when it is the exact version a config asks for, it is
// read from there and the registry is not asked at all. Its files are copied into the vet's private folder under the
// same limits as a tarball, symbolic links refused, so the scan sees the package exactly as an unpacked tarball.
import { copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Extraction } from '../packages/extract';
import type { PackageLimits } from '../packages/limits';

/** An installed package: where it is and the integrity the lock file records for it ('' when none does). */
export interface InstalledPackage {
  /** Its folder. */
  dir: string;
  /** The SRI integrity from package-lock.json (or npm's `_integrity` field), '' when unknown. */
  integrity: string;
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The package `name` installed at exactly `version` under `cwd/node_modules`, if it is. */
export function installedPackage(cwd: string, name: string, version: string): InstalledPackage | undefined {
  const dir = join(cwd, 'node_modules', ...name.split('/'));
  const manifest = readJson(join(dir, 'package.json'));
  if (!manifest || manifest.name !== name || manifest.version !== version) return undefined;
  const lock = readJson(join(cwd, 'package-lock.json'));
  const entry = (lock?.packages as Record<string, { version?: string; integrity?: string }> | undefined)?.[
    `node_modules/${name}`
  ];
  const integrity =
    entry?.version === version && typeof entry.integrity === 'string'
      ? entry.integrity
      : typeof manifest._integrity === 'string'
        ? manifest._integrity
        : '';
  return { dir, integrity };
}

/** Copies an installed package's files (not its own node_modules) into `to`, under the package limits. */
export function copyInstalled(from: string, to: string, limits: PackageLimits): Extraction {
  const out: Extraction = { files: [], bytes: 0, refused: [] };
  let entries = 0;
  const walk = (rel: string): boolean => {
    for (const e of readdirSync(join(from, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (++entries > limits.files) {
        out.broken = { limit: 'files', message: `the package has more than ${limits.files} entries` };
        return false;
      }
      const src = join(from, ...r.split('/'));
      if (e.isSymbolicLink()) {
        out.refused.push({ path: `package/${r}`, reason: 'symbolic link (links are never followed)' });
      } else if (e.isDirectory()) {
        if (e.name === 'node_modules') continue;
        mkdirSync(join(to, ...r.split('/')), { recursive: true, mode: 0o700 });
        if (!walk(r)) return false;
      } else if (e.isFile()) {
        const size = lstatSync(src).size;
        if (size > limits.fileBytes) {
          out.refused.push({ path: `package/${r}`, reason: `larger than ${limits.fileBytes} bytes` });
          continue;
        }
        if (out.bytes + size > limits.totalBytes) {
          out.broken = { limit: 'totalBytes', message: `the package holds more than ${limits.totalBytes} bytes` };
          return false;
        }
        copyFileSync(src, join(to, ...r.split('/')));
        out.files.push(r);
        out.bytes += size;
      }
    }
    return true;
  };
  walk('');
  return out;
}
