/**
 * Text preconditions of the secret rules that read the parse tree (`Rule.applies`): cheap tests on the whole text,
 * run before any parse, that hold whenever the rule could report or dismiss something. Their keywords alone (`=`,
 * `:`, `==`) are in nearly every source file, so without these every file was parsed for them, and a file of a
 * library tree could never skip its parse (the batch scan's cheap files).
 *
 * Each test over-approximates what the rule reads: the rule judges a name with `isSecretName`, whose last word (after
 * splitting at case changes and at anything not a letter or digit) must be one of `SECRET_LAST_WORDS`, or `key`
 * (`keys`) after a qualifier. `SECRET_WORD` finds such a word where a name could end with it.
 */
import { SECRET_LAST_WORDS } from './placeholder';

/** `word` spelt as the last word of a name can spell it: lower case, Capitalised or UPPER case. */
function spellings(word: string): string[] {
  const cap = word.charAt(0).toUpperCase() + word.slice(1);
  // Lower case starts a word only after something that is not a letter or digit (`api_key`, `token`); a
  // capitalised word starts one anywhere (`apiToken`, `APIToken`); an upper-case one after anything not upper case
  // (`API_TOKEN`, `apiTOKEN`). What follows must not continue it in lower case or with a digit.
  return [`(?<![A-Za-z0-9])${word}`, cap, `(?<![A-Z])${word.toUpperCase()}`].map((s) => `${s}(?![a-z0-9])`);
}

/** A word that can end a secret-looking name, where it can end one. */
const SECRET_WORD = `(?:${[...SECRET_LAST_WORDS, 'key', 'keys']
  .sort((a, b) => b.length - a.length)
  .flatMap(spellings)
  .join('|')})`;

/**
 * `secret-embedded-credentials-file`: a `NAME=value` or `name: value` line of a string under a secret-looking name.
 * A line starts the string (after its quote), follows a line break, or follows a `\n` escape.
 */
const EMBEDDED_LINE = new RegExp(
  String.raw`(?:^|\\n|["'\`])[ \t]*(?:export[ \t]+)?(?:[A-Za-z_][A-Za-z0-9_.-]{0,60}?)?${SECRET_WORD}[_.-]*[ \t]*[=:]`,
  'm',
);

/** True when the text may hold a credentials file in a string (`secret-embedded-credentials-file`). */
export function mayEmbedCredentials(text: string): boolean {
  return EMBEDDED_LINE.test(text);
}

const SECRET_WORD_RE = new RegExp(SECRET_WORD);
const SECRET_NAME_END = new RegExp(`${SECRET_WORD}(?:["']\\s*\\])?$`);
const EQUALITY = /[!=]==?/g;
// How far from an operator a name side is looked for when the rule's shape cannot be followed exactly.
const WINDOW = 300;

/**
 * `secret-compared-to-literal`: a string literal on one side of `==`/`!=` (or `===`/`!==`), and on the other a name
 * that ends in a secret word (an identifier, the last property or attribute of a chain, or the string key of a
 * subscript). Each operator is looked at: the literal must touch it (across white space and line continuations;
 * a comment in between, which brackets allow, counts as a possible literal), and the name side must end in a secret
 * word just before it, or hold one in the next few hundred characters after it (where the expression ends is not
 * known without a parse).
 */
export function mayCompareToLiteral(text: string): boolean {
  EQUALITY.lastIndex = 0;
  for (let m = EQUALITY.exec(text); m; m = EQUALITY.exec(text)) {
    const op = m.index;
    const after = op + m[0].length;
    // Before the operator: skip white space; a comment may end there when a line break was crossed (`#`) or `*/`.
    let b = op;
    let crossed = false;
    while (b > 0 && /[\s\\]/.test(text[b - 1]!)) if (text[--b] === '\n') crossed = true;
    const prev = text[b - 1];
    const unsureBefore = crossed || prev === '/';
    // After it: skip white space; a comment may start there.
    let a = after;
    while (a < text.length && /[\s\\]/.test(text[a]!)) a++;
    const next = text[a];
    const unsureAfter = next === '/' || next === '#';
    const literalAfter = unsureAfter || /^[rRbBuU]{0,2}["']/.test(text.slice(a, a + 3));
    const literalBefore = unsureBefore || prev === '"' || prev === "'";
    if (literalAfter) {
      const before = unsureBefore ? text.slice(Math.max(0, op - WINDOW), op) : text.slice(Math.max(0, b - 80), b);
      if ((unsureBefore ? SECRET_WORD_RE : SECRET_NAME_END).test(before)) return true;
    }
    if (literalBefore && SECRET_WORD_RE.test(text.slice(after, after + WINDOW))) return true;
  }
  return false;
}
