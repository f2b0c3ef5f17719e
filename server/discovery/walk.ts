/**
 * The walk behind `discover`: folders on an explicit stack (a tree 2,000 folders deep is data, not a reason for a
 * stack overflow), real paths carried down from the start folder (see links.ts), `.gitignore` files compiled once
 * per folder with cursors carried down (see gitignore.ts), and every file the tool reads reached through the one
 * bounded reader of core/files.ts. Whatever is left out for a reason the user should know (a symlink out of the
 * scanned folders, a named pipe, a device, an unreadable or oversized ignore file) is listed with that reason.
 */
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import type { SkippedFile } from '../../shared/types';
import { classifyPath } from '../core/fileKinds';
import { fileErrorReason, readRegularFile, specialFileReason, tooLargeReason, type TextRead } from '../core/files';
import { compareStrings } from '../core/order';
import { IGNORE_LIMITS, IgnoreMatcher, type IgnoreCursor } from './gitignore';
import { resolveLink, Roots } from './links';
import type { DiscoveredFile, Discovery, DiscoveryOptions } from './discover';

/** The reason given for a symlink whose target is outside every scanned folder. */
export const OUTSIDE_REASON = 'symlink to a path outside the scanned folder';
const LOOP_REASON = 'symlink to a folder already scanned (loop or duplicate)';
const NOT_APPLIED = 'ignore file not applied';

/** The ignore files in force at one folder, with their cursors and what their wildcard patterns cost together. */
interface Chain {
  layers: readonly { matcher: IgnoreMatcher; cursor: IgnoreCursor }[];
  wildcards: number;
  states: number;
}

const NO_LAYERS: Chain = { layers: [], wildcards: 0, states: 0 };

/** A folder waiting on the stack: its real path, its name in the report and the ignore files in force there. */
interface Frame {
  real: string;
  rel: string;
  chain: Chain;
}

/** What an entry of a folder turned out to be, after following a symlink. */
interface Entry {
  type: 'dir' | 'file' | 'special';
  real: string;
  stats?: Stats;
  outside: boolean;
}

function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** One discovery run (see `discover` for the contract). */
export class Walk {
  private readonly files = new Map<string, DiscoveredFile>();
  private readonly skipped = new Map<string, string>();
  private readonly warnings: string[] = [];
  private readonly visited = new Set<string>();
  /** Where files may be read from; ignore files may also come from the enclosing git work tree. */
  private readonly roots = new Roots();
  private readonly ignoreRoots = new Roots();
  private readonly maxBytes: number;
  private readonly skipDirs: Set<string>;
  private readonly useGitignore: boolean;
  private readonly include?: picomatch.Matcher;
  private readonly exclude?: picomatch.Matcher;
  /** The top of the enclosing git work tree (or the root): where the chain of ignore files starts. */
  private readonly base: string;

  constructor(
    private readonly root: string,
    options: DiscoveryOptions,
    maxDefault: number,
    skipDefault: readonly string[],
  ) {
    this.maxBytes = options.maxFileBytes ?? maxDefault;
    this.skipDirs = new Set(options.skipDirs ?? skipDefault);
    this.useGitignore = options.gitignore ?? true;
    if (options.include?.length) this.include = picomatch(options.include as string[], { dot: true });
    if (options.exclude?.length) this.exclude = picomatch(options.exclude as string[], { dot: true });
    this.base = this.useGitignore ? gitTop(root) : root;
  }

  /** Walks the given absolute paths; a path that does not exist throws (the CLI's usage error). */
  run(paths: readonly string[], warnings: readonly string[]): Discovery {
    for (const w of warnings) this.warnings.push(w);
    // A named path must exist (statSync throws otherwise), and a link to a folder counts as the folder.
    const starts = paths.map((abs) => ({ abs, stats: statSync(abs) }));
    for (const s of starts) if (s.stats.isDirectory()) this.roots.add(realOrSelf(s.abs));
    this.roots.add(realOrSelf(this.root));
    this.ignoreRoots.add(realOrSelf(this.base));
    for (const r of [this.root, ...starts.filter((s) => s.stats.isDirectory()).map((s) => s.abs)])
      this.ignoreRoots.add(realOrSelf(r));
    for (const { abs, stats } of starts) {
      const rel = this.relOf(abs);
      if (stats.isDirectory()) {
        const chain = this.startChain(abs);
        if (chain) this.walk(realOrSelf(abs), rel, chain);
        continue;
      }
      let real: string;
      try {
        real = realpathSync.native(abs);
      } catch (e) {
        this.skipped.set(rel, fileErrorReason(e));
        continue;
      }
      const type = stats.isFile() ? 'file' : 'special';
      this.consider(rel, { type, real, stats, outside: !this.roots.contains(real) }, true);
    }
    return {
      files: [...this.files.values()].sort((a, b) => compareStrings(a.file, b.file)),
      skipped: [...this.skipped.entries()]
        .map(([file, reason]): SkippedFile => ({ file, reason }))
        .sort((a, b) => compareStrings(a.file, b.file)),
      warnings: this.warnings,
    };
  }

