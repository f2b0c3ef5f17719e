/**
 * What the taint propagation reads of an expression, whatever the sink family: the expression without its
 * wrappers, its type, and the children and names each kind of expression propagates through. The propagation is
 * asked about the same expressions once per sink family (six times in a module summary) and by several flows (a tool
 * handler's, its helpers', the summary's); reading a node's type, text or field is a call into WebAssembly, so the
 * shape is read once per node and kept per tree, like the callee and arguments of a call (ast.ts).
 */
import { stripAwaitAndCasts, stripQuotes } from '../ast';
import type { TSNode } from '../parse';
import { stringParts, type StringPart } from '../sinks/values';
import { normText } from './guards';
import { NUMERIC_MEMBERS } from './models';

/** The shape of one expression (see the module comment); which fields are set depends on `type`. */
export interface ExprShape {
  /** The expression with parentheses, type assertions and `await` stripped. */
  n: TSNode;
  /** Its node type. */
  type: string;
  /**
   * An identifier's name; the member read by a member access (`property`) or attribute; the string key of a
   * subscript (undefined when the key is not a string).
   */
  name?: string;
  /** A member access of a numeric member (`.length`), whose value carries no taint. */
  numeric?: boolean;
  /** The object of a member access or subscript, the operand of a spread, a ternary's consequence, a binary's left. */
  a?: TSNode | null;
  /** A ternary's alternative, a binary's right operand. */
  b?: TSNode | null;
  /** The named children of a list-like expression (arrays, tuples, `or`, Python conditionals). */
  list?: (TSNode | null)[];
  /** For other expressions: the parts of the string they build, if they build one. */
  parts?: StringPart[];
  /** The normalised text (guards clear expressions by it), read on first use. */
  norm?: string;
}

const shapes = new WeakMap<object, Map<number, ExprShape>>();

/** The shape of an expression, read once per node of a tree. */
export function exprShape(node: TSNode): ExprShape {
  let m = shapes.get(node.tree);
  if (!m) {
    m = new Map();
    shapes.set(node.tree, m);
  }
  let s = m.get(node.id);
  if (!s) {
    s = readShape(stripAwaitAndCasts(node));
    m.set(node.id, s);
  }
  return s;
}

/** The normalised text of a shape's expression. */
export function normOf(s: ExprShape): string {
  return (s.norm ??= normText(s.n.text));
}

function readShape(n: TSNode): ExprShape {
  const type = n.type;
  switch (type) {
    case 'identifier':
    case 'shorthand_property_identifier':
      return { n, type, name: n.text };
    case 'member_expression': {
      const name = n.childForFieldName('property')?.text;
      return { n, type, name, numeric: NUMERIC_MEMBERS.has(name ?? ''), a: n.childForFieldName('object') };
    }
    case 'attribute':
      return { n, type, name: n.childForFieldName('attribute')?.text, a: n.childForFieldName('object') };
    case 'subscript_expression':
    case 'subscript': {
      const a = n.childForFieldName(type === 'subscript' ? 'value' : 'object');
      const idx = n.childForFieldName(type === 'subscript' ? 'subscript' : 'index');
      const name = idx && idx.type === 'string' ? stripQuotes(idx.text.replace(/^[a-zA-Z]+/, '')) : undefined;
      return { n, type, name, a };
    }
    case 'spread_element':
    case 'list_splat':
      return { n, type, a: n.namedChildren[0] };
    case 'ternary_expression':
      return { n, type, a: n.childForFieldName('consequence'), b: n.childForFieldName('alternative') };
    case 'conditional_expression':
    case 'boolean_operator':
    case 'array':
    case 'list':
    case 'tuple':
    case 'expression_list':
      return { n, type, list: n.namedChildren };
    case 'call_expression':
    case 'call':
    case 'new_expression':
      return { n, type };
    default:
      break;
  }
  const parts = stringParts(n);
  if (parts) return { n, type, parts };
  if (type === 'binary_expression' || type === 'binary_operator')
    return { n, type, a: n.childForFieldName('left'), b: n.childForFieldName('right') };
  return { n, type };
}
