import { kids } from '../../ast';
import type { NodeIndex, TSNode } from '../../parse';
import type { McpParam, MetaString } from '../types';
import { docstring, keywords, type PyScope, schemaTexts, str } from './eval';

/**
 * The tool input of a Python handler, read from its signature the way FastMCP builds the input schema: every
 * parameter but `self`, `cls` and the injected context is an argument; `Annotated[str, Field(description=…)]`,
 * `x: str = Field(description=…)` and pydantic models (`def create(user: User)` with `class User(BaseModel)`) give
 * the descriptions the model reads.
 */

/** A parameter list: the declared parameters and the name nodes that receive client input. */
export interface Signature {
  /** The parameters as the input schema declares them (a pydantic model's fields as `model.field`). */
  params: McpParam[];
  /** The parameter name nodes, for the taint analysis (one per argument, fields not split). */
  nodes: TSNode[];
}

/** Pydantic models of a file by class name: their docstring and fields, built on first use. */
export class PyModels {
  private models?: Map<string, TSNode>;

  constructor(private readonly index: NodeIndex) {}

  /** The class body of a `class Name(BaseModel)` of this file (a subclass of another model of the file counts). */
  body(name: string): TSNode | undefined {
    if (!this.models) {
      const all = new Map<string, TSNode>();
      const bases = new Map<string, string[]>();
      for (const c of this.index.of('class_definition')) {
        const n = c.childForFieldName('name')?.text;
        if (!n || all.has(n)) continue;
        all.set(n, c);
        bases.set(
          n,
          kids(c.childForFieldName('superclasses')).map((b) => b.text),
        );
      }
      const isModel = (n: string, depth = 0): boolean =>
        depth < 5 &&
        (bases.get(n) ?? []).some((b) => /(?:^|\.)(?:BaseModel|TypedDict)$/.test(b) || isModel(b, depth + 1));
      this.models = new Map([...all].filter(([n]) => isModel(n)));
    }
    return this.models.get(name);
  }
}

/** The name node of a parameter node (plain, typed, with a default). */
function paramName(p: TSNode): TSNode | undefined {
  if (p.type === 'identifier') return p;
  if (p.type === 'typed_parameter') return kids(p).find((c) => c.type === 'identifier');
  if (p.type === 'default_parameter' || p.type === 'typed_default_parameter')
    return p.childForFieldName('name') ?? undefined;
  return undefined;
}

/** The description of the first `Field(description=…)` under a node (an annotation or a default value). */
function fieldDescription(n: TSNode, scope: PyScope): McpParam['description'] {
  for (const call of n.descendantsOfType('call')) {
    if (!call || !/(?:^|\.)Field$/.test(call.childForFieldName('function')?.text ?? '')) continue;
    const d = str(keywords(call).get('description'), scope);
    if (d) return d;
  }
  return undefined;
}

/**
 * The other model-visible strings of a parameter or model field: the values of a `Literal[...]` annotation, a string
 * default, and the title, default and examples of a `Field(...)`.
 */
function paramTexts(p: TSNode, scope: PyScope): MetaString[] {
  const out: MetaString[] = [];
  // An annotation parses as a `generic_type` (`Literal["a"]` in a signature) or a `subscript` (in an expression).
  for (const lit of p.descendantsOfType(['subscript', 'generic_type'])) {
    if (!lit || !/^(?:\w+\.)?Literal\s*\[/.test(lit.text)) continue;
    for (const el of lit.descendantsOfType('string')) {
      const s = el ? str(el, scope) : undefined;
      if (s) out.push(s);
    }
  }
  const dflt = p.childForFieldName('value') ?? p.childForFieldName('right');
  const d = dflt?.type === 'string' ? str(dflt, scope) : undefined;
  if (d) out.push(d);
  for (const call of p.descendantsOfType('call'))
    if (call && /(?:^|\.)Field$/.test(call.childForFieldName('function')?.text ?? ''))
      out.push(...schemaTexts(call, scope));
  return out;
}

/**
 * The fields of a pydantic model as parameters (`prefix.field` when the model is one parameter of a handler), with
 * their `Field(description=…)`.
 */
export function modelFields(cls: TSNode, prefix: string | undefined, scope: PyScope): McpParam[] {
  const out: McpParam[] = [];
  for (const st of kids(cls.childForFieldName('body'))) {
    const a = st.type === 'expression_statement' ? kids(st)[0] : undefined;
    const left = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
    if (!a || left?.type !== 'identifier' || !a.childForFieldName('type')) continue;
    const p: McpParam = {
      name: prefix ? `${prefix}.${left.text}` : left.text,
      nameSpan: { start: left.startIndex, end: left.endIndex },
    };
    const d = fieldDescription(a, scope);
    if (d) p.description = d;
    const texts = paramTexts(a, scope);
    if (texts.length) p.texts = texts;
    out.push(p);
  }
  return out;
}

// Capitalised names of an annotation that are never a model of the file.
const TYPING = new Set(['Annotated', 'Optional', 'Union', 'List', 'Dict', 'Literal', 'Any', 'Field', 'Context']);

/**
 * The class names an annotation mentions (`User`, `Optional[User]`, `Annotated[User, …]`, `list[User]`). Only
 * capitalised names that are not typing constructs: looking a model up reads every class of the file once.
 */
function typeNames(type: string): string[] {
  return (type.match(/[A-Z]\w*/g) ?? []).filter((t) => !TYPING.has(t));
}

/**
 * The tool input of a handler's signature. `only`, when given, keeps the parameters with those names (a resource
 * template passes only the parameters its URI names).
 */
export function signature(fn: TSNode, scope: PyScope, models?: PyModels, only?: ReadonlySet<string>): Signature {
  const params: McpParam[] = [];
  const nodes: TSNode[] = [];
  for (const p of kids(fn.childForFieldName('parameters'))) {
    const nameNode = paramName(p);
    if (!nameNode) continue;
    const type = p.childForFieldName('type')?.text ?? '';
    if (nameNode.text === 'self' || nameNode.text === 'cls') continue;
    // FastMCP injects the request context; it is not a tool argument.
    if (/(?:^|\.|\[)(?:Context|RequestContext)\b/.test(type)) continue;
    if (only && !only.has(nameNode.text)) continue;
    const param: McpParam = { name: nameNode.text, nameSpan: { start: nameNode.startIndex, end: nameNode.endIndex } };
    const d = fieldDescription(p, scope);
    if (d) param.description = d;
    const texts = paramTexts(p, scope);
    if (texts.length) param.texts = texts;
    const model = models
      ? typeNames(type)
          .map((t) => models.body(t))
          .find((c) => c)
      : undefined;
    if (model && !param.description) {
      const doc = docstring(model, scope);
      if (doc) param.description = doc;
    }
    params.push(param);
    if (model) for (const x of modelFields(model, nameNode.text, scope)) params.push(x);
    nodes.push(nameNode);
  }
  return { params, nodes };
}

/**
 * The parameter names a resource URI template binds: `{city}`, `{path*}` (FastMCP wildcards) and `{?page,limit}`
 * (query parameters). Empty for a static URI, whose handler takes no client input.
 */
export function templateParams(uri: string): Set<string> {
  const out = new Set<string>();
  for (const m of uri.matchAll(/\{[?&]?([^{}]*)\}/g))
    for (const part of m[1]!.split(',')) {
      const name = part.trim().replace(/\*$/, '');
      if (/^[A-Za-z_]\w*$/.test(name)) out.add(name);
    }
  return out;
}
