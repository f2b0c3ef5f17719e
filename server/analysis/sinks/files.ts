import type { TSNode } from '../parse';
import { calleeOf, keywordArg, objectPair, positionalArgs, propertyName, receiverOf, stripAwaitAndCasts } from '../ast';
import { qualify, type CodeFacts } from './facts';
import type { Sink } from './types';
import { definitionOf, staticValue } from './values';

/**
 * File-system sinks and what each one does to the file (`Sink.access`), for JavaScript and Python. The path
 * traversal rules only need to know that a path reaches the file system; the capability inventory needs to know
 * whether a tool reads, writes or deletes files, so every entry below says which, per argument.
 */

/** What a call does to the file named by one of its arguments. */
type Access = NonNullable<Sink['access']>;

/**
 * JS file-system methods (of `fs`, `fs/promises`, `fs-extra`, `graceful-fs`), by method name: the access of each
 * path argument in order. Two-path calls (`copyFile(src, dest)`) read or remove their first path and write their
 * second. Add a method when its first arguments are paths; leave out pure existence checks (`stat`, `access`,
 * `exists`), which reveal little and are everywhere.
 */
export const JS_FS_ACCESS = new Map<string, Access[]>([
  ['readFile', ['read']],
  ['readFileSync', ['read']],
  ['createReadStream', ['read']],
  ['readdir', ['read']],
  ['readdirSync', ['read']],
  ['opendir', ['read']],
  ['opendirSync', ['read']],
  ['readlink', ['read']],
  ['readlinkSync', ['read']],
  ['readJson', ['read']],
  ['readJSON', ['read']],
  ['readJsonSync', ['read']],
  ['open', ['read']],
  ['openSync', ['read']],
  ['writeFile', ['write']],
  ['writeFileSync', ['write']],
  ['appendFile', ['write']],
  ['appendFileSync', ['write']],
  ['createWriteStream', ['write']],
  ['mkdir', ['write']],
  ['mkdirSync', ['write']],
  ['mkdirp', ['write']],
  ['ensureDir', ['write']],
  ['ensureFile', ['write']],
  ['truncate', ['write']],
  ['truncateSync', ['write']],
  ['chmod', ['write']],
  ['chmodSync', ['write']],
  ['writeJson', ['write']],
  ['writeJSON', ['write']],
  ['writeJsonSync', ['write']],
  ['outputFile', ['write']],
  ['outputFileSync', ['write']],
  ['outputJson', ['write']],
  ['copyFile', ['read', 'write']],
  ['copyFileSync', ['read', 'write']],
  ['cp', ['read', 'write']],
  ['cpSync', ['read', 'write']],
  ['copy', ['read', 'write']],
  ['copySync', ['read', 'write']],
  ['symlink', ['read', 'write']],
  ['symlinkSync', ['read', 'write']],
  ['link', ['read', 'write']],
  ['linkSync', ['read', 'write']],
  ['rename', ['delete', 'write']],
  ['renameSync', ['delete', 'write']],
  ['move', ['delete', 'write']],
  ['moveSync', ['delete', 'write']],
  ['unlink', ['delete']],
  ['unlinkSync', ['delete']],
  ['rm', ['delete']],
  ['rmSync', ['delete']],
  ['rmdir', ['delete']],
  ['rmdirSync', ['delete']],
  ['remove', ['delete']],
  ['removeSync', ['delete']],
  ['emptyDir', ['delete']],
  ['emptyDirSync', ['delete']],
]);

/** The modules whose methods are `JS_FS_ACCESS` (canonical names, see `canonicalModule`). */
export const JS_FS_MODULES = new Set(['fs', 'fs.promises', 'fs-extra', 'graceful-fs', 'fs-extra.promises']);

/**
 * Python path calls, by qualified name: the access of each path argument in order (see `JS_FS_ACCESS`). `open`
 * and its relatives are read unless their mode says otherwise (`pyOpenAccess`).
 */
