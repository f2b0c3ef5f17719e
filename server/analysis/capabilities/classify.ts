import type { Capability } from '../../../shared/capabilities';
import type { DetectContext } from '../../core/rule';
import {
  calleeOf,
  enclosingFunction,
  keywordArg,
  objectPair,
  positionalArgs,
  propertyName,
  receiverOf,
  stripAwaitAndCasts,
  stripQuotes,
} from '../ast';
import { nodeIndexOf, type TSNode } from '../parse';
import { sinksOf, type Sink, type SinkFamily } from '../sinks';
import { qualifiedCallee, qualify, valueOfBinding, type CodeFacts } from '../sinks/facts';
import { sqlParts } from '../sinks/sql';
import { literalSkeleton, staticValue } from '../sinks/values';

/**
 * Which calls (and environment reads) of a document exercise a capability. The dangerous sinks of `sinks/` are the
 * base (a shell command, code evaluation, a file path, a URL, SQL); this module adds what is not dangerous by itself
 * but is a power a person vetting a server wants to see: a process spawned without a shell, an HTTP request that
 * sends a body, an e-mail, an upload, a credential read from the environment or a key store.
 */

/** One place in a document that exercises a capability. */
export interface CapabilitySite {
  /** The capability. */
  capability: Capability;
  /** The API as a reader knows it (`child_process.spawn`, `fs.promises.writeFile`, `process.env`). */
  api: string;
  /** The call (or the environment read) that exercises it. */
  node: TSNode;
  /** The expression reported: the callee of a call, the whole read of the environment. */
  at: TSNode;
  /** The sink the taint analysis is asked about, to tell whether a tool argument controls the capability. */
  sink: Sink;
  /** For a file write, the expression whose value is written (`data` of `fs.writeFile(path, data)`). */
  content?: TSNode;
  /** The node's start offset, read once (sites are looked up by span for every reached function). */
  startIndex: number;
  /** The node's end offset. */
  endIndex: number;
}

const SPAWN_JS = new Set([
  'child_process.spawn',
  'child_process.spawnSync',
  'child_process.execFile',
  'child_process.execFileSync',
  'child_process.fork',
  'execa',
  'execa.execa',
  'execa.execaSync',
  'execaSync',
  'execa.execaNode',
  'cross-spawn',
  'cross-spawn.sync',
  'cross-spawn.spawn',
  'node-pty.spawn',
]);
const SPAWN_PY = new Set([
  'subprocess.run',
  'subprocess.call',
  'subprocess.check_call',
  'subprocess.check_output',
  'subprocess.Popen',
  'asyncio.create_subprocess_exec',
  'asyncio.subprocess.create_subprocess_exec',
  'os.execv',
  'os.execvp',
  'os.execve',
  'os.spawnv',
  'os.spawnvp',
  'pexpect.spawn',
  'pexpect.run',
]);

/** File-system methods that only read (JS names, fs and fs-extra; Python calls and pathlib methods). */
const READS = new Set([
  'readFile',
  'readFileSync',
  'createReadStream',
  'readdir',
  'readdirSync',
  'opendir',
  'opendirSync',
  'readJson',
  'readJSON',
  'os.listdir',
  'os.scandir',
  'send_file',
  'flask.send_file',
  'read_text',
  'read_bytes',
  'iterdir',
  'rglob',
]);
/** Calls whose mode argument decides between reading and writing. */
const OPENS = new Set(['open', 'openSync', 'io.open', 'codecs.open', 'aiofiles.open', 'os.open']);

/** Credential names of environment variables: an API key, a token, a password, a secret. */
const CREDENTIAL_NAME = /(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|PAT)(?:_|$)/i;
/** Paths of credential files: SSH keys, cloud CLIs' credentials, .netrc, .npmrc, .pgpass, .env. */
const CREDENTIAL_PATH =
  /(?:^|[/\\~])(?:\.ssh[/\\]|\.aws[/\\]credentials|\.netrc|\.npmrc|\.pgpass|\.env$|id_rsa|id_ed25519)/;
