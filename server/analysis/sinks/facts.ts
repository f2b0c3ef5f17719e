import type { DetectContext } from '../../core/rule';
import { nodeIndexOf, treeOf, type NodeIndex, type TSNode } from '../parse';
import { calleeOf, langOfRoot, positionalArgs, stripQuotes, stripAwaitAndCasts, type Lang } from '../ast';

/**
 * Facts about the code of one JS/TS or Python document, gathered in a single tree walk and shared by every injection
 * rule and the taint analysis: which local names stand for which modules (imports, requires, client objects), which
 * names are constants, and the nodes the sink finders look at. (The workspace index's `FileFacts` is another thing:
 * the MCP tools and servers a file declares.)
 */
export interface CodeFacts {
  /** Language family of the document. */
  lang: Lang;
  /** The root node of the parse tree. */
  root: TSNode;
  /**
   * Local name → canonical dotted name: `cp` → `child_process`, `exec` → `child_process.exec`,
   * `client` → `httpx.AsyncClient()` (a name bound to the result of a call gets the call's path plus `()`).
   */
  aliases: Map<string, string>;
  /** Names bound exactly once in the document, with their value expression (used for constant folding). */
  single: Map<string, TSNode>;
  /** Every call (`call_expression`, Python `call`) and `new` expression, in document order. */
  calls: TSNode[];
  /** Every string-ish leaf that can hold a URL (JS `string`/`template_string`, Python `string`); read on first use. */
  readonly strings: TSNode[];
  /** JS `key: value` pairs, for configuration rules (TLS); read on first use. */
  readonly pairs: TSNode[];
  /** Assignments (JS `assignment_expression`, Python `assignment`). */
  assignments: TSNode[];
  /**
   * Every binding of a plain name, by name: JS declarators and assignments, Python assignments, in document
   * order. Each entry is the binding node; its value is `valueOfBinding(node)`.
   */
  bindings: Map<string, TSNode[]>;
}

/** The value expression of a binding node (declarator or assignment). */
export function valueOfBinding(b: TSNode): TSNode | null {
  return b.childForFieldName('value') ?? b.childForFieldName('right');
}

