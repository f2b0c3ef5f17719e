// Python servers (`uvx`, `pipx run`): a resolver is pluggable, because vetting one needs a Python package index
// that this tool can reach, and reading wheels and sdists is work of its own. Until a resolver is configured, every
// Python server is reported as not vetted with the reason, never skipped silently.

/** What a Python resolver gives back: the files of a release unpacked into a folder, like the npm path. */
export interface PythonRelease {
  /** The distribution name. */
  name: string;
  /** The exact version. */
  version: string;
  /** The archive's hash as the index publishes it (`sha256-…`). */
  integrity: string;
}

/** A source of Python releases. */
export interface PythonResolver {
  /** A short name for messages ("PyPI", a mirror's host). */
  readonly name: string;
  /**
   * Whether an index is configured and reachable; when not, the reason ("Python registry unavailable") is reported
   * for every Python server.
   */
  available(signal?: AbortSignal): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** Resolves a spec (`pkg`, `pkg==1.2`) and unpacks it into `dir`. */
  fetch(spec: string, dir: string, signal?: AbortSignal): Promise<PythonRelease>;
}

/** The resolver used when none is configured: it reports that no Python registry is available. */
export const NO_PYTHON_RESOLVER: PythonResolver = {
  name: 'none',
  available: () => Promise.resolve({ ok: false, reason: 'Python registry unavailable' }),
  fetch: () => Promise.reject(new Error('Python registry unavailable')),
};
