/**
 * The one table of file types: which file names make which FileKind, how each type writes comments, which VS Code
 * language ids stand for which kind, and which globs the client's document selector adds. The server classifies
 * paths from it (server/core/fileKinds.ts), the comment lexer and the quick fixes read its comment syntax, and the
 * client takes its language lists and selector globs from it, so the two sides cannot disagree about what is scanned.
 * Pure data and lookups: no `vscode` import and no Node-only API.
 */
import type { FileKind } from './types';

/** A line-comment marker. */
export type LineCommentToken = '//' | '#';

/** How a file type writes comments. */
export interface CommentSyntax {
  /** Line-comment markers; the first is the one a quick fix writes. */
  readonly line: readonly LineCommentToken[];
  /** Block-comment delimiters, when the format has them. */
  readonly block?: readonly [open: string, close: string];
}

/** One file type: the file names that select it and the comments it allows. */
export interface FileType {
  /**
   * Patterns for the file's base name, in lower case (matching ignores case). `*` stands for any run of characters,
   * including none, so `*.env` also matches `.env`.
   */
  readonly names: readonly string[];
  /** When set, the type applies only to files below a folder with one of these names. */
  readonly under?: readonly string[];
  /**
   * The comments its readers accept, or undefined when a comment would break the file or mean nothing there
   * (strict JSON, XML, plain text). A quick fix never writes a directive into such a file.
   */
  readonly comments?: CommentSyntax;
}

/** Everything the server knows about the files of one kind. */
export interface KindEntry {
  /** The kind. */
  readonly kind: FileKind;
  /** Its file types; the first that matches a path decides its comment syntax. */
  readonly types: readonly FileType[];
  /**
   * Globs the client's document selector lists for files of this kind that VS Code gives no scanned language id
   * (they are spelt as the files usually are, because VS Code may match them case-sensitively).
   */
  readonly selectorGlobs: readonly string[];
}

/** A VS Code language id whose documents the server scans. */
export interface EditorLanguage {
  /** The VS Code language id. */
  readonly id: string;
  /** The kind a document of this language is scanned as when its path does not decide (untitled documents). */
  readonly kind: FileKind;
  /** Whether opening a document of this language activates the extension (`onLanguage:`). */
  readonly activates: boolean;
}

const C_LIKE: CommentSyntax = { line: ['//'], block: ['/*', '*/'] };
const HASH: CommentSyntax = { line: ['#'] };
// VS Code, TypeScript and dev containers read these files as JSON with comments, so a directive comment is safe in
// them. Most other JSON readers (Claude Desktop, Cursor, JSON.parse) reject comments: those files get none.
const JSONC: CommentSyntax = C_LIKE;

/** File names (lower case) that MCP clients read as their server config. */
const MCP_CONFIG_NAMES = [
  '.mcp.json',
  'mcp.json',
  'claude_desktop_config.json',
  'mcp_config.json',
  'mcp_settings.json',
  'cline_mcp_settings.json',
  'mcp-servers.json',
  'mcp_servers.json',
];

/**
 * Base names (lower case) of private key files: OpenSSH's default identity files, PEM files, `.key` files, PuTTY keys
 * and PKCS#12 key stores. A key file committed to a repository is a finding by its name alone, so these are read
 * even though most are not source; the binary ones (PKCS#12, DER) are reported by name without being parsed.
 */
export const KEY_FILE_NAMES: readonly string[] = [
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  '*.pem',
  '*.key',
  '*.ppk',
  '*.p12',
  '*.pfx',
];

/**
 * Every scanned kind, in classification order: a path takes the kind of the first entry with a matching type, so
 * the order decides overlaps (`.env.yaml` is dotenv, `dockerfile.yaml` is YAML, `settings.json` is VS Code settings).
 */