export const PY_PATH_ACCESS = new Map<string, Access[]>([
  ['open', ['read']],
  ['io.open', ['read']],
  ['codecs.open', ['read']],
  ['aiofiles.open', ['read']],
  ['os.open', ['read']],
  ['os.listdir', ['read']],
  ['os.scandir', ['read']],
  ['os.walk', ['read']],
  ['send_file', ['read']],
  ['flask.send_file', ['read']],
  ['os.remove', ['delete']],
  ['os.unlink', ['delete']],
  ['os.rmdir', ['delete']],
  ['os.removedirs', ['delete']],
  ['shutil.rmtree', ['delete']],
  ['aiofiles.os.remove', ['delete']],
  ['os.makedirs', ['write']],
  ['os.mkdir', ['write']],
  ['os.chmod', ['write']],
  ['os.truncate', ['write']],
  ['shutil.unpack_archive', ['read', 'write']],
  ['shutil.copy', ['read', 'write']],
  ['shutil.copy2', ['read', 'write']],
  ['shutil.copyfile', ['read', 'write']],
  ['shutil.copytree', ['read', 'write']],
  ['shutil.move', ['delete', 'write']],
  ['os.rename', ['delete', 'write']],
  ['os.replace', ['delete', 'write']],
]);

/**
 * Methods only `pathlib` paths have, by name: calling one on a tainted receiver touches the file it names. The
 * receiver is the path; `rename`/`replace` also write their argument.
 */
export const PY_PATH_METHODS = new Map<string, Access>([
  ['read_text', 'read'],
  ['read_bytes', 'read'],
  ['iterdir', 'read'],
  ['rglob', 'read'],
  ['write_text', 'write'],
  ['write_bytes', 'write'],
  ['touch', 'write'],
  ['mkdir', 'write'],
  ['symlink_to', 'write'],
  ['unlink', 'delete'],
  ['rmdir', 'delete'],
]);

/** The access an `open`-like call's mode gives: any of `w`, `a`, `x` or `+` writes; a non-literal mode reads. */
function modeAccess(mode: string | undefined): Access {
  return mode && /[wax+]/.test(mode) ? 'write' : 'read';
}

/** The path sinks of one call whose access table entry is `access`: one sink per path argument. */
export function pathSinks(call: TSNode, api: string, paths: readonly (TSNode | undefined)[], access: Access[]): Sink[] {
  const out: Sink[] = [];
  // A call whose arguments all do the same (rare) keeps one sink, as before: one finding per call.
  const same = access.every((a) => a === access[0]);
  if (same) {
    const args = paths.slice(0, access.length).filter((a): a is TSNode => !!a);
    if (args.length) out.push({ call, family: 'path', api, args, access: access[0], reportTainted: true });
    return out;
  }
  access.forEach((a, i) => {
    const arg = paths[i];
    if (arg) out.push({ call, family: 'path', api, args: [arg], access: a, reportTainted: true });
  });
  return out;
}

/**
 * The file sinks of one JS call that are not `fs` methods: Playwright and Puppeteer writing a PDF or screenshot to
 * `{ path }`, and uploading local files into a page (`setInputFiles`, `setFiles`). Matched by method
 * name and argument shape, which are specific to these libraries: `page.pdf({ path })`, `locator.screenshot(opts)`
 * with `opts = { path }`, `page.setInputFiles(selector, files)`, `locator.setInputFiles(files)`.
 */
export function jsBrowserFileSinks(call: TSNode, method: string, args: TSNode[], facts: CodeFacts): Sink[] {
  const a0 = args[0];
  if (!a0) return [];
  if (method === 'pdf' || method === 'screenshot') {
    // The options are often built first: `const options = { path: …, format: "A4" }; await page.pdf(options)`.
    const given = stripAwaitAndCasts(a0);
    const opts = given.type === 'identifier' ? stripAwaitAndCasts(definitionOf(given, facts) ?? given) : given;
    const path = opts.type === 'object' ? objectPair(opts, 'path')?.childForFieldName('value') : undefined;
    return path
      ? [{ call, family: 'path', api: `page.${method}({ path })`, args: [path], access: 'write', reportTainted: true }]
      : [];
  }
  // Puppeteer's `uploadFile(...paths)` is left out: SFTP clients have an `uploadFile(local, remote)` too.
  if (method === 'setInputFiles' || method === 'setFiles') {
    // `page.setInputFiles(selector, files)` takes a selector first; a locator's takes the files (then options).
    const second = args[1] && stripAwaitAndCasts(args[1]).type !== 'object' ? args[1] : undefined;
    const files = [second ?? a0];
    return [
      {
        call,
        family: 'path',
        api: `${method}() (uploads the file into the page)`,
        args: files,
        access: 'read',
        reportTainted: true,
        note: 'The file is read from the server and uploaded to the page.',
      },
    ];
  }
  return [];
}

