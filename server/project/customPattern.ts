/**
 * The gate a custom rule's pattern must pass before the config accepts it: no backtracking-only syntax, compiles
 * in RE2 (when the addon loads in this runtime), as a JS RegExp, and in the linear JS backend (the engine every
 * front end falls back to without RE2, with its own limits), so that it behaves the same in the CLI and the editor
 * on either engine and can never run on a backtracking engine in a way that hangs.
 * Turning an accepted rule into an engine rule is rule code: server/rules/custom.ts.
 */
import { createBackend, unsupportedSyntax, type RegexBackend } from '../core/regex';

// The RE2 backend, created on first use: undefined until then, null when the native addon does not load here.
let re2: RegexBackend | null | undefined;
// The linear JS backend, created on first use; it loads everywhere.
let jsBackend: RegexBackend | undefined;

/** The RE2 backend when its native addon loads here, else null (then the JS compile plus the syntax check gate). */
function re2Backend(): RegexBackend | null {
  if (re2 === undefined) {
    try {
      re2 = createBackend('re2');
    } catch {
      re2 = null;
    }
  }
  return re2;
}

/**
 * Checks a custom pattern; returns what is wrong (one sentence, without the rule id) or undefined when it is
 * acceptable. The checks run in order of how helpful their message is.
 */
export function checkCustomPattern(pattern: string, flags = ''): string | undefined {
  if (pattern === '') return 'pattern is empty';
  const bad = unsupportedSyntax(pattern);
  if (bad) return `pattern uses syntax RE2 cannot run: ${bad}`;
  // Syntax that compiles in both engines but means different things in each would make the CLI and the editor
  // disagree: JS (without the u flag) reads \pL as "pL" and [[:alpha:]] as a set of characters.
  if (/(^|[^\\])(\\\\)*\\[pP]/.test(pattern))
    return 'pattern uses a Unicode class (\\p{…}), which RE2 and JS read differently; use explicit ranges';
  if (/\[:\^?[a-z]+:\]/.test(pattern))
    return 'pattern uses a POSIX class such as [[:alpha:]], which RE2 and JS read differently; use \\w, \\d, \\s or explicit ranges';
  const r2 = re2Backend();
  if (r2) {
    try {
      r2.compile(pattern, flags);
    } catch (e) {
      return `pattern does not compile in RE2: ${firstLine(e)}`;
    }
  }
  let js: RegExp;
  try {
    js = new RegExp(pattern, flags);
  } catch (e) {
    // Inline flags such as (?i) are valid RE2 but not JS: point at the `flags` field instead.
    const hint = /\(\?[a-zA-Z]+\)/.test(pattern) ? ' (use the "flags" field instead of inline flags such as (?i))' : '';
    return `pattern does not compile as a JS regular expression, which the editor uses when RE2 is unavailable: ${firstLine(e)}${hint}`;
  }
  // The JS backend is the engine of every runtime without RE2, and it refuses some patterns that RE2 and V8 accept
  // (one that expands past its instruction limit, a class opening with ']'). Refusing them here, with its reason,
  // keeps a config from loading on one machine and failing on another.
  try {
    (jsBackend ??= createBackend('js')).compile(pattern, flags);
  } catch (e) {
    return `pattern cannot run on the JS regex engine, which scans when RE2 is unavailable: ${firstLine(e)}`;
  }
  // A pattern that matches nothing at all would produce an empty finding at every position.
  if (js.test('')) return 'pattern matches the empty string, so it would report every position of every file';
  return undefined;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
