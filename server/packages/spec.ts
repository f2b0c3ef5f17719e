// Package requests as users and configs write them. Only registry specs are accepted (a name with an optional
// exact version, range or dist-tag): a git, file, directory, alias or URL spec is refused here, because fetching
// those may run the package's `prepare` script, which is the very code being vetted.

/** A parsed `npm:<name>[@<version-or-range-or-tag>]` request. */
export interface PackageRequest {
  /** The package name, e.g. `@scope/name`. */
  name: string;
  /** The version, range or tag; `latest` when none was given. */
  range: string;
  /** True when `range` is one exact version (`1.2.3`, `1.2.3-beta.1`). */
  exact: boolean;
}

/** npm's rules for a new package name (lower case, URL-safe, at most 214 characters, optional scope). */
const NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*$/;
/** An exact semantic version, with optional pre-release and build parts. */
const EXACT = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** True when the text is an exact version. */
export function isExactVersion(v: string): boolean {
  return EXACT.test(v);
}

/**
 * Parses a package spec (`name`, `name@1.2.3`, `@scope/name@^1`), with or without the `npm:` prefix. Throws an
 * Error with a one-line reason for anything that is not a registry package.
 */
export function parsePackageSpec(spec: string): PackageRequest {
  const s = spec.startsWith('npm:') ? spec.slice(4) : spec;
  const at = s.indexOf('@', 1);
  const name = at > 0 ? s.slice(0, at) : s;
  const range = at > 0 ? s.slice(at + 1).trim() : '';
  if (!name || name.length > 214 || !NAME.test(name))
    throw new Error(`"${spec}" does not name an npm package (expected npm:<name>[@<version>])`);
  // A colon or slash in the version part means a URL, a git spec or a path, and `npm:` in it an alias.
  if (/[:/\\]/.test(range))
    throw new Error(`"${spec}": only registry versions, ranges and tags can be vetted (no git, file or URL specs)`);
  const r = range.replace(/^v(?=\d)/, '') || 'latest';
  return { name, range: r, exact: isExactVersion(r) };
}
