import picomatch from 'picomatch';

/**
 * A matcher for project-relative paths (forward slashes) with .gitignore-like semantics: a glob without a slash
 * matches the file name in any folder (`*.spec.ts`), a glob with a slash matches from the root (`test/**`).
 * picomatch's own `basename` option cannot be used for both, because it breaks globs that contain a slash.
 */
export function globMatcher(globs: readonly string[]): (file: string) => boolean {
  const matchers = globs.map((g) =>
    g.includes('/') ? picomatch(g, { dot: true }) : picomatch(g, { dot: true, basename: true }),
  );
  return (file) => matchers.some((m) => m(file));
}
