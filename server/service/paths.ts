// Which paths a request may scan: only those inside an allowed root once every symlink is resolved, so that neither
// `..` nor a link inside a root can reach the rest of the disk.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A request path that the service refuses, with a message fit for the client (400). */
export class PathRefused extends Error {}

/** Resolves the roots once (they must exist); returns their real paths. */
export function realRoots(roots: readonly string[]): string[] {
  return roots.map((r) => {
    try {
      return realpathSync(r);
    } catch (e) {
      throw new Error(`--root ${r} cannot be used (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
  });
}

function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/**
 * The real path of `requested` when it lies inside one of `roots` (real paths). A relative path is taken against
 * the first root. The answer never names what lies outside the roots, so a refusal does not confirm that a path
 * exists there.
 */
export function resolveInRoots(requested: string, roots: readonly string[]): string {
  if (roots.length === 0) throw new PathRefused('this service scans no paths (it was started without --root)');
  if (requested.includes('\0')) throw new PathRefused('the path holds a NUL character');
  const abs = isAbsolute(requested) ? resolve(requested) : resolve(roots[0]!, requested);
  // The lexical check first: a path that points outside by its text is refused without touching the disk.
  if (!roots.some((r) => inside(r, abs))) throw new PathRefused('the path is outside the allowed roots');
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    throw new PathRefused('the path does not exist under the allowed roots');
  }
  if (!roots.some((r) => inside(r, real)))
    throw new PathRefused('the path leads outside the allowed roots (through a symbolic link)');
  return real;
}

/** The same check for a path named inside a scan (the `config` field): it must stay under the scanned root. */
export function resolveUnder(requested: string, base: string, roots: readonly string[]): string {
  return resolveInRoots(isAbsolute(requested) ? requested : resolve(base, requested), roots);
}
