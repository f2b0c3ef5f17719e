import type { TSNode } from '../parse';
import { calleeOf, keywordArg, positionalArgs, propertyName, receiverOf, stripAwaitAndCasts } from '../ast';
import { qualify, type CodeFacts } from './facts';
import { dynamicShellArg as dyn, shellScriptArg } from './shell';
import { REDIRECT_NOTE, type Sink } from './types';
import { isDbReceiver } from './db';
import {
  fastmcpFileArg,
  pathlibReceiver,
  pathSinks,
  PY_PATH_ACCESS,
  PY_PATH_METHODS,
  pyOpenAccess,
  pyPathOpenAccess,
} from './files';
import { templateSink } from './templates';
import { sqlSink } from './sql';
import { staticValue } from './values';

/** Sink finders for Python. */

/** Calls that always run their argument through a shell. */
const ALWAYS_SHELL = new Set([
  'os.system',
  'os.popen',
  'commands.getoutput',
  'commands.getstatusoutput',
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  'asyncio.create_subprocess_shell',
  'asyncio.subprocess.create_subprocess_shell',
]);
/** Calls that use a shell only with `shell=True`. */
const SUBPROCESS = new Set([
  'subprocess.run',
  'subprocess.call',
  'subprocess.check_call',
  'subprocess.check_output',
  'subprocess.Popen',
]);
const EXEC_LIST = new Set([
  ...SUBPROCESS,
  'asyncio.create_subprocess_exec',
  'asyncio.subprocess.create_subprocess_exec',
  'os.execvp',
  'os.execv',
]);

const PICKLE = new Set([
  'pickle.loads',
  'pickle.load',
  'cPickle.loads',
  'cPickle.load',
  '_pickle.loads',
  '_pickle.load',
  'dill.loads',
  'dill.load',
  'marshal.loads',
  'marshal.load',
  'jsonpickle.decode',
  'shelve.open',
  'pandas.read_pickle',
  'cloudpickle.loads',
  'cloudpickle.load',
]);
const YAML_UNSAFE = new Set(['yaml.unsafe_load', 'yaml.full_load', 'yaml.unsafe_load_all', 'yaml.full_load_all']);
const YAML_SAFE_LOADERS = /(?:^|\.)(?:SafeLoader|CSafeLoader|BaseLoader|CBaseLoader)$/;

const HTTP_VERBS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'request',
  'stream',
  'urlopen',
]);
const HTTP_MODULES = new Set([
  'requests',
  'httpx',
  'requests.Session()',
  'requests.session()',
  'httpx.Client()',
  'httpx.AsyncClient()',
  'aiohttp.ClientSession()',
  'urllib3.PoolManager()',
  'urllib.request',
  'urllib2',
  'six.moves.urllib.request',
]);

