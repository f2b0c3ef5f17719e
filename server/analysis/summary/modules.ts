/**
 * The module-level half of a summary: imports, exports, dispatch maps and instances, read from the top-level
 * statements of a JS/TS or Python file (ES modules, CommonJS as compilers and bundlers write it, Python imports).
 */
import { calleeOf, positionalArgs, stripAwaitAndCasts, stripQuotes } from '../ast';
import type { TSNode } from '../parse';
import type { ExportBinding, ImportBinding, ModuleSummary } from './types';

type ModuleParts = Pick<ModuleSummary, 'imports' | 'exports' | 'maps' | 'instances'>;

/** The imports, exports, dispatch maps and instances of a file, from its top-level statements. */
export function moduleParts(root: TSNode, lang: 'js' | 'python'): ModuleParts {
  const out: ModuleParts = { imports: [], exports: [], maps: [], instances: [] };
  for (const stmt of root.namedChildren) if (stmt) (lang === 'js' ? jsStatement : pyStatement)(stmt, out);
  return out;
}

/** The module a `require("x")` call (possibly wrapped: `__importDefault(require("x"))`) loads. */
function requireOf(n: TSNode | null | undefined): string | undefined {
  if (!n) return undefined;
  const v = stripAwaitAndCasts(n);
  if (v.type !== 'call_expression') return undefined;
  const callee = calleeOf(v)?.text;
  const first = positionalArgs(v)[0];
  if (callee === 'require') return first?.type === 'string' ? stripQuotes(first.text) : undefined;
  // TypeScript's and Babel's interop helpers wrap the require: the module is still the one required.
  if (callee && /^(?:\w+\.)?__import(?:Default|Star)$|^_interopRequire\w*$/.test(callee)) return requireOf(first);
  return undefined;
}

function jsStatement(stmt: TSNode, out: ModuleParts): void {
  switch (stmt.type) {
    case 'import_statement':
      return jsImport(stmt, out.imports);
    case 'export_statement':
      return jsExport(stmt, out);
    case 'lexical_declaration':
    case 'variable_declaration':
      for (const d of stmt.namedChildren) if (d?.type === 'variable_declarator') jsDeclarator(d, out);
      return;
    case 'expression_statement': {
      const e = stmt.namedChildren[0];
      if (e?.type === 'assignment_expression') return cjsExport(e, out);
      // `__exportStar(require("./x"), exports)`: TypeScript's CommonJS form of `export * from "./x"`.
      if (e?.type === 'call_expression' && /__exportStar$/.test(calleeOf(e)?.text ?? '')) {
        const from = requireOf(positionalArgs(e)[0]);
        if (from) out.exports.push({ name: '*', from });
      }
      return;
    }
    default:
      return;
  }
}

function jsImport(stmt: TSNode, imports: ImportBinding[]): void {
  const src = stmt.childForFieldName('source');
  if (!src) return;
  const from = stripQuotes(src.text);
  const clause = stmt.namedChildren.find((c) => c?.type === 'import_clause');
  for (const c of clause?.namedChildren ?? []) {
    if (!c) continue;
    if (c.type === 'identifier') imports.push({ local: c.text, from, name: 'default' });
    else if (c.type === 'namespace_import') {
      const id = c.namedChildren.find((x) => x?.type === 'identifier');
      if (id) imports.push({ local: id.text, from, name: '*' });
    } else if (c.type === 'named_imports') {
      for (const s of c.namedChildren) {
        if (s?.type !== 'import_specifier') continue;
        const name = s.childForFieldName('name')?.text;
        const alias = s.childForFieldName('alias')?.text;
        if (name) imports.push({ local: alias ?? name, from, name: stripQuotes(name) });
      }
    }
  }
}

function jsExport(stmt: TSNode, out: ModuleParts): void {
  const src = stmt.childForFieldName('source');
  const from = src ? stripQuotes(src.text) : undefined;
  const decl = stmt.childForFieldName('declaration');
  const isDefault = stmt.children.some((c) => c?.type === 'default');
  if (decl) {
    if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
      for (const d of decl.namedChildren) {
        if (d?.type !== 'variable_declarator') continue;
        jsDeclarator(d, out);
        const name = d.childForFieldName('name');
        if (name?.type === 'identifier') out.exports.push({ name: name.text, local: name.text });
      }
      return;
    }
    const name = decl.childForFieldName('name')?.text;
    if (name) out.exports.push({ name: isDefault ? 'default' : name, local: name });
    return;
  }
  const value = stmt.childForFieldName('value');
  if (isDefault && value?.type === 'identifier') {
    out.exports.push({ name: 'default', local: value.text });
    return;
  }
  const clause = stmt.namedChildren.find((c) => c?.type === 'export_clause');
  if (clause) {
    for (const s of clause.namedChildren) {
      if (s?.type !== 'export_specifier') continue;
      const name = s.childForFieldName('name')?.text;
      const alias = s.childForFieldName('alias')?.text;
      if (!name) continue;
      const e: ExportBinding = from
        ? { name: alias ?? name, from, imported: name }
        : { name: alias ?? name, local: name };
      out.exports.push(e);
    }
    return;
  }
  if (from) {
    // `export * from "./x"` or `export * as ns from "./x"`.
    const ns = stmt.namedChildren.find((c) => c?.type === 'namespace_export');
    const id = ns?.namedChildren.find((c) => c?.type === 'identifier');
    out.exports.push(id ? { name: id.text, from, imported: '*' } : { name: '*', from });
  }
}

