import type { TSNode } from '../parse';
import { calleeOf, objectPair, positionalArgs, propertyName, receiverOf, stripAwaitAndCasts } from '../ast';
import { qualifiedCallee, type CodeFacts } from './facts';
import { REDIRECT_NOTE, type Sink } from './types';
import { dynamicShellArg as dyn, shellScriptArg } from './shell';
import { sqlSink } from './sql';
import { isDbReceiver } from './db';
import {
  JS_FS_ACCESS,
  JS_FS_MODULES,
  jsBrowserFileSinks,
  jsResponseFileSinks,
  pathSinks,
  uploadedByForm,
} from './files';
import { templateSink } from './templates';
import { launchSinks } from './launch';
import { staticValue, stringParts } from './values';

/** Sink finders for JavaScript and TypeScript. */

const SHELL_EXEC = new Set(['child_process.exec', 'child_process.execSync']);
const SPAWN = new Set([
  'child_process.spawn',
  'child_process.spawnSync',
  'child_process.execFile',
  'child_process.execFileSync',
]);
const EXECA = new Set([
  'execa',
  'execa.execa',
  'execa.execaSync',
  'execaSync',
  'execa.execaCommand',
  'execa.execaCommandSync',
  'execaCommand',
  'execaCommandSync',
  'execa.command',
  'execa.commandSync',
]);
const VM = new Set(['vm.runInThisContext', 'vm.runInNewContext', 'vm.runInContext', 'vm.compileFunction']);
const TIMERS = new Set([
  'setTimeout',
  'setInterval',
  'setImmediate',
  'window.setTimeout',
  'window.setInterval',
  'globalThis.setTimeout',
]);

const HTTP_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream', 'fetch']);
const HTTP_CALLS = new Set([
  'fetch',
  'globalThis.fetch',
  'window.fetch',
  'node-fetch',
  'cross-fetch',
  'undici.fetch',
  'undici.request',
  'undici.stream',
  'axios',
  'got',
  'ky',
  'superagent',
  'needle',
  'http.get',
  'http.request',
  'https.get',
  'https.request',
]);
const HTTP_CLIENTS = [
  'axios',
  'axios.create()',
  'got',
  'got.extend()',
  'ky',
  'ky.create()',
  'superagent',
  'needle',
  'undici',
  'undici.Client()',
  'undici.Pool()',
];

const SQL_METHODS = new Set([
  'query',
  'execute',
  'raw',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
  'exec',
  'prepare',
  'all',
  'get',
  'run',
  'each',
  'unsafe',
]);
/** SQL methods whose name alone says "run this SQL" (Prisma's unsafe raw queries); the others need a database receiver. */
const SQL_BY_NAME = new Set(['$queryRawUnsafe', '$executeRawUnsafe']);

