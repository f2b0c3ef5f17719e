import { DEFAULT_MAX_FILE_SIZE_KB } from '../../shared/limits';
import { statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { FileKind, SkippedFile } from '../../shared/types';
import { Walk } from './walk';

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
export const DEFAULT_MAX_FILE_BYTES = DEFAULT_MAX_FILE_SIZE_KB * 1024;

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
  /** Respect .gitignore files (default true), within the limits of IGNORE_LIMITS. */
  gitignore?: boolean;
}

/** A file the scanner will read. */
export interface DiscoveredFile {
  /** Path relative to the root, forward slashes: the name every report uses. */
  file: string;
  /** Absolute real path to read from (no symlink in it), inside one of the scanned folders. */
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
  /**
   * Files (or folders) not scanned, with the reason; ignored and kind-less files are not listed. A `.gitignore`
   * that could not be applied is listed here too.
   */
  skipped: SkippedFile[];
  /**
   * Problems that have no file inside the root to be listed under, one sentence each: include/exclude patterns
   * that can never match, an ignore file above the root that could not be applied. Front ends print or log them.
   */
  warnings: string[];
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

/**
 * Warnings for include/exclude patterns that can never match: patterns are matched against paths relative to the
 * root, so one that climbs out of it (`../x/**`) or is absolute (`/src/**`, `C:/src/**`) matches nothing, and an
 * include list of such patterns silently scans no file at all.
 */
export function patternWarnings(root: string, options: DiscoveryOptions): string[] {
  const out: string[] = [];
  for (const [list, patterns] of [
    ['include', options.include],
    ['exclude', options.exclude],
  ] as const) {
    for (const p of patterns ?? []) {
      const s = p.replace(/\\/g, '/');
      const quoted = JSON.stringify(p);
      if (s.startsWith('/') || /^[A-Za-z]:/.test(s))
        out.push(
          `${list} pattern ${quoted} never matches: patterns are relative to the scanned folder ${root}, not absolute`,
        );
      else if (s.split('/').includes('..'))
        out.push(`${list} pattern ${quoted} never matches: it points outside the scanned folder ${root}`);
    }
  }
  return out;
}

/**
 * Walks the given paths (files or folders, absolute or relative to the current directory) under `root`.
 * Respects .gitignore at every level (within IGNORE_LIMITS), the include/exclude globs and the default skipped
 * folders. Never leaves the scanned folders: a symlink whose real path is outside the root and every named folder
 * is listed with a reason and not followed, and a symlinked folder already walked is listed once (so loops end).
 * Named pipes, sockets and devices are listed, never opened. Never writes. Throws when a given path does not
 * exist (the CLI turns that into exit code 2).
 */
export function discover(root: string, paths: readonly string[], options: DiscoveryOptions = {}): Discovery {
  const abs = (paths.length ? paths : [root]).map((p) => (isAbsolute(p) ? p : resolve(p)));
  return new Walk(root, options, DEFAULT_MAX_FILE_BYTES, DEFAULT_SKIP_DIRS).run(abs, patternWarnings(root, options));
}
