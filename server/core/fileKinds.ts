import { FILE_KINDS, KEY_FILE_NAMES, UNSCANNED_NAMES, type CommentSyntax, type FileType } from '../../shared/languages';
import type { FileKind } from '../../shared/types';

/** The file type a path resolves to in the table of shared/languages.ts, with its kind. */
export interface ResolvedFileType {
  /** The kind the rules see. */
  kind: FileKind;
  /** The matching entry of the table. */
  type: FileType;
}

/** Turns base-name patterns (`*` = any run of characters) into one case-insensitive test. */
function nameTest(patterns: readonly string[]): RegExp {
  const alternatives = patterns.map((p) =>
    p
      .split('*')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
  );
  return new RegExp(`^(?:${alternatives.join('|')})$`, 'is');
}

const TYPES = FILE_KINDS.flatMap((k) => k.types.map((type) => ({ kind: k.kind, type, test: nameTest(type.names) })));

/**
 * The syntax shared by every file type of a kind, when they all agree: what a document has when only its kind is
 * known (an untitled document classified by its language id). Kinds whose types differ get none.
 */
const KIND_COMMENTS = new Map<FileKind, CommentSyntax | undefined>(
  FILE_KINDS.map((k) => {
    const first = JSON.stringify(k.types[0]?.comments);
    return [k.kind, k.types.every((t) => JSON.stringify(t.comments) === first) ? k.types[0]?.comments : undefined];
  }),
);

/**
 * The file type of a path (relative or absolute, any slashes), or undefined for files the scanner does not read
 * (images, archives, lock files and the like).
 */
export function fileTypeOf(path: string): ResolvedFileType | undefined {
  const parts = path.replace(/\\/g, '/').toLowerCase().split('/');
  const base = parts.pop()!;
  if (UNSCANNED_NAMES.includes(base)) return undefined;
  for (const t of TYPES) {
    if (!t.test.test(base)) continue;
    if (t.type.under && !t.type.under.some((dir) => parts.includes(dir))) continue;
    return { kind: t.kind, type: t.type };
  }
  return undefined;
}

/**
 * Classifies a path (relative or absolute, any slashes) into the kind of file the rules understand, or
 * undefined for files the scanner does not read (images, archives, lock files and the like).
 */
export function classifyPath(path: string): FileKind | undefined {
  return fileTypeOf(path)?.kind;
}

/**
 * The comment syntax of a document scanned as `kind`: its file type's when the path has one of that kind, else the
 * syntax every file of the kind shares (a document known only by its language id). Undefined when the file cannot
 * hold comments, or when its kind alone does not tell (strict JSON next to JSONC).
 */
export function commentSyntaxOf(path: string, kind: FileKind): CommentSyntax | undefined {
  const t = fileTypeOf(path);
  return t?.kind === kind ? t.type.comments : KIND_COMMENTS.get(kind);
}

const KEY_FILE = nameTest(KEY_FILE_NAMES);

/**
 * True when a path names a private key file (`id_rsa`, `*.pem`, `*.key`, `*.p12`, …, see KEY_FILE_NAMES): discovery
 * reads such a file even when it is binary, and the key-file rule reports it by name.
 */
export function isKeyFileName(path: string): boolean {
  return KEY_FILE.test(path.replace(/\\/g, '/').split('/').pop() ?? '');
}