  /** The report's name for an absolute path: sliced when it is below the root, else through path.relative. */
  private relOf(abs: string): string {
    const prefix = childPath(this.root, '');
    if (abs === this.root) return '.';
    if (!abs.startsWith(prefix)) return relative(this.root, abs).split(sep).join('/');
    const rel = abs.slice(prefix.length);
    return sep === '/' ? rel : rel.split(sep).join('/');
  }

  private excluded(rel: string, isDir: boolean): boolean {
    const x = this.exclude;
    return !!x && (x(rel) || (isDir && (x(rel + '/') || x(rel + '/x'))));
  }

  /**
   * The ignore files in force at a named folder: those of the folders from the git work tree's top (or the root)
   * down to the folder's parent, each folder on the way checked as git would. Undefined when the folder itself is
   * ignored, in which case nothing in it is scanned.
   */
  private startChain(abs: string): Chain | undefined {
    if (!this.useGitignore) return NO_LAYERS;
    const dirs: string[] = [];
    if (abs === this.root || abs.startsWith(childPath(this.root, ''))) {
      for (let d = abs; ; d = dirname(d)) {
        dirs.push(d);
        if (d === this.base || d === dirname(d)) break;
      }
      dirs.reverse();
    } else dirs.push(abs);
    let chain = NO_LAYERS;
    for (const [i, d] of dirs.entries()) {
      if (i > 0) {
        const step = this.ignoreStep(chain, basename(d), true);
        if (step.ignored) return undefined;
        chain = step.next!;
      }
      if (i === dirs.length - 1) break;
      const file = childPath(d, '.gitignore');
      let isLink: boolean;
      try {
        isLink = lstatSync(file).isSymbolicLink();
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') continue;
        chain = this.addLayer(chain, { ok: false, reason: fileErrorReason(e) }, this.relOf(file), file);
        continue;
      }
      chain = this.addLayer(chain, this.readIgnoreFile(d, false, isLink), this.relOf(file), file);
    }
    return chain;
  }

  /** Reads `<dir>/.gitignore` with the bounded reader, refusing a link out of the scanned folders. */
  private readIgnoreFile(dir: string, dirIsReal: boolean, isLink: boolean): TextRead {
    let path = childPath(dir, '.gitignore');
    if (isLink) {
      try {
        path = dirIsReal ? resolveLink(dir, '.gitignore').real : realpathSync.native(path);
      } catch (e) {
        return { ok: false, reason: fileErrorReason(e) };
      }
      if (!this.ignoreRoots.contains(path)) return { ok: false, reason: OUTSIDE_REASON };
    }
    const r = readRegularFile(path, { maxBytes: IGNORE_LIMITS.maxBytes, noFollow: true });
    return r.ok ? { ok: true, text: r.bytes.toString('utf8') } : r;
  }

  /**
   * Compiles an ignore file and adds it to the chain, unless it cannot be read or would take the wildcard patterns
   * in force past IGNORE_LIMITS; then it is listed under `rel` (a warning naming `file` when it is above the
   * root) and the walk goes on without it.
   */
  private addLayer(chain: Chain, read: TextRead, rel: string, file: string): Chain {
    let problem: string | undefined;
    let next = chain;
    if (!read.ok) problem = read.reason;
    else {
      const m = new IgnoreMatcher(read.text, {
        patterns: IGNORE_LIMITS.maxWildcardPatterns - chain.wildcards,
        states: IGNORE_LIMITS.maxWildcardStates - chain.states,
      });
      const above = chain.layers.length ? ' together with the ignore files above it' : '';
      if (m.overBudget === 'patterns')
        problem = `more than ${IGNORE_LIMITS.maxWildcardPatterns} wildcard patterns${above} (the limit for one path)`;
      else if (m.overBudget === 'states')
        problem = `wildcard patterns longer than ${IGNORE_LIMITS.maxWildcardStates} characters in all${above} (the limit for one path)`;
      else if (m.patterns > 0)
        next = {
          layers: [...chain.layers, { matcher: m, cursor: m.root() }],
          wildcards: chain.wildcards + m.wildcardPatterns,
          states: chain.states + m.wildcardStates,
        };
    }
    if (problem) {
      // An ignore file above the scanned folder has no name inside the report, so it becomes a warning.
      if (rel.startsWith('..')) this.warnings.push(`${file}: ${NOT_APPLIED}: ${problem}`);
      else this.skipped.set(rel, `${NOT_APPLIED}: ${problem}`);
    }
    return next;
  }

  /** Any ignore file in force that ignores the entry ignores it; for a folder, the chain to use inside it. */
  private ignoreStep(chain: Chain, name: string, isDir: boolean): { ignored: boolean; next?: Chain } {
    const layers: Chain['layers'][number][] = [];
    for (const l of chain.layers) {
      const step = l.matcher.step(l.cursor, name, isDir);
      if (step.ignored) return { ignored: true };
      if (step.next) layers.push({ matcher: l.matcher, cursor: step.next });
    }
    return { ignored: false, next: isDir ? { ...chain, layers } : undefined };
  }