/** Canonical module name: strips `node:`, and spells sub-modules with dots (`fs/promises` → `fs.promises`). */
export function canonicalModule(spec: string): string {
  return stripQuotes(spec)
    .replace(/^node:/, '')
    .replace(/\//g, '.');
}

/** The code facts of the document in `ctx`, computed once per document. Undefined for non-source files. */
export function codeFactsOf(ctx: DetectContext): CodeFacts | undefined {
  const tree = treeOf(ctx);
  if (!tree) return undefined;
  return ctx.memo('injection:facts', () => collect(tree.rootNode, nodeIndexOf(ctx)!));
}

/** The node types `collect` reads; every other node is skipped without leaving WebAssembly. */
const COLLECTED = [
  'call_expression',
  'call',
  'new_expression',
  'import_statement',
  'import_from_statement',
  'variable_declarator',
  'assignment_expression',
  'assignment',
  'augmented_assignment',
  'augmented_assignment_expression',
  'with_item',
];

function collect(root: TSNode, index: NodeIndex): CodeFacts {
  const lang = langOfRoot(root);
  // Strings and pairs are numerous and only two keyword-gated rules read them: they are collected on first use.
  let strings: TSNode[] | undefined;
  let pairs: TSNode[] | undefined;
  const facts: CodeFacts = {
    lang,
    root,
    aliases: new Map(),
    single: new Map(),
    calls: [],
    assignments: [],
    bindings: new Map(),
    get strings() {
      return (strings ??= index.of(['string', 'template_string']));
    },
    get pairs() {
      return (pairs ??= index.of('pair'));
    },
  };
  const addBinding = (name: string, node: TSNode) => {
    const list = facts.bindings.get(name);
    if (list) list.push(node);
    else facts.bindings.set(name, [node]);
  };
  const counts = new Map<string, number>();
  const bind = (name: string, value: TSNode | null) => {
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (value) facts.single.set(name, value);
  };
  // Call-result aliases are recorded after imports so an import always wins over a same-named local.
  const callAliases: [string, TSNode][] = [];
  for (const n of index.of(COLLECTED)) {
    switch (n.type) {
      case 'call_expression':
      case 'call':
      case 'new_expression':
        facts.calls.push(n);
        break;
      case 'import_statement':
        if (lang === 'js') jsImport(n, facts.aliases);
        else pyImport(n, facts.aliases);
        break;
      case 'import_from_statement':
        pyFromImport(n, facts.aliases);
        break;
      case 'variable_declarator': {
        const name = n.childForFieldName('name');
        const value = n.childForFieldName('value');
        if (name?.type === 'identifier') {
          addBinding(name.text, n);
          bind(name.text, value);
          if (value) callAliases.push([name.text, value]);
        } else if (name?.type === 'object_pattern' && value) requireDestructure(name, value, facts.aliases);
        break;
      }
      case 'assignment_expression':
      case 'assignment': {
        facts.assignments.push(n);
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (left?.type === 'identifier') {
          addBinding(left.text, n);
          bind(left.text, right);
          if (right) callAliases.push([left.text, right]);
        }
        break;
      }
      case 'augmented_assignment':
      case 'augmented_assignment_expression': {
        const left = n.childForFieldName('left');
        if (left?.type === 'identifier') bind(left.text, null);
        break;
      }
      case 'with_item': {
        // `with httpx.Client() as client:` binds `client` to the client object.
        const value = n.childForFieldName('value');
        if (value?.type === 'as_pattern') {
          const target = value.childForFieldName('alias')?.namedChildren[0] ?? value.namedChildren[1];
          const src = value.namedChildren[0];
          if (target?.type === 'identifier' && src) callAliases.push([target.text, src]);
        }
        break;
      }
      default:
        break;
    }
  }
  for (const [name, n] of counts) if (n !== 1) facts.single.delete(name);
  for (const [name, value] of callAliases) {
    if (facts.aliases.has(name)) continue;
    const target = aliasTarget(value, facts.aliases);
    if (target) facts.aliases.set(name, target);
  }
  return facts;
}

/**
 * What a bound value stands for: a `require('m')` (optionally `.member`), `promisify(f)` of a known function, or
 * the result of calling a known path (`httpx.Client()`, `sqlite3.connect()`, `axios.create()`).
 */
function aliasTarget(value: TSNode, aliases: Map<string, string>): string | undefined {
  const v = stripAwaitAndCasts(value);
  const req = requiredModule(v);
  if (req) return req;
  if (v.type === 'member_expression') {
    const obj = v.childForFieldName('object');
    const m = obj && requiredModule(stripAwaitAndCasts(obj));
    if (m) return `${m}.${v.childForFieldName('property')?.text ?? ''}`;
    return undefined;
  }
  if (v.type !== 'call_expression' && v.type !== 'call' && v.type !== 'new_expression') return undefined;
  const callee = calleeOf(v);
  if (!callee) return undefined;
  const path = qualify(callee, aliases);
  if (!path) return undefined;
  if (path === 'promisify' || path === 'util.promisify') {
    const arg = positionalArgs(v)[0];
    return arg ? qualify(arg, aliases) : undefined;
  }
  return `${path}()`;
}

/** `require('m')` → the canonical module name. */
function requiredModule(n: TSNode): string | undefined {
  if (n.type !== 'call_expression') return undefined;
  if (calleeOf(n)?.text !== 'require') return undefined;
  const arg = positionalArgs(n)[0];
  return arg?.type === 'string' ? canonicalModule(arg.text) : undefined;
}

function requireDestructure(pattern: TSNode, value: TSNode, aliases: Map<string, string>): void {
  const v = stripAwaitAndCasts(value);
  let mod = requiredModule(v);
  if (!mod && v.type === 'member_expression') {
    const obj = v.childForFieldName('object');
    const m = obj && requiredModule(stripAwaitAndCasts(obj));
    if (m) mod = `${m}.${v.childForFieldName('property')?.text ?? ''}`;
  }
  if (!mod && (v.type === 'identifier' || v.type === 'member_expression')) {
    // `const { exec } = cp` where cp is itself an alias; resolved lazily below through qualify.
    const q = qualify(v, aliases);
    if (q && q !== v.text) mod = q;
  }
  if (!mod) return;
  for (const c of pattern.namedChildren) {
    if (c?.type === 'shorthand_property_identifier_pattern') aliases.set(c.text, `${mod}.${c.text}`);
    else if (c?.type === 'pair_pattern') {
      const k = c.childForFieldName('key');
      const val = c.childForFieldName('value');
      if (k && val?.type === 'identifier') aliases.set(val.text, `${mod}.${stripQuotes(k.text)}`);
    }
  }
}

function jsImport(n: TSNode, aliases: Map<string, string>): void {
  const source = n.childForFieldName('source');
  if (!source) return;
  const mod = canonicalModule(source.text);
  const clause = n.namedChildren.find((c) => c?.type === 'import_clause');
  if (!clause) return;
  for (const c of clause.namedChildren) {
    if (!c) continue;
    if (c.type === 'identifier') aliases.set(c.text, mod);
    else if (c.type === 'namespace_import') {
      const id = c.namedChildren.find((x) => x?.type === 'identifier');
      if (id) aliases.set(id.text, mod);
    } else if (c.type === 'named_imports') {
      for (const s of c.namedChildren) {
        if (s?.type !== 'import_specifier') continue;
        const name = s.childForFieldName('name');
        const alias = s.childForFieldName('alias') ?? name;
        if (name && alias) aliases.set(alias.text, name.text === 'default' ? mod : `${mod}.${name.text}`);
      }
    }
  }
}

function pyImport(n: TSNode, aliases: Map<string, string>): void {
  for (const c of n.namedChildren) {
    if (c?.type === 'aliased_import') {
      const name = c.childForFieldName('name');
      const alias = c.childForFieldName('alias');
      if (name && alias) aliases.set(alias.text, name.text);
    }
    // A plain `import os.path` binds `os` to itself: nothing to record.
  }
}

function pyFromImport(n: TSNode, aliases: Map<string, string>): void {
  const mod = n.childForFieldName('module_name');
  if (!mod || mod.type === 'relative_import') return;
  for (const c of n.childrenForFieldName('name')) {
    if (!c) continue;
    if (c.type === 'dotted_name') aliases.set(c.text, `${mod.text}.${c.text}`);
    else if (c.type === 'aliased_import') {
      const name = c.childForFieldName('name');
      const alias = c.childForFieldName('alias');
      if (name && alias) aliases.set(alias.text, `${mod.text}.${name.text}`);
    }
  }
}

const qualifiedCallees = new WeakMap<CodeFacts, Map<number, string>>();

/**
 * `qualify(callee, facts.aliases) ?? ''` for the callee of a call (`calleeOf(call)`), memoised per document and call:
 * the sink finders, the capability inventory and the taint analysis all qualify the callee of every call they look
 * at. Only for complete facts (what `codeFactsOf` returns): while the aliases are being collected, use `qualify`.
 */
export function qualifiedCallee(call: TSNode, callee: TSNode, facts: CodeFacts): string {
  let m = qualifiedCallees.get(facts);
  if (!m) {
    m = new Map();
    qualifiedCallees.set(facts, m);
  }
  let q = m.get(call.id);
  if (q === undefined) {
    q = qualify(callee, facts.aliases) ?? '';
    m.set(call.id, q);
  }
  return q;
}

/**
 * The canonical dotted path of an expression used as a callee or receiver: `cp.exec` → `child_process.exec`,
 * `require('fs').readFileSync` → `fs.readFileSync`, `httpx.AsyncClient().get` → itself. Undefined for
 * expressions that are not a chain of names.
 */
export function qualify(node: TSNode, aliases: Map<string, string>): string | undefined {
  // Walks down the chain with a loop, collecting the outer segments: a chain is as long as the source makes it
  // (`a.b.b.b…` ten thousand times), so recursing once per link could exhaust the stack.
  const suffixes: string[] = [];
  const done = (base: string) => base + suffixes.reverse().join('');
  for (let n = stripAwaitAndCasts(node); ;) {
    switch (n.type) {
      case 'identifier':
        return done(aliases.get(n.text) ?? n.text);
      case 'member_expression':
      case 'attribute': {
        const obj = n.childForFieldName('object');
        const prop = n.childForFieldName(n.type === 'attribute' ? 'attribute' : 'property');
        if (!obj || !prop) return undefined;
        suffixes.push(`.${prop.text}`);
        n = stripAwaitAndCasts(obj);
        break;
      }
      case 'call_expression':
      case 'call':
      case 'new_expression': {
        const mod = n.type === 'new_expression' ? undefined : requiredModule(n);
        if (mod) return done(mod);
        const callee = calleeOf(n);
        if (!callee) return undefined;
        suffixes.push('()');
        n = stripAwaitAndCasts(callee);
        break;
      }
      default:
        return undefined;
    }
  }
}
