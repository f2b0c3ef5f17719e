// Reads a server's command line the way the package runners do, to find which package they download and run.
// Shared by the pinning rule and the rules that depend on which server a package is (filesystem roots).
import type { ArgvToken, McpServerEntry } from '../../analysis/json/mcpConfig';
import { argvOf, programName, splitWords } from '../../analysis/json/mcpConfig';

/** A package that a runner fetches from a registry and executes. */
export interface PackageLaunch {
  /** The runner as written (npx, uvx, pnpm dlx, …). */
  runner: string;
  /** Which registry the runner installs from. */
  ecosystem: 'npm' | 'pypi';
  /** The package spec token (`@scope/name@1.2.3`, `pkg==1.2`). */
  spec: ArgvToken;
  /** The `-y` / `--yes` flag, when the runner was told to install without asking. */
  yes?: ArgvToken;
}

/**
 * The server's words with shell scripts opened up: an argument holding spaces (the script of `sh -c`, or
 * `cmd /c "npx -y pkg"`) is split into words so a runner inside it is still seen.
 */
export function argvWordsOf(e: McpServerEntry): ArgvToken[] {
  return argvOf(e).flatMap((t) => (!t.fromCommand && /\s/.test(t.value) ? splitWords(t.source) : [t]));
}

/** Every registry package the server's command line runs. */
export function launchesOf(e: McpServerEntry): PackageLaunch[] {
  const words = argvWordsOf(e);
  const out: PackageLaunch[] = [];
  for (let i = 0; i < words.length; i++) {
    const prog = programName(words[i]!.value);
    const next = words[i + 1]?.value.toLowerCase();
    let runner: string | undefined;
    let from = i + 1;
    if (prog === 'npx' || prog === 'bunx' || prog === 'pnpx') runner = prog;
    else if (prog === 'npm' && (next === 'exec' || next === 'x')) ((runner = `npm ${next}`), (from = i + 2));
    else if ((prog === 'pnpm' || prog === 'yarn') && next === 'dlx') ((runner = `${prog} dlx`), (from = i + 2));
    else if (prog === 'bun' && next === 'x') ((runner = 'bun x'), (from = i + 2));
    else if (prog === 'uvx') runner = 'uvx';
    else if (prog === 'uv' && next === 'tool' && words[i + 2]?.value === 'run')
      ((runner = 'uv tool run'), (from = i + 3));
    else if (prog === 'pipx' && next === 'run') ((runner = 'pipx run'), (from = i + 2));
    if (!runner) continue;
    const launch =
      runner.startsWith('uv') || runner.startsWith('pipx')
        ? readPython(runner, words, from)
        : readNpm(runner, words, from);
    if (launch) out.push(launch);
  }
  return out;
}

/** Options of the npm-family runners that take a value. */
const NPM_VALUE_OPTIONS = new Set(['--registry', '--cache', '--userconfig', '-w', '--workspace', '--prefix']);

function readNpm(runner: string, words: ArgvToken[], from: number): PackageLaunch | undefined {
  let yes: ArgvToken | undefined;
  let spec: ArgvToken | undefined;
  for (let j = from; j < words.length; j++) {
    const w = words[j]!;
    const v = w.value;
    if (v === '--') continue;
    if (v === '-y' || v === '--yes') yes = w;
    else if (v === '-c' || v === '--call') return undefined;
    else if (v === '-p' || v === '--package') {
      spec ??= words[j + 1];
      j++;
    } else if (v.startsWith('--package=')) {
      spec ??= { ...w, value: v.slice(10), start: w.start + 10 };
    } else if (NPM_VALUE_OPTIONS.has(v)) j++;
    else if (v.startsWith('-')) continue;
    else {
      // With -p the first plain word is the binary to run, not a package.
      spec ??= w;
      break;
    }
  }
  return spec ? { runner, ecosystem: 'npm', spec, ...(yes ? { yes } : {}) } : undefined;
}

