// The user's own npm configuration, read the way npm reads it, so a package is fetched from the registry the user
// would install it from (a company mirror, a scope on a private registry), with their credentials, proxy and CA.
// Sources, weakest first: the user's `~/.npmrc` (or `NPM_CONFIG_USERCONFIG`), the project `.npmrc` files from the
// file-system root down to `cwd` (the nearest wins), then `npm_config_*` environment variables. Only the settings
// that decide where and how to fetch are kept; nothing here makes npm run anything.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Fetch options in the shape pacote (npm-registry-fetch) takes them. */
export interface NpmFetchOptions {
  /** The default registry (always ends with `/`). */
  registry: string;
  /** `@scope:registry`, `//host/path/:_authToken` and similar keys, passed through as npm writes them. */
  [key: string]: unknown;
}

/** The settings this module keeps, by their `.npmrc` name, with the option name pacote expects. */
const KEPT: Readonly<Record<string, string>> = {
  registry: 'registry',
  proxy: 'proxy',
  'https-proxy': 'httpsProxy',
  noproxy: 'noProxy',
  'no-proxy': 'noProxy',
  ca: 'ca',
  cafile: 'cafile',
  'strict-ssl': 'strictSSL',
  cert: 'cert',
  key: 'key',
};

/** Expands `${VAR}` (and `${VAR?}`) from the environment, as npm does in `.npmrc` values. */
function expand(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/(\\*)\$\{([^${}?]+)(\?)?\}/g, (whole, esc: string, name: string, optional?: string) => {
    if (esc.length % 2) return whole.slice((esc.length + 1) / 2);
    const v = env[name];
    return esc.slice(esc.length / 2) + (v ?? (optional ? '' : whole));
  });
}

/** Parses an `.npmrc` (ini: `key = value`, `;` and `#` comments, `key[] = value` lists). */
export function parseNpmrc(text: string, env: Record<string, string | undefined>): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#') || line.startsWith('[')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    let key = expand(line.slice(0, eq).trim(), env);
    let value = line.slice(eq + 1).trim();
    if (/^".*"$/.test(value)) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        // Not a JSON string after all: kept as written.
      }
    }
    value = expand(value, env);
    if (key.endsWith('[]')) {
      key = key.slice(0, -2);
      const prev = out.get(key);
      out.set(key, [...(Array.isArray(prev) ? prev : prev !== undefined ? [prev] : []), value]);
    } else out.set(key, value);
  }
  return out;
}

function readRc(path: string, env: Record<string, string | undefined>): Map<string, string | string[]> {
  try {
    return parseNpmrc(readFileSync(path, 'utf8'), env);
  } catch {
    return new Map();
  }
}

/**
 * The fetch options for `cwd`: the registry (default `https://registry.npmjs.org/`), scoped registries, per-host
 * credentials, proxies, CA and `strict-ssl`. `cafile` is read into `ca`. `env` defaults to the process's.
 */
export function npmFetchOptions(
  cwd: string,
  env: Record<string, string | undefined> = process.env,
  home: string = env.HOME ?? homedir(),
): NpmFetchOptions {
  const layers: Map<string, string | string[]>[] = [];
  const userrc = env.NPM_CONFIG_USERCONFIG ?? env.npm_config_userconfig ?? join(home, '.npmrc');
  layers.push(readRc(resolve(userrc), env));
  const dirs: string[] = [];
  for (let d = resolve(cwd); ; d = dirname(d)) {
    dirs.push(d);
    if (d === dirname(d)) break;
  }
  for (const d of dirs.reverse())
    if (resolve(d, '.npmrc') !== resolve(userrc)) layers.push(readRc(join(d, '.npmrc'), env));
  const fromEnv = new Map<string, string>();
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || !/^npm_config_/i.test(k)) continue;
    // npm reads npm_config_https_proxy as https-proxy; scoped and per-host keys keep their own spelling.
    const name = k.slice('npm_config_'.length);
    fromEnv.set(name.startsWith('@') || name.startsWith('//') ? name : name.toLowerCase().replace(/_/g, '-'), v);
  }
  layers.push(fromEnv);

  const opts: NpmFetchOptions = { registry: 'https://registry.npmjs.org/' };
  for (const layer of layers) {
    for (const [key, value] of layer) {
      const name = KEPT[key];
      if (name) opts[name] = value;
      else if (/^@[^:]+:registry$/.test(key) || key.startsWith('//')) opts[key] = value;
    }
  }
  if (typeof opts.strictSSL === 'string') opts.strictSSL = opts.strictSSL !== 'false';
  if (typeof opts.cafile === 'string') {
    try {
      opts.ca = certificates(readFileSync(resolve(cwd, opts.cafile), 'utf8'));
    } catch {
      // An unreadable CA file: npm goes on without it too, and the TLS error that follows names the host.
    }
  }
  delete opts.cafile;
  if (!String(opts.registry).endsWith('/')) opts.registry = `${String(opts.registry)}/`;
  return opts;
}

/** The PEM certificates in a CA file. */
function certificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** The registry a package is fetched from: its scope's registry when one is configured, else the default. */
export function registryFor(name: string, opts: NpmFetchOptions): string {
  const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined;
  const scoped = scope ? opts[`${scope}:registry`] : undefined;
  return typeof scoped === 'string' ? scoped : opts.registry;
}