/** Key stores. */
const KEYSTORE = new Set([
  'keytar.getPassword',
  'keytar.findCredentials',
  'keytar.findPassword',
  'keyring.get_password',
  'keyring.get_credential',
]);
/** HTTP methods that send a body. */
const SENDING_VERBS = /^(?:post|put|patch)$/i;
/** A receiver that is a database connection, cursor or client. */
const DB_RECEIVER =
  /(?:^|[._])(?:db|database|conn|connection|cursor|cur|sqlite|duckdb|pool|knex|sequelize|prisma|pg|mysql|stmt|tx|trx|engine|session)$/i;
/** Database drivers and query builders: a receiver made from one of them is a database client. */
const DB_MODULES =
  /^(?:pg|postgres|mysql2?|mysql2\.promise|sqlite3?|better-sqlite3|mssql|oracledb|duckdb|knex|@prisma\.client|@neondatabase\.serverless|@vercel\.postgres|@libsql\.client|snowflake-sdk|psycopg2?|psycopg_pool|asyncpg|pymysql|MySQLdb|aiosqlite|sqlalchemy|pyodbc|snowflake\.connector|clickhouse_connect)(?:\.|$)/;
/** SQL text: a statement with its clause, or a statement keyword at the start. */
const SQL_TEXT =
  /\b(?:select\b[\s\S]*\bfrom|insert\s+into|update\b[\s\S]*\bset|delete\s+from|create\s+table|drop\s+table)\b|^\s*(?:select|with|pragma|show|describe|explain)\b/i;

/** Every capability site of the document, in document order; memoised for all rules and the inventory. */
export function capabilitySites(ctx: DetectContext): CapabilitySite[] {
  return ctx.memo('capabilities:sites', () => {
    const found = sinksOf(ctx);
    if (!found) return [];
    const { facts } = found;
    const out: CapabilitySite[] = [];
    const byCall = new Map<number, Sink[]>();
    for (const s of found.sinks) {
      const list = byCall.get(s.call.id);
      if (list) list.push(s);
      else byCall.set(s.call.id, [s]);
    }
    for (const call of facts.calls) {
      const sinks = byCall.get(call.id);
      const callee = calleeOf(call);
      if (!callee) continue;
      const q = qualifiedCallee(call, callee, facts);
      const at = callee;
      const push = (capability: Capability, api: string, sink: Sink, content?: TSNode) =>
        out.push({
          capability,
          api,
          node: call,
          at,
          sink,
          startIndex: call.startIndex,
          endIndex: call.endIndex,
          ...(content ? { content } : {}),
        });
      if (sinks?.length) {
        for (const s of sinks) {
          const c = fromSink(s, q, facts);
          if (c) push(c, s.api, s, c === 'file-write' ? writtenContent(call, q, facts) : undefined);
        }
        continue;
      }
      const args = positionalArgs(call);
      const base = { call, reportTainted: true };
      if ((facts.lang === 'js' ? SPAWN_JS : SPAWN_PY).has(q) && args[0]) {
        const list = args.find((a) => ['array', 'list'].includes(stripAwaitAndCasts(a).type));
        const items = list ? stripAwaitAndCasts(list).namedChildren.filter((c): c is TSNode => !!c) : [];
        const shell = facts.lang === 'js' && shellByOptions(call, args, facts);
        push(shell ? 'shell' : 'process', shell ? `${q} with a shell option` : q, {
          ...base,
          family: 'command',
          api: q,
          args: [...args.slice(0, 1), ...items],
        });
        continue;
      }
      const sent = sendingCall(call, q, facts);
      if (sent) {
        push('send-data', sent, { ...base, family: 'ssrf', api: sent, args: args.slice(0, 1) });
        continue;
      }
      if (KEYSTORE.has(q)) {
        push('env-credentials', q, { ...base, family: 'path', api: q, args: [...args] });
        continue;
      }
      if ((q === 'os.getenv' || q === 'os.environ.get') && args[0] && credentialKey(args[0], facts)) {
        push('env-credentials', q, { ...base, family: 'path', api: q, args: [args[0]] });
      }
    }
    if (facts.lang === 'js' ? ctx.text.includes('process.env') : ctx.text.includes('environ')) {
      for (const n of envReads(ctx, facts)) {
        // Only a computed name (`process.env[name]`) can come from a tool argument.
        const key = n.type === 'member_expression' ? undefined : envKey(n);
        const sink: Sink = { call: n, family: 'path', api: 'environment', args: key ? [key] : [], reportTainted: true };
        const api = facts.lang === 'js' ? 'process.env' : 'os.environ';
        out.push({
          capability: 'env-credentials',
          api,
          node: n,
          at: n,
          sink,
          startIndex: n.startIndex,
          endIndex: n.endIndex,
        });
      }
    }
    return out.sort((a, b) => a.startIndex - b.startIndex);
  });
}