/**
 * Express sends a file from the server's disk: `res.sendFile(path)`, `res.download(path)`. With a `root` option
 * `sendFile` refuses paths that climb out of it, so only calls without one are sinks. Matched by method name:
 * these names are Express's (and Fastify's `reply.sendFile` takes a path relative to its configured root, so it
 * is not one).
 */
export function jsResponseFileSinks(call: TSNode, method: string, args: TSNode[]): Sink[] {
  const a0 = args[0];
  if (!a0 || (method !== 'sendFile' && method !== 'download')) return [];
  if (/(?:^|\.)reply$/.test(receiverOf(call)?.text ?? '')) return [];
  const opts = args.slice(1).find((a) => stripAwaitAndCasts(a).type === 'object');
  if (opts && objectPair(stripAwaitAndCasts(opts), 'root')) return [];
  return [{ call, family: 'path', api: `res.${method}()`, args: [a0], access: 'read', reportTainted: true }];
}

/** True when a read sink's result is appended to a multipart form: `form.append("file", fs.createReadStream(p))`. */
export function uploadedByForm(call: TSNode): boolean {
  const args = call.parent;
  const outer = args?.type === 'arguments' ? args.parent : undefined;
  const callee = outer && calleeOf(outer);
  return !!callee && propertyName(callee) === 'append' && positionalArgs(outer!).length >= 2;
}

/** The access of a Python `open`-like call: its mode argument (second positional or `mode=`). */
export function pyOpenAccess(call: TSNode, facts: CodeFacts): Access {
  const mode = keywordArg(call, 'mode') ?? positionalArgs(call)[1];
  return modeAccess(mode ? staticValue(mode, facts) : undefined);
}

/** The access of `Path(...).open(mode)`: its first argument or `mode=`. */
export function pyPathOpenAccess(call: TSNode, facts: CodeFacts): Access {
  const mode = keywordArg(call, 'mode') ?? positionalArgs(call)[0];
  return modeAccess(mode ? staticValue(mode, facts) : undefined);
}

/**
 * FastMCP's content helpers that read a local file when given `path=`: `Image(path=…)`, `File(path=…)`,
 * `Audio(path=…)` from `fastmcp` or `mcp.server.fastmcp`. The file is read and sent to the client, so a tool
 * parameter there reads any file. Returns the path argument, or undefined for another call or `data=`.
 */
export function fastmcpFileArg(call: TSNode, facts: CodeFacts): TSNode | undefined {
  const callee = calleeOf(call);
  const q = callee ? (qualify(callee, facts.aliases) ?? '') : '';
  if (!/(?:^|\.)fastmcp(?:\.|$)/.test(q) || !/\.(?:Image|File|Audio)$/.test(q)) return undefined;
  return keywordArg(call, 'path') ?? positionalArgs(call)[0];
}

/**
 * True when the receiver of `.open()` is a pathlib path: `Path(p).open()`, `(root / name).open()`, or a name
 * bound to a `Path(...)` call. `open` is too common a method name (`webbrowser.open`, `zipfile.open`,
 * `Image.open`) to be a sink on any tainted receiver.
 */
export function pathlibReceiver(recv: TSNode, facts: CodeFacts): boolean {
  let r = stripAwaitAndCasts(recv);
  if (r.type === 'parenthesized_expression' && r.namedChildren[0]) r = stripAwaitAndCasts(r.namedChildren[0]);
  if (r.type === 'binary_operator' && r.childForFieldName('operator')?.text === '/') return true;
  const q = qualify(r, facts.aliases) ?? '';
  return /(?:^|\.)(?:Path|PurePath|PosixPath|WindowsPath)\(\)(?:\.(?:resolve|absolute|expanduser|joinpath|with_name|with_suffix)\(\))*$/.test(
    q,
  );
}