function jsDeclarator(d: TSNode, out: ModuleParts): void {
  const name = d.childForFieldName('name');
  const value = d.childForFieldName('value');
  if (!name || !value) return;
  const req = requireOf(value);
  const v = stripAwaitAndCasts(value);
  if (name.type === 'identifier') {
    if (req) out.imports.push({ local: name.text, from: req, name: '*' });
    else if (v.type === 'member_expression' && requireOf(v.childForFieldName('object'))) {
      // `const readQuery = require("./q").readQuery`
      const prop = v.childForFieldName('property')?.text;
      if (prop) out.imports.push({ local: name.text, from: requireOf(v.childForFieldName('object'))!, name: prop });
    } else if (v.type === 'object') out.maps.push({ name: name.text, entries: objectEntries(v) });
    else if (v.type === 'new_expression') {
      const cls = v.childForFieldName('constructor');
      if (cls?.type === 'identifier') out.instances.push({ name: name.text, cls: cls.text });
    }
    return;
  }
  if (name.type === 'object_pattern' && req) {
    for (const c of name.namedChildren) {
      if (c?.type === 'shorthand_property_identifier_pattern')
        out.imports.push({ local: c.text, from: req, name: c.text });
      else if (c?.type === 'pair_pattern') {
        const k = c.childForFieldName('key')?.text;
        const val = c.childForFieldName('value');
        if (k && val?.type === 'identifier') out.imports.push({ local: val.text, from: req, name: stripQuotes(k) });
      }
    }
  }
}

/** The `key: functionName` pairs of an object literal (shorthand `{ readQuery }` included). */
function objectEntries(obj: TSNode): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const c of obj.namedChildren) {
    if (c?.type === 'shorthand_property_identifier') out.push({ key: c.text, value: c.text });
    else if (c?.type === 'pair') {
      const k = c.childForFieldName('key');
      const v = c.childForFieldName('value');
      if (k && v && (v.type === 'identifier' || v.type === 'member_expression'))
        out.push({ key: stripQuotes(k.text), value: v.text });
    }
  }
  return out;
}

/** `exports.x = y`, `module.exports.x = y`, `module.exports = { a, b: c }` / `= fn`. */
function cjsExport(e: TSNode, out: ModuleParts): void {
  const left = e.childForFieldName('left')?.text ?? '';
  const right = e.childForFieldName('right');
  if (!right) return;
  const m = /^(?:module\.)?exports\.(\w+)$/.exec(left);
  if (m && left !== 'module.exports') {
    if (right.type === 'identifier') out.exports.push({ name: m[1]!, local: right.text });
    // A function assigned in place is summarised under its export name (see extract.ts).
    else if (/function|arrow_function/.test(right.type)) out.exports.push({ name: m[1]!, local: m[1]! });
    return;
  }
  if (left !== 'module.exports') return;
  if (right.type === 'identifier') out.exports.push({ name: 'default', local: right.text });
  else if (right.type === 'object')
    for (const x of objectEntries(right)) out.exports.push({ name: x.key, local: x.value });
  else {
    const req = requireOf(right);
    if (req) out.exports.push({ name: '*', from: req });
  }
}

function pyStatement(stmt: TSNode, out: ModuleParts): void {
  if (stmt.type === 'import_statement') {
    for (const c of stmt.namedChildren) {
      if (c?.type === 'aliased_import') {
        const mod = c.childForFieldName('name')?.text;
        const alias = c.childForFieldName('alias')?.text;
        if (mod && alias) out.imports.push({ local: alias, from: mod, name: '*' });
      } else if (c?.type === 'dotted_name') out.imports.push({ local: c.text, from: c.text, name: '*' });
    }
    return;
  }
  if (stmt.type === 'import_from_statement') {
    const mod = stmt.childForFieldName('module_name')?.text;
    if (!mod) return;
    for (const c of stmt.childrenForFieldName('name')) {
      if (!c) continue;
      if (c.type === 'aliased_import') {
        const name = c.childForFieldName('name')?.text;
        const alias = c.childForFieldName('alias')?.text;
        if (name && alias) out.imports.push({ local: alias, from: mod, name });
      } else out.imports.push({ local: c.text, from: mod, name: c.text });
    }
    return;
  }
  if (stmt.type === 'expression_statement') {
    const a = stmt.namedChildren[0];
    if (a?.type !== 'assignment') return;
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) return;
    if (right.type === 'dictionary') {
      const entries: { key: string; value: string }[] = [];
      for (const p of right.namedChildren) {
        const k = p?.type === 'pair' ? p.childForFieldName('key') : null;
        const v = p?.type === 'pair' ? p.childForFieldName('value') : null;
        if (k?.type === 'string' && v && (v.type === 'identifier' || v.type === 'attribute'))
          entries.push({ key: stripQuotes(k.text.replace(/^[a-zA-Z]+/, '')), value: v.text });
      }
      out.maps.push({ name: left.text, entries });
    } else if (right.type === 'call') {
      const f = right.childForFieldName('function');
      if (f?.type === 'identifier' && /^[A-Z]/.test(f.text)) out.instances.push({ name: left.text, cls: f.text });
    }
  }
}
