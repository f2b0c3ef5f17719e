import { stripAwaitAndCasts } from '../ast';
import type { TSNode } from '../parse';
import type { CodeFacts } from './facts';
import { isDynamic, staticValue } from './values';
import { ESCAPERS } from '../taint/models';

/**
 * Shell programs and the flags that hand them a script, shared by the JS and Python finders: `spawn("bash",
 * ["-c", script])` and `subprocess.run(["sh", "-c", script])` run the script through a shell whatever the API
 * promises about argument lists.
 */

/** Programs that run their `-c` argument as a shell script. */
const SHELLS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  '/bin/sh',
  '/bin/bash',
  '/bin/zsh',
  '/usr/bin/bash',
  '/usr/bin/env bash',
  'cmd',
  'cmd.exe',
  'powershell',
  'powershell.exe',
  'pwsh',
]);
/** Flags whose next argument is the script: POSIX `-c` (alone or combined), cmd `/c`, PowerShell `-Command`. */
const SHELL_FLAGS = new Set(['-c', '/c', '/C', '-Command', '-command', '-lc', '-ec']);

/**
 * The script a shell is handed in an argument list: `spawn("bash", ["-c", script])` and
 * `subprocess.run(["bash", "-c", script])` → `script`. Undefined when `program` is not a shell or no flag precedes a script.
 */
export function shellScriptArg(
  program: string | undefined,
  list: TSNode | undefined,
  facts: CodeFacts,
): TSNode | undefined {
  if (!program || !SHELLS.has(program.trim()) || !list) return undefined;
  const items = stripAwaitAndCasts(list).namedChildren.filter((c): c is TSNode => !!c && c.type !== 'comment');
  const i = items.findIndex((c) => SHELL_FLAGS.has(staticValue(c, facts) ?? ''));
  return i >= 0 ? items[i + 1] : undefined;
}

/** Shell escapers (the one table, taint/models.ts): a value passed through one cannot break out of its word. */
const SHELL_SAFE = (q: string) => ESCAPERS.command.test(q);

/** The argument itself when it is built from non-literal input that no shell escaper wrapped, else undefined. */
export function dynamicShellArg(n: TSNode | undefined, facts: CodeFacts): TSNode | undefined {
  return n && isDynamic(n, facts, SHELL_SAFE) ? n : undefined;
}