  /** Walks one named folder, depth first in name order, with an explicit stack. */
  private walk(startReal: string, startRel: string, chain: Chain): void {
    const stack: Frame[] = [{ real: startReal, rel: startRel, chain }];
    while (stack.length) {
      const f = stack.pop()!;
      if (this.visited.has(f.real)) {
        this.skipped.set(f.rel + '/', LOOP_REASON);
        continue;
      }
      this.visited.add(f.real);
      let entries: Dirent[];
      try {
        entries = readdirSync(f.real, { withFileTypes: true }).sort((a, b) => compareStrings(a.name, b.name));
      } catch (e) {
        this.skipped.set(f.rel + '/', fileErrorReason(e));
        continue;
      }
      let here = f.chain;
      const own = this.useGitignore ? entries.find((e) => e.name === '.gitignore') : undefined;
      if (own) {
        const read = this.readIgnoreFile(f.real, true, own.isSymbolicLink());
        here = this.addLayer(
          here,
          read,
          f.rel === '.' ? own.name : `${f.rel}/${own.name}`,
          childPath(f.real, own.name),
        );
      }
      const below: Frame[] = [];
      for (const e of entries) {
        const rel = f.rel === '.' ? e.name : `${f.rel}/${e.name}`;
        let entry: Entry;
        try {
          entry = this.entryOf(f.real, e);
        } catch (err) {
          this.skipped.set(rel, fileErrorReason(err));
          continue;
        }
        if (entry.type === 'dir') {
          if (this.skipDirs.has(e.name) || this.excluded(rel, true)) continue;
          const step = this.ignoreStep(here, e.name, true);
          if (step.ignored) continue;
          if (entry.outside) this.skipped.set(rel + '/', OUTSIDE_REASON);
          else below.push({ real: entry.real, rel, chain: step.next! });
        } else {
          if (this.excluded(rel, false) || this.ignoreStep(here, e.name, false).ignored) continue;
          this.consider(rel, entry, false);
        }
      }
      for (let i = below.length - 1; i >= 0; i--) stack.push(below[i]!);
    }
  }

  /** What a folder entry is, following a symlink from the folder's real path. */
  private entryOf(dirReal: string, e: Dirent): Entry {
    const path = childPath(dirReal, e.name);
    const link = e.isSymbolicLink() || (!e.isDirectory() && !e.isFile() && lstatSync(path).isSymbolicLink());
    if (link) {
      const r = resolveLink(dirReal, e.name);
      const type = r.stats.isDirectory() ? 'dir' : r.stats.isFile() ? 'file' : 'special';
      return { type, real: r.real, stats: r.stats, outside: !this.roots.contains(r.real) };
    }
    if (e.isDirectory()) return { type: 'dir', real: path, outside: false };
    if (e.isFile()) return { type: 'file', real: path, outside: false };
    const stats = lstatSync(path);
    return {
      type: stats.isDirectory() ? 'dir' : stats.isFile() ? 'file' : 'special',
      real: path,
      stats,
      outside: false,
    };
  }

  /**
   * Decides about one file. A file found by the walk is listed only when it has a kind the scanner reads (an image
   * is not worth a line in the report); a file named on the command line always gets a verdict.
   */
  private consider(rel: string, e: Entry, explicit: boolean): void {
    if (explicit && e.type === 'special' && e.stats) {
      this.skipped.set(rel, e.outside ? OUTSIDE_REASON : specialFileReason(e.stats)!);
      return;
    }
    const kind = classifyPath(rel === '.' ? e.real : rel);
    if (!kind) {
      if (explicit) this.skipped.set(rel, 'not a file type the scanner reads');
      return;
    }
    if (!explicit && this.include && !this.include(rel)) return;
    if (e.outside) {
      this.skipped.set(rel, OUTSIDE_REASON);
      return;
    }
    let stats = e.stats;
    try {
      stats ??= lstatSync(e.real);
    } catch (err) {
      this.skipped.set(rel, fileErrorReason(err));
      return;
    }
    const special = specialFileReason(stats);
    if (special) this.skipped.set(rel, special);
    else if (stats.size > this.maxBytes) this.skipped.set(rel, tooLargeReason(this.maxBytes, stats.size));
    else this.files.set(rel, { file: rel, path: e.real, kind, size: stats.size });
  }
}

/** The folder holding `.git` at or above `root`, else `root`: git's ignore rules start at the work tree's top. */
function gitTop(root: string): string {
  for (let d = root; ; d = dirname(d)) {
    try {
      lstatSync(join(d, '.git'));
      return d;
    } catch {
      if (d === dirname(d)) return root;
    }
  }
}

function realOrSelf(abs: string): string {
  try {
    return realpathSync.native(abs);
  } catch {
    return abs;
  }
}