/** Options of uvx / pipx run that take a value (other than the package spec options). */
const PY_VALUE_OPTIONS = new Set([
  '--python',
  '-p',
  '--index-url',
  '--extra-index-url',
  '--index',
  '--with',
  '-w',
  '--with-requirements',
  '--pip-args',
  '--python-preference',
  '--directory',
  '--project',
  '--env-file',
]);

function readPython(runner: string, words: ArgvToken[], from: number): PackageLaunch | undefined {
  let spec: ArgvToken | undefined;
  for (let j = from; j < words.length; j++) {
    const w = words[j]!;
    const v = w.value;
    if (v === '--from' || v === '--spec') {
      spec = words[j + 1];
      j++;
    } else if (v.startsWith('--from=') || v.startsWith('--spec=')) {
      spec = { ...w, value: v.slice(7), start: w.start + 7 };
    } else if (PY_VALUE_OPTIONS.has(v)) j++;
    else if (v.startsWith('-')) continue;
    else {
      spec ??= w;
      break;
    }
  }
  return spec ? { runner, ecosystem: 'pypi', spec } : undefined;
}

/** The registry name of a spec, without its version (`@scope/name@1.2.3` → `@scope/name`, `pkg==1.0` → `pkg`). */
export function packageName(l: PackageLaunch): string {
  const v = l.spec.value;
  if (l.ecosystem === 'npm') {
    const at = v.indexOf('@', 1);
    return at > 0 ? v.slice(0, at) : v;
  }
  const cut = v.search(/[=<>~!@[ ;]/);
  return (cut >= 0 ? v.slice(0, cut) : v).toLowerCase();
}

/** True when a spec names something other than a registry package (a path, a URL, a git source, a tarball). */
export function isLocalOrUrl(spec: string): boolean {
  return (
    /^(?:\.{1,2}[\\/]|[\\/]|~|[A-Za-z]:[\\/])/.test(spec) ||
    /^(?:file|git|git\+\w+|https?|github|gitlab|bitbucket|link|workspace):/.test(spec) ||
    /\.(?:tgz|tar\.gz|whl|zip)$/i.test(spec) ||
    // user/repo is GitHub shorthand for npm; a Python spec never has a slash outside URLs and paths.
    (!spec.startsWith('@') && spec.includes('/'))
  );
}

// Tools that run the project's own sources (`npx tsx ./src/server.ts`): they come from the project's
// devDependencies in node_modules/.bin, which npx prefers over the registry, and the lock file pins them.
export const LOCAL_DEV_TOOLS = new Set(['tsx', 'ts-node', 'tsc', 'node', 'vite-node', 'nodemon']);

/**
 * Why a spec is not pinned, or undefined when it is pinned (or not a registry package). npm: `name@1.2.3` is
 * pinned; a missing version, a dist-tag (`@latest`, `@next`) or a range (`^1.2`, `~1`, `1.x`, `*`, `>=1`) is not.
 * A partial version such as `@1.2` is accepted as a deliberate pin. Python: `==` (or uvx's `@1.2.3`) pins.
 */
export function unpinnedReason(l: PackageLaunch): string | undefined {
  const v = l.spec.value;
  if (v === '' || isLocalOrUrl(v)) return undefined;
  if (l.ecosystem === 'npm' && LOCAL_DEV_TOOLS.has(v)) return undefined;
  if (l.ecosystem === 'npm') {
    const at = v.indexOf('@', 1);
    if (at < 0) return 'no version';
    const version = v.slice(at + 1);
    if (version === '' || !/^v?\d/.test(version)) return version === '' ? 'no version' : `the "${version}" tag`;
    if (/[\^~*<>| ]/.test(version) || /(?:^|\.)[xX*](?:\.|$)/.test(version)) return `the range "${version}"`;
    return undefined;
  }
  if (v.includes('==')) return undefined;
  const at = v.indexOf('@');
  if (at > 0) {
    const version = v.slice(at + 1);
    return /^v?\d/.test(version) ? undefined : `the "${version}" tag`;
  }
  if (/[<>~!]=?/.test(v)) return 'a version range';
  return 'no version';
}
