/**
 * The project index of the cross-file taint: module resolution over the module summaries of the workspace's files
 * (relative imports with extension probing, `index` files, compiled `.js` names of `.ts` sources, TS path aliases
 * from `tsconfig.json`, Python packages and relative imports) and the resolution of a call to the function or
 * method it runs (through re-exports, `export *`, namespaces, class instances, dispatch maps). Everything works on
 * plain data, the summaries the facts pass computed, so the merge needs no parse tree and no file system.
 */
import { posix } from 'node:path';
import type { CallEdge, ModuleSummary, PathAliases } from '../analysis/summary/types';
import { compareStrings } from '../core/order';

/** What a name resolves to: a function (or method), a class, or a whole module. */
export type Resolved = { file: string; fn: string } | { file: string; cls: string } | { file: string; module: true };

/** A function a call can run, with the dispatch-map key that selected it (the tool it serves), when there is one. */
export interface CallTarget {
  /** Project-relative file. */
  file: string;
  /** Function id (`name` or `Class.method`). */
  fn: string;
  /** The key of the dispatch map entry the call went through. */
  key?: string;
}

const JS_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];
// How far resolution follows re-exports and imports before giving up (cycles are cut by a visited set as well).
const MAX_RESOLVE = 12;

/** Module resolution and call resolution over the summaries of one workspace. */
export class ModuleGraph {
  private readonly aliases: PathAliases[];
  private readonly summaries: Pick<ReadonlyMap<string, ModuleSummary>, 'get'>;

  constructor(summaries: ReadonlyMap<string, ModuleSummary>, aliases: readonly PathAliases[]) {
    // Inside `partialReads`, finding a deferred summary (a file not summarised yet) is reading it: whatever the
    // lookup decides (a module exists, an export resolves) must be decided again on the real summary.
    const reads = asked;
    this.summaries = reads
      ? {
          get(file: string) {
            const s = summaries.get(file);
            if (s?.deferred) reads.add(s);
            return s;
          },
        }
      : summaries;
    // The nearest tsconfig applies: the longest folder first.
    this.aliases = [...aliases].sort((a, b) => b.dir.length - a.dir.length || compareStrings(a.dir, b.dir));
  }

  /** The summary of a file. */
  summary(file: string): ModuleSummary | undefined {
    return this.summaries.get(file);
  }

  /** The workspace file a module specifier of `from` names, when it is one of the summarised files. */
  resolveModule(from: string, spec: string): string | undefined {
    const s = this.summaries.get(from);
    if (!s) return undefined;
    return s.lang === 'python' ? this.resolvePython(from, spec) : this.resolveJs(from, spec);
  }