/**
 * True for a spawn whose options are a variable that the same function binds to an object with a `shell` flag that
 * is not literally false (`spawnOptions = { shell: shellToUse, … }; spawn(cmd, args, spawnOptions)`). The sink
 * finder reads only an options literal in the call; the inventory also says "runs shell" for this common shape.
 */
function shellByOptions(call: TSNode, args: readonly TSNode[], facts: CodeFacts): boolean {
  const fn = enclosingFunction(call);
  for (const a of args.slice(1)) {
    const x = stripAwaitAndCasts(a);
    if (x.type !== 'identifier') continue;
    for (const b of facts.bindings.get(x.text) ?? []) {
      if (enclosingFunction(b)?.id !== fn?.id) continue;
      const v = valueOfBinding(b);
      const obj = v && stripAwaitAndCasts(v);
      const flag = obj?.type === 'object' ? objectPair(obj, 'shell')?.childForFieldName('value') : undefined;
      if (flag && !['false', 'undefined', 'null'].includes(flag.type)) return true;
    }
  }
  return false;
}

/** The capability of a dangerous sink, or undefined for one that is not a power worth listing (deserialisation). */
function fromSink(s: Sink, q: string, facts: CodeFacts): Capability | undefined {
  switch (s.family as SinkFamily) {
    case 'command':
      return 'shell';
    case 'code':
      return 'code-eval';
    case 'path': {
      const literal = s.args[0] && staticValue(s.args[0], facts);
      if (literal && CREDENTIAL_PATH.test(literal)) return 'env-credentials';
      return accessOf(s, q, facts) === 'read' ? 'file-read' : 'file-write';
    }
    case 'ssrf':
      return sendingCall(s.call, q, facts) ? 'send-data' : 'network';
    case 'sql':
      return isSql(s, facts) ? 'sql' : undefined;
    default:
      return undefined;
  }
}

/** The data a file write writes: the second argument of `writeFile`-like calls, the argument of `write_text`. */
function writtenContent(call: TSNode, q: string, facts: CodeFacts): TSNode | undefined {
  const name = propertyName(calleeOf(call)!) ?? q;
  const args = positionalArgs(call);
  if (facts.lang === 'js')
    return /^(?:writeFile|writeFileSync|appendFile|appendFileSync|outputFile|outputFileSync)$/.test(name)
      ? args[1]
      : undefined;
  return /^(?:write_text|write_bytes)$/.test(name) ? args[0] : undefined;
}

/** What a path sink does: the sink's own word when its finder gives one, else the method name and mode. */
function accessOf(s: Sink, q: string, facts: CodeFacts): 'read' | 'write' | 'delete' {
  if (s.access) return s.access;
  const name = propertyName(calleeOf(s.call)!) ?? q;
  if (READS.has(q) || READS.has(name)) return 'read';
  if (OPENS.has(q) || OPENS.has(name)) {
    const mode = keywordArg(s.call, 'mode') ?? keywordArg(s.call, 'flags') ?? positionalArgs(s.call)[1];
    const m = mode ? stripAwaitAndCasts(mode) : undefined;
    if (!m) return 'read';
    const text = staticValue(m, facts) ?? m.text;
    return /[wax+]|O_WRONLY|O_RDWR|O_CREAT|O_APPEND|O_TRUNC/.test(text) ? 'write' : 'read';
  }
  return 'write';
}

/** True when a SQL sink is certainly a database call: SQL-looking text, or a database-looking receiver. */
function isSql(s: Sink, facts: CodeFacts): boolean {
  if (s.dynamicArg) return true;
  const parts = s.args[0] && sqlParts(s.args[0], facts);
  if (parts && SQL_TEXT.test(literalSkeleton(parts, ' '))) return true;
  const recv = receiverOf(s.call);
  if (!recv) return false;
  const q = qualify(recv, facts.aliases);
  return DB_RECEIVER.test(recv.text) || (!!q && DB_MODULES.test(q));
}