/** HTTP clients that follow redirects by default (node's `http`/`https` and `undici.request` do not). */
const FOLLOWS_REDIRECTS =
  /^(?:fetch|globalThis\.fetch|window\.fetch|node-fetch|cross-fetch|undici\.fetch|axios|got|ky|superagent|needle)(?:$|\.|\()/;

/** Options-object `shell` flag: true unless absent or literally false. */
function shellOption(opts: TSNode | undefined): boolean {
  const pair = opts && objectPair(stripAwaitAndCasts(opts), 'shell');
  const v = pair?.childForFieldName('value');
  return !!v && v.type !== 'false' && v.type !== 'undefined' && v.type !== 'null';
}

/** Finds every dangerous sink in a JS/TS document. */
export function jsSinks(facts: CodeFacts, sqlLike: (s: string) => boolean): Sink[] {
  const out: Sink[] = [];
  for (const call of facts.calls) {
    const callee = calleeOf(call);
    if (!callee) continue;
    // Calls on computed receivers (`(await getDb()).query(…)`) have no dotted path but can still be sinks.
    const q = qualifiedCallee(call, callee, facts);
    const args = positionalArgs(call);
    const a0 = args[0];
    if (!a0) continue;
    const isNew = call.type === 'new_expression';
    const base = { call, reportTainted: true };
    const launched = launchSinks(call, q, args, facts);
    if (launched.length) {
      out.push(...launched);
      continue;
    }

    if (!isNew && SHELL_EXEC.has(q)) {
      out.push({ ...base, family: 'command', api: q, args: [a0], dynamicArg: dyn(a0, facts) });
      continue;
    }
    if (!isNew && (SPAWN.has(q) || EXECA.has(q))) {
      const list = args[1] && stripAwaitAndCasts(args[1]).type === 'array' ? args[1] : undefined;
      const opts = args.find((a) => stripAwaitAndCasts(a).type === 'object');
      const script = shellScriptArg(staticValue(a0, facts), list, facts);
      if (script) {
        out.push({
          ...base,
          family: 'command',
          api: `${q} (shell -c)`,
          args: [script],
          dynamicArg: dyn(script, facts),
        });
      } else if (shellOption(opts)) {
        const items = list
          ? stripAwaitAndCasts(list).namedChildren.filter((c): c is TSNode => !!c && c.type !== 'comment')
          : [];
        const cands = [a0, ...items];
        out.push({
          ...base,
          family: 'command',
          api: `${q} with shell: true`,
          args: cands,
          dynamicArg: cands.find((c) => dyn(c, facts)),
        });
      }
      continue;
    }
    if (
      !isNew &&
      ((q === 'eval' && stripAwaitAndCasts(callee).type === 'identifier') ||
        q === 'globalThis.eval' ||
        q === 'window.eval')
    ) {
      out.push({ ...base, family: 'code', api: 'eval', args: [a0], dynamicArg: dyn(a0, facts) });
      continue;
    }
    if (q === 'Function' || q === 'globalThis.Function') {
      out.push({
        ...base,
        family: 'code',
        api: isNew ? 'new Function' : 'Function',
        args: [...args],
        dynamicArg: args.find((a) => a.type === 'spread_element' || dyn(a, facts)),
      });
      continue;
    }
    if ((!isNew && VM.has(q)) || (isNew && q === 'vm.Script')) {
      out.push({ ...base, family: 'code', api: isNew ? 'new vm.Script' : q, args: [a0], dynamicArg: dyn(a0, facts) });
      continue;
    }
    if (!isNew && TIMERS.has(q) && stringParts(a0)) {
      out.push({ ...base, family: 'code', api: `${q} with a string`, args: [a0], dynamicArg: dyn(a0, facts) });
      continue;
    }
    if (!isNew && q === 'node-serialize.unserialize') {
      out.push({ ...base, family: 'deser', api: q, args: [a0], dynamicArg: dyn(a0, facts) });
      continue;
    }
    const dot = q.lastIndexOf('.');
    const mod = dot > 0 ? q.slice(0, dot) : '';
    const method = dot > 0 ? q.slice(dot + 1) : q;
    const access = JS_FS_MODULES.has(mod) ? JS_FS_ACCESS.get(method) : undefined;
    if (!isNew && access) {
      const found = pathSinks(call, q, args, access);
      // A file read into a multipart form is uploaded: the finding says so.
      if (access[0] === 'read' && uploadedByForm(call))
        for (const s of found) s.note = 'The file is read and uploaded in a multipart form.';
      out.push(...found);
      continue;
    }
    if (!isNew) {
      const template = templateSink(call, q, facts);
      if (template) {
        out.push(template);
        continue;
      }
    }
    if (!isNew && (HTTP_CALLS.has(q) || (HTTP_VERBS.has(method) && HTTP_CLIENTS.includes(mod)))) {
      const first = stripAwaitAndCasts(a0);
      const url =
        first.type === 'object'
          ? ['url', 'baseURL', 'hostname', 'host', 'origin']
              .map((k) => objectPair(first, k)?.childForFieldName('value'))
              .find((v): v is TSNode => !!v)
          : a0;
      const note = FOLLOWS_REDIRECTS.test(q) ? REDIRECT_NOTE : undefined;
      if (url) out.push({ ...base, family: 'ssrf', api: q, args: [url], note });
      continue;
    }
    const name = propertyName(callee);
    if (!isNew && name) {
      const browser = [
        ...jsBrowserFileSinks(call, name, [...args], facts),
        ...jsResponseFileSinks(call, name, [...args]),
      ];
      if (browser.length) {
        out.push(...browser);
        continue;
      }
    }
    // The receiver only matters to the SQL check below: it is not read for other calls.
    const recv = !isNew && name && SQL_METHODS.has(name) ? receiverOf(call) : undefined;
    if (!isNew && name && recv && SQL_METHODS.has(name)) {
      const sink = sqlSink(call, name, a0, SQL_BY_NAME.has(name) || isDbReceiver(recv, facts), facts, sqlLike);
      if (sink) out.push(sink);
    }
  }
  return out;
}
