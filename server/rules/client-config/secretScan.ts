// Where secrets hide in a server entry, and the judgement of each candidate. Kept apart from the rule so the
// candidate extraction (env, headers, flags, KEY=value arguments, URLs) can be read and tested on its own.
import type { Span } from '../../core/rule';
import { subSpan, type JsonString } from '../../analysis/json/jsonc';
import { argvOf, isVariableReference, type McpServerEntry } from '../../analysis/json/mcpConfig';
import type { RegexBackend } from '../../core/regex';
import { identifySecret, isDefaultPassword, isPlaceholder, looksSecret } from '../secrets/identify';
import type { SecretPlace } from './inputFix';

/** A plaintext secret found in a server entry. */
export interface ConfigSecret extends SecretPlace {
  /** The span of the secret itself (inside the JSON string). */
  span: Span;
  /** The secret text, for masking in the message. */
  secret: string;
  /** What it is: a provider token's title, or a description of the field. */
  what: string;
  /** Where it sits, for the message ("env GITHUB_TOKEN", "header Authorization", "argument --api-key"). */
  where: string;
  /** True when the value matched a known token format (not just a secret-looking name). */
  identified: boolean;
}

// Authorization schemes: the credential is what follows the scheme word.
const AUTH_SCHEMES = ['bearer ', 'basic ', 'token ', 'bot '];

// Query parameters that carry credentials in URLs.
const SECRET_QUERY_PARAMS = new Set([
  'api_key',
  'apikey',
  'api-key',
  'key',
  'token',
  'access_token',
  'auth',
  'auth_token',
  'secret',
  'client_secret',
  'password',
  'pwd',
  'sig',
  'signature',
]);

/** Every plaintext secret in one server entry. */
export function secretsOf(e: McpServerEntry, backend: RegexBackend): ConfigSecret[] {
  const out: ConfigSecret[] = [];
  const judge = (name: string, str: JsonString, from: number, to: number) => judgeValue(backend, name, str, from, to);
  for (const kv of e.env) {
    const s = kv.value && judge(kv.key, kv.value, 0, kv.value.value.length);
    if (s) out.push({ ...s, where: `env ${kv.key}`, envName: kv.key, label: kv.key });
  }
  for (const kv of e.headers) {
    if (!kv.value) continue;
    const v = kv.value.value;
    const scheme = AUTH_SCHEMES.find((p) => v.toLowerCase().startsWith(p));
    const from = scheme ? scheme.length : 0;
    const s = judge(kv.key, kv.value, from, v.length);
    if (s) out.push({ ...s, where: `header ${kv.key}`, label: kv.key });
  }
  const argv = argvOf(e).filter((t) => !t.fromCommand);
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i]!;
    const v = tok.value;
    if (v.includes('://')) {
      for (const s of urlSecrets(backend, tok.source, 'argument')) out.push(s);
      continue;
    }
    const eq = v.indexOf('=');
    if (v.startsWith('-') && eq > 0) {
      // --api-key=VALUE
      const flag = v.slice(0, eq).replace(/^-+/, '');
      const s = judge(flag, tok.source, eq + 1, v.length);
      if (s) out.push({ ...s, where: `argument ${v.slice(0, eq)}`, label: flag });
    } else if (!v.startsWith('-') && eq > 0) {
      // KEY=VALUE, as passed to `docker run -e` or `env`.
      const name = v.slice(0, eq);
      const s = judge(name, tok.source, eq + 1, v.length);
      if (s) out.push({ ...s, where: `argument ${name}=…`, envName: name, label: name });
    } else if (v.startsWith('-') && i + 1 < argv.length && !argv[i + 1]!.value.startsWith('-')) {
      // --api-key VALUE
      const next = argv[i + 1]!;
      const flag = v.replace(/^-+/, '');
      const s = judge(flag, next.source, 0, next.value.length);
      if (s) {
        out.push({ ...s, where: `argument ${v}`, label: flag });
        i++;
      }
    } else if (!v.startsWith('-')) {
      // A bare token in the arguments counts only when its format identifies it.
      const s = judge('', tok.source, 0, v.length);
      if (s?.identified) out.push({ ...s, where: 'argument', label: 'token' });
    }
  }
  if (e.url) for (const s of urlSecrets(backend, e.url, 'url')) out.push(s);
  return out;
}

/** Judges `str.value.slice(from, to)` as the value of `name`. */
function judgeValue(
  backend: RegexBackend,
  name: string,
  str: JsonString,
  from: number,
  to: number,
): Omit<ConfigSecret, 'where' | 'label'> | undefined {
  const value = str.value.slice(from, to);
  if (value.trim() === '' || isVariableReference(value) || isPlaceholder(value)) return undefined;
  const id = identifySecret(value, name || undefined, backend);
  if (id) return { span: subSpan(str, from, to), secret: value, what: id.title, identified: true };
  if (name && looksSecret(name, value))
    return { span: subSpan(str, from, to), secret: value, what: 'secret', identified: false };
  return undefined;
}

/** Credentials in a URL: the password of `user:password@host`, and secret query parameters. */
function urlSecrets(backend: RegexBackend, s: JsonString, field: string): ConfigSecret[] {
  const out: ConfigSecret[] = [];
  const v = s.value;
  const scheme = v.indexOf('://');
  if (scheme < 0) return out;
  const hostStart = scheme + 3;
  let hostEnd = v.length;
  for (const c of ['/', '?', '#']) {
    const k = v.indexOf(c, hostStart);
    if (k >= 0 && k < hostEnd) hostEnd = k;
  }
  const at = v.lastIndexOf('@', hostEnd);
  if (at > hostStart) {
    const colon = v.indexOf(':', hostStart);
    if (colon > 0 && colon < at) {
      const pw = v.slice(colon + 1, at);
      const user = v.slice(hostStart, colon);
      if (pw !== '' && !isVariableReference(pw) && !isDefaultPassword(pw, user)) {
        out.push({
          span: subSpan(s, colon + 1, at),
          secret: pw,
          what: 'password',
          identified: false,
          where: `${field} credentials`,
          label: 'password',
        });
      }
    }
  }
  const q = v.indexOf('?', hostStart);
  if (q >= 0) {
    const end = v.indexOf('#', q) >= 0 ? v.indexOf('#', q) : v.length;
    let pos = q + 1;
    for (const part of v.slice(q + 1, end).split('&')) {
      const eq = part.indexOf('=');
      const name = eq > 0 ? part.slice(0, eq) : '';
      if (name && SECRET_QUERY_PARAMS.has(name.toLowerCase())) {
        const from = pos + eq + 1;
        const to = pos + part.length;
        const value = v.slice(from, to);
        if (
          value !== '' &&
          !isVariableReference(value) &&
          !isPlaceholder(value) &&
          (identifySecret(value, undefined, backend) || value.length >= 8)
        ) {
          out.push({
            span: subSpan(s, from, to),
            secret: value,
            what: `${name} parameter`,
            identified: false,
            where: `${field} query`,
            label: name,
          });
        }
      }
      pos += part.length + 1;
    }
  }
  return out;
}