/**
 * The API of a call that sends data out, when it is one: an HTTP request with a sending method or a body, an
 * e-mail, an upload to object storage.
 */
function sendingCall(call: TSNode, q: string, facts: CodeFacts): string | undefined {
  const dot = q.lastIndexOf('.');
  const method = dot >= 0 ? q.slice(dot + 1) : q;
  const mod = dot >= 0 ? q.slice(0, dot) : '';
  const args = positionalArgs(call);
  if (facts.lang === 'js') {
    if (/^(?:nodemailer|@sendgrid\/mail|resend)/.test(q) && /^(?:sendMail|send)$/.test(method)) return q;
    if (call.type === 'new_expression' && /^@aws-sdk\.(?:client-s3\.PutObjectCommand|lib-storage\.Upload)$/.test(q))
      return q;
    const isHttp =
      /^(?:fetch|globalThis\.fetch|node-fetch|cross-fetch|undici\.(?:fetch|request)|axios|got|ky|superagent|needle)$/.test(
        q,
      ) || /^(?:axios|got|ky|superagent|needle|undici)(?:\.create\(\)|\.extend\(\))?$/.test(mod);
    if (!isHttp) return undefined;
    if (SENDING_VERBS.test(method) && mod) return q;
    const opts = args.map((a) => stripAwaitAndCasts(a)).find((a) => a.type === 'object');
    const verb = opts && objectPair(opts, 'method')?.childForFieldName('value');
    if (verb && SENDING_VERBS.test(stripQuotes(verb.text))) return `${q} (${stripQuotes(verb.text).toUpperCase()})`;
    if (opts && (objectPair(opts, 'body') || objectPair(opts, 'data') || objectPair(opts, 'json')))
      return `${q} with a body`;
    return undefined;
  }
  if (/^smtplib\.SMTP(?:_SSL)?\(\)$/.test(mod) && /^(?:sendmail|send_message)$/.test(method)) return q;
  const httpMod =
    /^(?:requests|httpx|requests\.Session\(\)|requests\.session\(\)|httpx\.Client\(\)|httpx\.AsyncClient\(\)|aiohttp\.ClientSession\(\))$/.test(
      mod,
    );
  if (httpMod && SENDING_VERBS.test(method)) return q;
  if (httpMod && method === 'request' && args[0] && SENDING_VERBS.test(stripQuotes(args[0].text))) return q;
  if (httpMod && (keywordArg(call, 'data') || keywordArg(call, 'json') || keywordArg(call, 'files'))) return q;
  if (q === 'urllib.request.Request' && (keywordArg(call, 'data') || args[1])) return q;
  if (/^boto3\.client\(\)\.(?:put_object|upload_file|upload_fileobj)$/.test(q)) return q;
  return undefined;
}

/** True when a key read from the environment names a credential, or is not fixed (a tool may choose it). */
function credentialKey(key: TSNode, facts: CodeFacts): boolean {
  const v = staticValue(key, facts);
  return v === undefined ? key.type !== 'string' : CREDENTIAL_NAME.test(v);
}

/** Reads of one environment variable whose name is a credential or is not fixed (`process.env[name]`). */
function envReads(ctx: DetectContext, facts: CodeFacts): TSNode[] {
  const index = nodeIndexOf(ctx);
  if (!index) return [];
  const types = facts.lang === 'js' ? ['member_expression', 'subscript_expression'] : ['subscript'];
  const out: TSNode[] = [];
  for (const n of index.of(types)) {
    const target = n.childForFieldName('object') ?? n.childForFieldName('value');
    if (!target) continue;
    const q = qualify(target, facts.aliases);
    if (q !== 'process.env' && q !== 'os.environ') continue;
    const key = envKey(n);
    if (!key) continue;
    if (n.type === 'member_expression' ? CREDENTIAL_NAME.test(key.text) : credentialKey(key, facts)) out.push(n);
  }
  return out;
}

/** The name part of an environment read: `X` of `process.env.X`, the index of `process.env[x]` / `os.environ[x]`. */
function envKey(n: TSNode): TSNode | undefined {
  return (
    n.childForFieldName('property') ?? n.childForFieldName('index') ?? n.childForFieldName('subscript') ?? undefined
  );
}