const SQL_METHODS = new Set([
  'execute',
  'executemany',
  'executescript',
  'raw',
  'exec_driver_sql',
  'read_sql',
  'read_sql_query',
  'fetch',
  'fetchrow',
  'fetchval',
  'query',
  'sql',
]);
/** SQL methods whose name alone says "run this SQL"; the others need a database receiver (see db.ts). */
const SQL_BY_NAME = new Set(['executescript', 'exec_driver_sql']);
/** Python HTTP clients that follow redirects by default (httpx does only with `follow_redirects=True`). */
const FOLLOWS_REDIRECTS =
  /^(?:requests|urllib\.request|urllib2|six\.moves\.urllib\.request|aiohttp|urllib3)(?:$|\.|\()/;

/** Finds every dangerous sink in a Python document. */
export function pySinks(facts: CodeFacts, sqlLike: (s: string) => boolean): Sink[] {
  const out: Sink[] = [];
  for (const call of facts.calls) {
    const callee = calleeOf(call);
    if (!callee) continue;
    // Calls on computed receivers (`(root / name).read_text()`) have no dotted path but can still be sinks.
    const q = qualify(callee, facts.aliases) ?? '';
    const args = positionalArgs(call);
    const a0 = args[0];
    const base = { call, reportTainted: true };

    if (ALWAYS_SHELL.has(q)) {
      const cmd = a0 ?? keywordArg(call, 'cmd') ?? keywordArg(call, 'command');
      if (cmd) out.push({ ...base, family: 'command', api: q, args: [cmd], dynamicArg: dyn(cmd, facts) });
      continue;
    }
    if (EXEC_LIST.has(q)) {
      const cmd = a0 ?? keywordArg(call, 'args');
      if (!cmd) continue;
      const c = stripAwaitAndCasts(cmd);
      const list = c.type === 'list' || c.type === 'tuple' ? c : undefined;
      // asyncio.create_subprocess_exec("bash", "-c", script) passes the program and its arguments positionally.
      const script = q.includes('create_subprocess_exec')
        ? shellScriptArg(staticValue(c, facts), call.childForFieldName('arguments') ?? undefined, facts)
        : list && shellScriptArg(staticValue(list.namedChildren[0]!, facts), list, facts);
      const shell = keywordArg(call, 'shell');
      if (script)
        out.push({
          ...base,
          family: 'command',
          api: `${q} (shell -c)`,
          args: [script],
          dynamicArg: dyn(script, facts),
        });
      else if (SUBPROCESS.has(q) && shell && shell.type !== 'false' && shell.type !== 'none') {
        const target = list ? (list.namedChildren[0] ?? cmd) : cmd;
        out.push({
          ...base,
          family: 'command',
          api: `${q}(shell=True)`,
          args: [target],
          dynamicArg: dyn(target, facts),
        });
      }
      continue;
    }
    if (stripAwaitAndCasts(callee).type === 'identifier' && (q === 'eval' || q === 'exec' || q === 'compile') && a0) {
      out.push({ ...base, family: 'code', api: `${q}()`, args: [a0], dynamicArg: dyn(a0, facts) });
      continue;
    }
    if (q === 'builtins.eval' || q === 'builtins.exec') {
      if (a0) out.push({ ...base, family: 'code', api: q, args: [a0], dynamicArg: dyn(a0, facts) });
      continue;
    }
    if (PICKLE.has(q) || YAML_UNSAFE.has(q) || q === 'yaml.load' || q === 'yaml.load_all') {
      const data = a0 ?? keywordArg(call, 'stream') ?? keywordArg(call, 'data') ?? keywordArg(call, 's');
      if (!data) continue;
      if (q === 'yaml.load' || q === 'yaml.load_all') {
        const loader = keywordArg(call, 'Loader') ?? args[1];
        if (loader && YAML_SAFE_LOADERS.test(qualify(loader, facts.aliases) ?? '')) continue;
      }
      out.push({
        ...base,
        family: 'deser',
        api: q,
        args: [data],
        dynamicArg: dyn(data, facts),
        fix: yamlFix(call, q, !!(keywordArg(call, 'Loader') ?? args[1])),
      });
      continue;
    }
    const dot = q.lastIndexOf('.');
    const mod = dot > 0 ? q.slice(0, dot) : '';
    const method = dot > 0 ? q.slice(dot + 1) : q;
    const access = PY_PATH_ACCESS.get(q);
    if (access && a0 && (q !== 'open' || stripAwaitAndCasts(callee).type === 'identifier')) {
      const modes = /(?:^|\.)open$/.test(q) && q !== 'os.open' ? [pyOpenAccess(call, facts)] : access;
      out.push(...pathSinks(call, `${q}()`, args, modes));
      continue;
    }
    const file = fastmcpFileArg(call, facts);
    if (file) {
      out.push({ ...base, family: 'path', api: `${q}(path=…)`, args: [file], access: 'read' });
      continue;
    }
    const template = templateSink(call, q, facts);
    if (template) {
      out.push(template);
      continue;
    }
    const name = propertyName(callee);
    // The receiver only matters to the path-method and SQL checks below: it is not read for other calls.
    const pathMethod = name === 'open' ? pyPathOpenAccess(call, facts) : name ? PY_PATH_METHODS.get(name) : undefined;
    const recv = name && (pathMethod || SQL_METHODS.has(name)) ? receiverOf(call) : undefined;
    if (name && recv && pathMethod && (name !== 'open' || pathlibReceiver(recv, facts))) {
      out.push({ ...base, family: 'path', api: `Path.${name}()`, args: [recv], access: pathMethod });
      continue;
    }
    if ((HTTP_MODULES.has(mod) && HTTP_VERBS.has(method)) || q === 'urllib.request.Request') {
      const url = keywordArg(call, 'url') ?? (method === 'request' && !mod.startsWith('urllib.request') ? args[1] : a0);
      const note = FOLLOWS_REDIRECTS.test(q) ? REDIRECT_NOTE : undefined;
      if (url) out.push({ ...base, family: 'ssrf', api: q, args: [url], note });
      continue;
    }
    if (name && recv && SQL_METHODS.has(name) && a0) {
      const sink = sqlSink(
        call,
        name,
        sqlArg(a0, facts),
        SQL_BY_NAME.has(name) || isDbReceiver(recv, facts),
        facts,
        sqlLike,
      );
      if (sink) out.push(sink);
    }
  }
  return out;
}

/** SQLAlchemy's `text("…")` wraps the SQL string: look inside it. */
function sqlArg(a0: TSNode, facts: CodeFacts): TSNode {
  const a = stripAwaitAndCasts(a0);
  if (a.type === 'call') {
    const q = qualify(calleeOf(a)!, facts.aliases);
    if (
      q === 'text' ||
      q === 'sqlalchemy.text' ||
      q === 'sqlalchemy.sql.text' ||
      q === 'sqlalchemy.sql.expression.text'
    ) {
      const inner = positionalArgs(a)[0];
      if (inner) return inner;
    }
  }
  return a0;
}

/** `yaml.load(x)` → `yaml.safe_load(x)`: only when no Loader is passed, so the edit is one name. */
function yamlFix(call: TSNode, q: string, hasLoader: boolean): Sink['fix'] {
  if (!q.startsWith('yaml.') || hasLoader) return undefined;
  const callee = stripAwaitAndCasts(calleeOf(call)!);
  const attr = callee.type === 'attribute' ? callee.childForFieldName('attribute') : undefined;
  if (!attr) return undefined;
  const safe = q.endsWith('_all') ? 'safe_load_all' : 'safe_load';
  return { title: `Use yaml.${safe}`, edits: [{ start: attr.startIndex, end: attr.endIndex, newText: safe }] };
}
