/**
 * Real paths for the walk, and the rule that keeps it inside the scanned folders. The walk knows the real path of
 * every folder it is in (it starts from one real path and appends names), so only a symlink needs resolving, and
 * it is resolved from its folder's real path: the cost is the length of the link's target, not the depth of the
 * folder, which keeps a deep tree linear. `realpathSync` on every entry cost a system call per path component per
 * level, cubic in the depth of the tree.
 */
import { lstatSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, sep } from 'node:path';

/** The real path a symlink leads to, and what is there. */
export interface Resolved {
  /** Absolute real path (no symlink in it). */
  real: string;
  /** The stats of what is there (links followed). */
  stats: Stats;
}

/** How many links one resolution may follow before it is a loop, as Linux's own limit. */
const MAX_HOPS = 40;

function loopError(path: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`ELOOP: too many symbolic links: ${path}`);
  e.code = 'ELOOP';
  return e;
}

/**
 * Resolves the symlink `name` in the folder whose real path is `dirReal`. Throws the file-system error (ENOENT
 * for a broken link, ELOOP for a loop) like `realpathSync` would.
 */
export function resolveLink(dirReal: string, name: string): Resolved {
  if (process.platform === 'win32') {
    // Windows paths (drive letters, junctions, UNC) are left to the system; symlinks are rare there.
    const abs = dirReal.endsWith(sep) ? dirReal + name : dirReal + sep + name;
    return { real: realpathSync.native(abs), stats: statSync(abs) };
  }
  let cur = dirReal;
  // The components still to walk, last first, so a link's target is pushed in front with one splice.
  const todo = [name];
  let hops = 0;
  let stats: Stats | undefined;
  while (todo.length) {
    const part = todo.pop()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      // `cur` is real, so its parent is the real parent: no link to resolve on the way up.
      cur = dirname(cur);
      stats = undefined;
      continue;
    }
    const next = cur === '/' ? `/${part}` : `${cur}/${part}`;
    const st = lstatSync(next);
    if (st.isSymbolicLink()) {
      if (++hops > MAX_HOPS) throw loopError(next);
      const target = readlinkSync(next);
      if (isAbsolute(target)) cur = '/';
      const parts = target.split('/');
      for (let i = parts.length - 1; i >= 0; i--) todo.push(parts[i]!);
      continue;
    }
    cur = next;
    stats = st;
  }
  return { real: cur, stats: stats ?? statSync(cur) };
}

/** The real folders a scan may read from: the scan root and every folder named on the command line. */
export class Roots {
  private readonly prefixes: string[] = [];

  /** Adds a folder by its real path. */
  add(real: string): void {
    const prefix = real.endsWith(sep) ? real : real + sep;
    if (!this.prefixes.includes(prefix)) this.prefixes.push(prefix);
  }

  /** True when the real path `real` is one of the roots or inside one. */
  contains(real: string): boolean {
    return this.prefixes.some((p) => real + sep === p || real.startsWith(p));
  }
}