  private probe(base: string): string | undefined {
    const b = posix.normalize(base).replace(/^\.\//, '');
    if (b.startsWith('..')) return undefined;
    const candidates = [b];
    // A TypeScript source imports its siblings by their compiled names (`./query.js` for `query.ts`).
    const m = /\.(m|c)?js(x)?$/.exec(b);
    if (m) candidates.push(b.slice(0, m.index) + `.${m[1] ?? ''}ts${m[2] ?? ''}`);
    for (const e of JS_EXTS) candidates.push(b + e);
    for (const e of JS_EXTS) candidates.push(`${b}/index${e}`);
    return candidates.find((c) => this.summaries.get(c)?.lang === 'js');
  }

  private resolveJs(from: string, spec: string): string | undefined {
    if (spec.startsWith('.')) return this.probe(posix.join(posix.dirname(from), spec));
    const cfg = this.aliases.find((a) => a.dir === '' || from.startsWith(`${a.dir}/`));
    if (!cfg) return undefined;
    for (const [pattern, targets] of cfg.paths) {
      const star = pattern.indexOf('*');
      let rest: string | undefined;
      if (star < 0) rest = pattern === spec ? '' : undefined;
      else {
        const [pre, post] = [pattern.slice(0, star), pattern.slice(star + 1)];
        if (spec.startsWith(pre) && spec.endsWith(post) && spec.length >= pre.length + post.length)
          rest = spec.slice(pre.length, spec.length - post.length);
      }
      if (rest === undefined) continue;
      for (const t of targets) {
        const hit = this.probe(posix.join(cfg.baseUrl || '.', t.replace('*', rest)));
        if (hit) return hit;
      }
    }
    return undefined;
  }

  private resolvePython(from: string, spec: string): string | undefined {
    const py = (base: string): string | undefined =>
      [`${base}.py`, `${base}/__init__.py`]
        .map((c) => posix.normalize(c).replace(/^\.\//, ''))
        .find((c) => this.summaries.get(c)?.lang === 'python');
    const dots = /^\.*/.exec(spec)![0].length;
    const rest = spec.slice(dots).split('.').filter(Boolean).join('/');
    if (dots > 0) {
      let dir = posix.dirname(from);
      for (let i = 1; i < dots; i++) dir = posix.dirname(dir);
      if (!rest) return py(posix.join(dir, '__init__')) ?? undefined;
      return py(posix.join(dir, rest));
    }
    // An absolute import is looked up from the file's folder upwards (the package root is one of them).
    for (let dir = posix.dirname(from); ; dir = posix.dirname(dir)) {
      const hit = py(dir === '.' ? rest : `${dir}/${rest}`);
      if (hit) return hit;
      if (dir === '.' || dir === '/' || dir === '') return undefined;
    }
  }

  /** What an exported (or, in Python, top-level) name of a module is. */
  resolveExport(file: string, name: string, depth = 0): Resolved | undefined {
    const s = this.summaries.get(file);
    if (!s || depth > MAX_RESOLVE) return undefined;
    if (name === '*') return { file, module: true };
    if (s.functions.some((f) => f.id === name)) return { file, fn: name };
    if (s.classes.includes(name)) return { file, cls: name };
    for (const e of s.exports) {
      if (e.name !== name) continue;
      if (e.local) return this.resolveLocal(file, e.local, depth + 1);
      const target = e.from && this.resolveModule(file, e.from);
      if (target) return this.resolveExport(target, e.imported ?? name, depth + 1);
    }
    if (s.lang === 'python') {
      if (s.imports.some((i) => i.local === name)) return this.resolveLocal(file, name, depth + 1);
      // `from pkg import mod`: a submodule of the package.
      const sub = this.resolvePython(file, `.${name}`);
      if (sub) return { file: sub, module: true };
    }
    for (const e of s.exports) {
      if (e.name !== '*' || !e.from) continue;
      const target = this.resolveModule(file, e.from);
      const hit = target && this.resolveExport(target, name, depth + 1);
      if (hit) return hit;
    }
    // A CommonJS module without a default export is its own default (`import db from "./db.js"`).
    if (name === 'default') return { file, module: true };
    return undefined;
  }

  /** What a name of a file's top level stands for: its own function or class, or what an import brings. */
  resolveLocal(file: string, name: string, depth = 0): Resolved | undefined {
    const s = this.summaries.get(file);
    if (!s || depth > MAX_RESOLVE) return undefined;
    if (s.functions.some((f) => f.id === name)) return { file, fn: name };
    if (s.classes.includes(name)) return { file, cls: name };
    const imp = s.imports.find((i) => i.local === name);
    if (!imp) return undefined;
    const target = this.resolveModule(file, imp.from);
    if (target) return this.resolveExport(target, imp.name, depth + 1);
    // `from pkg import mod` where `pkg` resolved to nothing but `pkg/mod.py` exists.
    if (s.lang === 'python' && imp.name !== '*') {
      const sub = this.resolveModule(file, `${imp.from}.${imp.name}`);
      if (sub) return { file: sub, module: true };
    }
    return undefined;
  }

  /** The functions a call of `file` (inside function `caller`, `''` for a tool handler) can run. */
  resolveCall(file: string, caller: string, callee: CallEdge['callee']): CallTarget[] {
    const s = this.summaries.get(file);
    if (!s) return [];
    if (callee.dynamic) {
      const map = s.maps.find((m) => m.name === callee.name);
      const out: CallTarget[] = [];
      for (const e of map?.entries ?? []) {
        const [name, member] = e.value.split('.', 2) as [string, string | undefined];
        for (const t of this.resolveCall(file, caller, member ? { name, member } : { name }))
          out.push({ ...t, key: e.key });
      }
      return out;
    }
    if (!callee.member) {
      const r = this.resolveLocal(file, callee.name);
      return r && 'fn' in r ? [{ file: r.file, fn: r.fn }] : [];
    }
    const method = (r: Resolved | undefined): CallTarget[] => {
      if (!r) return [];
      if ('cls' in r) return this.methodOf(r.file, r.cls, callee.member!);
      if ('module' in r) {
        const x = this.resolveExport(r.file, callee.member!);
        return x && 'fn' in x ? [{ file: x.file, fn: x.fn }] : [];
      }
      return [];
    };
    if (callee.name === 'this' || callee.name === 'self') {
      const cls = caller.includes('.') ? caller.slice(0, caller.indexOf('.')) : undefined;
      return cls ? this.methodOf(file, cls, callee.member) : [];
    }
    const inst = s.instances.find((i) => i.name === callee.name);
    if (inst) return method(this.resolveLocal(file, inst.cls));
    const direct = this.resolveLocal(file, callee.name);
    if (direct) return method(direct);
    return this.methodsNearby(file, callee.member);
  }

  private methodOf(file: string, cls: string, member: string): CallTarget[] {
    const id = `${cls}.${member}`;
    return this.summaries.get(file)?.functions.some((f) => f.id === id) ? [{ file, fn: id }] : [];
  }

  /**
   * A method call on a variable whose class is not known (`dbAdapter.all(query)` where `dbAdapter` comes from a
   * factory): the methods of that name in the classes of the modules the file imports, two imports deep. Adapters
   * behind a factory are the usual shape; the import horizon keeps an unrelated class of the same method name out.
   */
  private methodsNearby(file: string, member: string): CallTarget[] {
    const seen = new Set<string>([file]);
    let frontier = [file];
    const out: CallTarget[] = [];
    for (let level = 0; level < 2; level++) {
      const next: string[] = [];
      for (const f of frontier)
        for (const i of this.summaries.get(f)?.imports ?? []) {
          const t = this.resolveModule(f, i.from);
          if (t && !seen.has(t)) {
            seen.add(t);
            next.push(t);
          }
        }
      next.sort(compareStrings);
      for (const f of next)
        for (const fn of this.summaries.get(f)?.functions ?? [])
          if (fn.id.endsWith(`.${member}`) && fn.id.indexOf('.') === fn.id.length - member.length - 1)
            out.push({ file: f, fn: fn.id });
      frontier = next;
    }
    return out.slice(0, 8);
  }
}

const byCaller = new WeakMap<ModuleSummary, Map<string, CallEdge[]>>();

// The partial summaries whose function edges a propagation asked for (and the deferred ones it looked up at all),
// while `partialReads` runs one.
let asked: Set<ModuleSummary> | undefined;

/**
 * Runs `fn` (a merge) and returns, with its value, the partial summaries (`ModuleSummary.partial`) whose edges of a
 * function it looked up, and the deferred ones (`ModuleSummary.deferred`) it looked up at all: what those summaries
 * leave out, so the value is exact only when this set is empty.
 */
export function partialReads<T>(fn: () => T): { value: T; asked: Set<ModuleSummary> } {
  const outer = asked;
  const mine = (asked = new Set());
  try {
    return { value: fn(), asked: mine };
  } finally {
    asked = outer;
  }
}

/**
 * A summary's call edges grouped by calling function (`''` for tool handlers), each group in source order. The
 * propagations (crossFile.ts, toolReach.ts) look up the edges of one function per state they visit: scanning every
 * edge of the file for each state cost the number of states times the file's edges, which a bundle with thousands
 * of calls made the largest part of a merge. Memoised per summary object.
 */
export function callsOf(summary: ModuleSummary, caller: string): readonly CallEdge[] {
  if (summary.partial && caller !== '') asked?.add(summary);
  let groups = byCaller.get(summary);
  if (!groups) {
    groups = new Map();
    for (const e of summary.calls) {
      const list = groups.get(e.caller);
      if (list) list.push(e);
      else groups.set(e.caller, [e]);
    }
    byCaller.set(summary, groups);
  }
  return groups.get(caller) ?? [];
}
