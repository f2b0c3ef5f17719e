import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { FileKind, SkippedFile } from '../../shared/types';
import { classifyPath } from '../core/fileKinds';

/** Folders that hold dependencies, build output or tool caches: never walked unless named explicitly. */
export const DEFAULT_SKIP_DIRS: readonly string[] = [
  'node_modules',
  '.git',
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '.venv',
  'venv',
  '__pycache__',
  'vendor',
  'third_party',
  '.tox',
  'site-packages',
];

/** Files larger than this are skipped with a reason (10 MB). */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** How to walk. Every field is optional; the defaults are the CLI's. */
export interface DiscoveryOptions {
  /** Skip files larger than this many bytes (default 10 MB). */
  maxFileBytes?: number;
  /** Globs (relative to the root, forward slashes); when non-empty, only matching files are scanned. */
  include?: readonly string[];
  /** Globs (relative to the root) of files and folders to leave out. */
  exclude?: readonly string[];
  /** Folder names never walked into (default DEFAULT_SKIP_DIRS). */
  skipDirs?: readonly string[];
  /** Respect .gitignore files (default true). */
  gitignore?: boolean;
}

/** A file the scanner will read. */
export interface DiscoveredFile {
  /** Path relative to the root, forward slashes: the name every report uses. */
  file: string;
  /** Absolute path to read from. */
  path: string;
  /** The kind the engine will scan it as. */
  kind: FileKind;
  /** Size in bytes at discovery time. */
  size: number;
}

/** What a walk found: files to scan and files left out with a reason, both sorted by relative path. */
export interface Discovery {
  /** Files to read and scan. */
  files: DiscoveredFile[];
  /** Files (or folders) not scanned, with the reason; ignored and kind-less files are not listed. */
  skipped: SkippedFile[];
}

/**
 * The root that findings are relative to: a single folder is its own root; otherwise the deepest folder that
 * contains every given path (a file's folder for a single file). No paths means the current directory.
 */
export function scanRoot(paths: readonly string[], cwd = process.cwd()): string {
  if (paths.length === 0) return cwd;
  const dirs = paths.map((p) => {
    const abs = resolve(cwd, p);
    let st: Stats | undefined;
    try {
      st = statSync(abs);
    } catch {
      st = undefined;
    }
    return st?.isDirectory() ? abs : dirname(abs);
  });
  let common = dirs[0]!;
  for (const d of dirs.slice(1)) {
    while (
      common !== dirname(common) &&
      !(d === common || d.startsWith(common.endsWith(sep) ? common : common + sep))
    ) {
      common = dirname(common);
    }
  }
  return common;
}

/** Converts an absolute path under `root` into the report's relative form. */
export function toRelative(root: string, abs: string): string {
  const rel = relative(root, abs).split(sep).join('/');
  return rel === '' ? '.' : rel;
}

/** One .gitignore, applying to paths below `dir`. */
interface IgnoreLayer {
  dir: string;
  ig: Ignore;
}

function loadGitignore(dir: string): IgnoreLayer | undefined {
  const file = join(dir, '.gitignore');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return { dir, ig: ignore().add(text) };
}

/**
 * The .gitignore files above the root up to the enclosing git work tree, outermost first: scanning a sub-folder of
 * a repository must respect the repository's own ignore rules, as git (and ripgrep) do.
 */
function ancestorLayers(root: string): IgnoreLayer[] {
  const chain: string[] = [];
  let d = dirname(root);
  let found = existsSync(join(root, '.git'));
  while (!found && d !== dirname(d)) {
    chain.push(d);
    if (existsSync(join(d, '.git'))) found = true;
    else d = dirname(d);
  }
  if (!found) return [];
  return chain
    .reverse()
    .map(loadGitignore)
    .filter((l): l is IgnoreLayer => !!l);
}