export const FILE_KINDS: readonly KindEntry[] = [
  {
    kind: 'js',
    types: [{ names: ['*.ts', '*.tsx', '*.mts', '*.cts', '*.js', '*.jsx', '*.mjs', '*.cjs'], comments: C_LIKE }],
    selectorGlobs: [],
  },
  { kind: 'python', types: [{ names: ['*.py', '*.pyi'], comments: HASH }], selectorGlobs: [] },
  {
    kind: 'mcp-config',
    types: [{ names: MCP_CONFIG_NAMES, under: ['.vscode'], comments: JSONC }, { names: MCP_CONFIG_NAMES }],
    selectorGlobs: [],
  },
  {
    kind: 'vscode-settings',
    types: [{ names: ['settings.json', '*.code-workspace'], comments: JSONC }],
    selectorGlobs: [],
  },
  {
    kind: 'json',
    types: [
      { names: ['*.jsonc'], comments: JSONC },
      { names: ['*.json', '*.json5'], under: ['.vscode'], comments: JSONC },
      {
        names: [
          'tsconfig.json',
          'tsconfig.*.json',
          'jsconfig.json',
          'jsconfig.*.json',
          'devcontainer.json',
          '.devcontainer.json',
        ],
        comments: JSONC,
      },
      { names: ['*.json', '*.json5'] },
    ],
    selectorGlobs: [],
  },
  {
    kind: 'dotenv',
    types: [{ names: ['.env', '.env.*', '*.env'], comments: HASH }],
    selectorGlobs: ['.env', '.env.*', '*.env'],
  },
  { kind: 'yaml', types: [{ names: ['*.yaml', '*.yml'], comments: HASH }], selectorGlobs: [] },
  {
    kind: 'dockerfile',
    types: [{ names: ['dockerfile', 'dockerfile.*', '*.dockerfile', 'containerfile'], comments: HASH }],
    selectorGlobs: ['Dockerfile', 'Dockerfile.*', '*.dockerfile', 'Containerfile'],
  },
  {
    kind: 'text',
    types: [
      { names: ['*.go', '*.java', '*.kt', '*.cs', '*.rs', '*.gradle'], comments: C_LIKE },
      { names: ['*.php'], comments: { line: ['//', '#'], block: ['/*', '*/'] } },
      { names: ['*.tf', '*.tfvars'], comments: { line: ['#', '//'], block: ['/*', '*/'] } },
      {
        names: [
          '*.toml',
          '*.ini',
          '*.cfg',
          '*.conf',
          '*.properties',
          '*.sh',
          '*.bash',
          '*.zsh',
          '*.ps1',
          '*.rb',
          '*.npmrc',
          '*.pypirc',
          '.netrc',
        ],
        comments: HASH,
      },
      // Scanned for secrets only; `.dockercfg` is JSON that its readers parse strictly.
      { names: ['*.xml', '*.txt', '.dockercfg'] },
      // An AWS shared credentials file is INI without an extension.
      { names: ['credentials'], under: ['.aws'], comments: HASH },
      { names: KEY_FILE_NAMES },
      // Markdown and HTML are read only where a server keeps the documents it serves to the model (prompt
      // templates, resource documents, canned responses, seed data): the prompt-injection rules check them there.
      // Elsewhere they are documentation, which describes attacks rather than performing them.
      {
        names: ['*.md', '*.markdown', '*.html', '*.htm'],
        under: ['data', 'prompts', 'prompt', 'resources', 'templates', 'seed', 'seeds', 'responses'],
      },
    ],
    selectorGlobs: ['*.toml', '*.ini', '*.cfg', '*.conf', '*.properties', '*.sh', '.npmrc', '.pypirc'],
  },
];

/** File names (lower case) that match a type above but are never scanned: generated lock files. */
export const UNSCANNED_NAMES: readonly string[] = ['package-lock.json', 'npm-shrinkwrap.json'];

/**
 * The VS Code languages the server scans, in the order the client lists them. The React variants scan but do not
 * activate the extension, as the manifest has always declared.
 */
export const EDITOR_LANGUAGES: readonly EditorLanguage[] = [
  { id: 'typescript', kind: 'js', activates: true },
  { id: 'typescriptreact', kind: 'js', activates: false },
  { id: 'javascript', kind: 'js', activates: true },
  { id: 'javascriptreact', kind: 'js', activates: false },
  { id: 'python', kind: 'python', activates: true },
  { id: 'json', kind: 'json', activates: true },
  { id: 'jsonc', kind: 'json', activates: true },
  { id: 'yaml', kind: 'yaml', activates: false },
  { id: 'dockerfile', kind: 'dockerfile', activates: false },
  { id: 'dotenv', kind: 'dotenv', activates: false },
];

/** The language ids whose documents the client sends to the server. */
export const SCANNED_LANGUAGE_IDS: readonly string[] = EDITOR_LANGUAGES.map((l) => l.id);

/** The language ids that activate the extension (`onLanguage:` events). */
export const ACTIVATION_LANGUAGE_IDS: readonly string[] = EDITOR_LANGUAGES.filter((l) => l.activates).map((l) => l.id);

/** The document-selector glob for files VS Code gives no scanned language id, every kind's globs in one pattern. */
export const SELECTOR_GLOB = `**/{${FILE_KINDS.flatMap((k) => k.selectorGlobs).join(',')}}`;

/**
 * The kind a document is scanned as from its VS Code language id alone (for untitled documents and names the path
 * table does not know), or undefined for languages the server does not scan.
 */
export function kindOfLanguageId(languageId: string | undefined): FileKind | undefined {
  return EDITOR_LANGUAGES.find((l) => l.id === languageId)?.kind;
}
