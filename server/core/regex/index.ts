import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import type { RegexBackend } from './backend';
import { JsBackend } from './jsBackend';
import { Re2Backend, type Re2Module } from './re2Backend';

export type { RegexBackend, CompiledPattern, RegexMatch, ScanText, KeywordPrefilter } from './backend';
export { escapeLiteral, unsupportedSyntax } from './backend';

// Patterns of rules go through a backend; the few regular expression literals in the analyses and rules run on V8's
// backtracking engine. This flag lets V8 switch those (the ones its linear engine can run: no `i` flag, no counted
// repetition above 16) to its linear engine when they backtrack too much. It applies to regexps compiled after it
// is set, which literals are on their first use.
try {
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
} catch {
  // A runtime without the flag still runs; every rule pattern is linear-time on either backend anyway.
}

let active: RegexBackend | undefined;
let loadError: string | undefined;

/**
 * The process-wide regex backend: RE2 when its native addon loads in this runtime, JS RegExp otherwise.
 * `MCP_SENTINEL_REGEX=js` forces the fallback (used by tests that cover both engines, and by the editor's
 * setting); `MCP_SENTINEL_REGEX=re2` makes a missing addon an error instead of a silent fallback.
 */
export function regexBackend(): RegexBackend {
  if (active) return active;
  const wanted = process.env.MCP_SENTINEL_REGEX;
  if (wanted !== 'js') {
    try {
      // createRequire keeps esbuild from trying to bundle the native addon.
      const req = createRequire(__filename);
      active = new Re2Backend(req('re2') as Re2Module);
      return active;
    } catch (e) {
      loadError = e instanceof Error ? e.message.split('\n')[0] : String(e);
      if (wanted === 're2')
        throw new Error(`the re2 backend was requested but its native addon did not load: ${loadError}`);
    }
  }
  active = new JsBackend();
  return active;
}

/** Why RE2 did not load, when the JS fallback is active for that reason. */
export function regexBackendLoadError(): string | undefined {
  return loadError;
}

/** Creates a backend by name (tests compare both engines in one process). */
export function createBackend(name: 're2' | 'js'): RegexBackend {
  if (name === 'js') return new JsBackend();
  const req = createRequire(__filename);
  return new Re2Backend(req('re2') as Re2Module);
}