function ignoredBy(layers: readonly IgnoreLayer[], abs: string, isDir: boolean): boolean {
  for (const l of layers) {
    const rel = relative(l.dir, abs).split(sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (l.ig.ignores(isDir ? rel + '/' : rel)) return true;
  }
  return false;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'unreadable (permission denied)';
  if (code === 'ENOENT') return 'not found (broken symlink?)';
  if (code === 'ELOOP') return 'symlink loop';
  return `unreadable (${code ?? (e instanceof Error ? e.message : String(e))})`;
}

/**
 * Walks the given paths (files or folders, absolute or relative to the current directory) under `root`.
 * Respects .gitignore at every level, the include/exclude globs and the default skipped folders; never follows a
 * symlinked folder into a folder it has already walked (real paths are tracked, so loops end); never writes.
 * Throws when a given path does not exist (the CLI turns that into exit code 2).
 */
export function discover(root: string, paths: readonly string[], options: DiscoveryOptions = {}): Discovery {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const skipDirs = new Set(options.skipDirs ?? DEFAULT_SKIP_DIRS);
  const useGitignore = options.gitignore ?? true;
  const include = options.include?.length ? picomatch(options.include as string[], { dot: true }) : undefined;
  const exclude = options.exclude?.length ? picomatch(options.exclude as string[], { dot: true }) : undefined;
  const files = new Map<string, DiscoveredFile>();
  const skipped = new Map<string, string>();
  const visitedDirs = new Set<string>();
  const baseLayers = useGitignore ? ancestorLayers(root) : [];

  const excluded = (rel: string, isDir: boolean): boolean =>
    !!exclude && (exclude(rel) || (isDir && exclude(rel + '/')) || (isDir && exclude(rel + '/x')));

  const considerFile = (abs: string, rel: string, st: Stats, explicit: boolean): void => {
    const kind = classifyPath(rel === '.' ? abs : rel);
    if (!kind) {
      // Only a file named on the command line is worth a line in the report; an image in a folder is not.
      if (explicit) skipped.set(rel, 'not a file type the scanner reads');
      return;
    }
    if (!explicit && include && !include(rel)) return;
    if (st.size > maxBytes) {
      skipped.set(rel, `larger than ${Math.round(maxBytes / 1024)} KB (${Math.round(st.size / 1024)} KB)`);
      return;
    }
    files.set(rel, { file: rel, path: abs, kind, size: st.size });
  };

  const walk = (dir: string, layers: readonly IgnoreLayer[]): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (e) {
      skipped.set(toRelative(root, dir), errorReason(e));
      return;
    }
    if (visitedDirs.has(real)) {
      skipped.set(toRelative(root, dir) + '/', 'symlink to a folder already scanned (loop or duplicate)');
      return;
    }
    visitedDirs.add(real);
    const own = useGitignore ? loadGitignore(dir) : undefined;
    const here = own ? [...layers, own] : layers;
    let names: string[];
    try {
      names = readdirSync(dir).sort(compareStrings);
    } catch (e) {
      skipped.set(toRelative(root, dir) + '/', errorReason(e));
      return;
    }
    for (const name of names) {
      const abs = join(dir, name);
      const rel = toRelative(root, abs);
      let lst: Stats;
      let st: Stats;
      try {
        lst = lstatSync(abs);
        st = lst.isSymbolicLink() ? statSync(abs) : lst;
      } catch (e) {
        skipped.set(rel, errorReason(e));
        continue;
      }
      if (st.isDirectory()) {
        if (skipDirs.has(name) || excluded(rel, true) || ignoredBy(here, abs, true)) continue;
        walk(abs, here);
      } else if (st.isFile()) {
        if (excluded(rel, false) || ignoredBy(here, abs, false)) continue;
        considerFile(abs, rel, st, false);
      }
    }
  };

  for (const p of paths.length ? paths : [root]) {
    const abs = isAbsolute(p) ? p : resolve(p);
    const st = statSync(abs); // throws ENOENT: a missing path is a usage error, not a skipped file
    if (st.isDirectory()) {
      // The ignore files between the root and a named sub-folder still apply to it.
      const layers = [...baseLayers];
      const between: string[] = [];
      for (let d = abs; d !== root && d.startsWith(root) && d !== dirname(d); d = dirname(d)) between.push(dirname(d));
      for (const d of between.reverse()) {
        const l = useGitignore ? loadGitignore(d) : undefined;
        if (l) layers.push(l);
      }
      walk(abs, layers);
    } else if (st.isFile()) {
      considerFile(abs, toRelative(root, abs), st, true);
    }
  }
  return {
    files: [...files.values()].sort((a, b) => compareStrings(a.file, b.file)),
    skipped: [...skipped.entries()]
      .map(([file, reason]) => ({ file, reason }))
      .sort((a, b) => compareStrings(a.file, b.file)),
  };
}
