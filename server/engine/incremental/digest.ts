/**
 * The digest of a tool's registration unit (toolEdit.ts): what the rules that combine tools (the lethal trifecta,
 * shadowing, rug pulls, drift, suspicious names) can read of one tool. Two versions of a registration with the same
 * digest leave those rules' findings where they were, moved past the edit.
 */
import type { TSNode } from '../../analysis/parse';
import type { FileKind } from '../../../shared/types';

const FUNCTIONS = new Set([
  'arrow_function',
  'function_expression',
  'function',
  'function_declaration',
  'generator_function',
  'generator_function_declaration',
  'method_definition',
  'function_definition',
  'lambda',
]);
const CALLS = new Set(['call_expression', 'new_expression', 'call']);
const ASSIGNMENTS = new Set([
  'assignment_expression',
  'augmented_assignment_expression',
  'update_expression',
  'assignment',
  'augmented_assignment',
]);
const CONTROL = new Set([
  'if_statement',
  'else_clause',
  'elif_clause',
  'switch_statement',
  'switch_case',
  'switch_default',
  'for_statement',
  'for_in_statement',
  'while_statement',
  'do_statement',
  'try_statement',
  'catch_clause',
  'finally_clause',
  'except_clause',
  'with_statement',
  'match_statement',
  'case_clause',
  'ternary_expression',
  'conditional_expression',
  'return_statement',
  'throw_statement',
  'raise_statement',
  'global_statement',
  'nonlocal_statement',
  'await_expression',
  'yield_expression',
  'yield',
]);
// Where a function binds names of its own: parameters, declarations, Python assignment targets and loop variables.
const BINDERS = new Set(['formal_parameters', 'parameters', 'lambda_parameters']);

/**
 * The digest of a registration unit: what the rules that combine tools can read of it. Its text outside function
 * bodies (name, description, schema, decorator), and inside them, in order: every call (its callee and its arguments
 * that are not functions), every assignment's target, every name the unit reads but does not bind, every
 * control-flow statement (entered and left) and a Python docstring. An edit that changes none of these (a local
 * constant, a log line's text, a comment) leaves the digest as it was.
 */
export function digestOf(unit: TSNode, kind: FileKind): string {
  const bodies: TSNode[] = [];
  const findBodies = (n: TSNode): void => {
    if (FUNCTIONS.has(n.type)) {
      const body = n.childForFieldName('body');
      if (body) {
        bodies.push(body);
        return;
      }
    }
    for (const c of n.children) if (c) findBodies(c);
  };
  findBodies(unit);
  let outside = '';
  let at = unit.startIndex;
  for (const b of bodies) {
    outside += unit.text.slice(at - unit.startIndex, b.startIndex - unit.startIndex) + '{…}';
    at = b.endIndex;
  }
  outside += unit.text.slice(at - unit.startIndex);
  const bound = new Set<string>();
  // How often each name occurs in the unit: a literal bound to a name read nowhere else is not part of the digest.
  const uses = new Map<string, number>();
  const collectBound = (n: TSNode): void => {
    if (n.type === 'identifier' || n.type === 'shorthand_property_identifier_pattern') bound.add(n.text);
    for (const c of n.namedChildren) if (c) collectBound(c);
  };
  const walkBound = (n: TSNode): void => {
    if (n.type === 'identifier') uses.set(n.text, (uses.get(n.text) ?? 0) + 1);
    if (BINDERS.has(n.type)) collectBound(n);
    else if (n.type === 'variable_declarator') {
      const name = n.childForFieldName('name');
      if (name) collectBound(name);
    } else if (kind === 'python' && (n.type === 'assignment' || n.type === 'for_statement')) {
      const left = n.childForFieldName('left');
      if (left) collectBound(left);
    } else if (n.type === 'for_in_statement') {
      const left = n.childForFieldName('left');
      if (left) collectBound(left);
    }
    for (const c of n.namedChildren) if (c) walkBound(c);
  };
  walkBound(unit);
  // A name declared `global` or `nonlocal` is the module's (or the enclosing function's), whatever assigns it.
  for (const g of unit.descendantsOfType(['global_statement', 'nonlocal_statement']))
    for (const n of g?.namedChildren ?? []) if (n) bound.delete(n.text);
  const parts: string[] = [outside];
  const walk = (n: TSNode): void => {
    const type = n.type;
    if (CALLS.has(type)) {
      const args = n.childForFieldName('arguments');
      const callee = n.childForFieldName('function') ?? n.childForFieldName('constructor');
      const plain = args ? args.namedChildren.map((a) => (a && FUNCTIONS.has(a.type) ? '{…}' : (a?.text ?? ''))) : [];
      parts.push(`call ${callee?.text ?? ''}(${plain.join(', ')})`);
    } else if (ASSIGNMENTS.has(type) || type === 'variable_declarator') {
      // What a local name holds decides the flows inside the tool (a URL the caller chooses, or a fixed one), which
      // the capabilities the combining rules read depend on; an assignment to anything else (module state, a
      // property) is something they read directly. Only a local name read nowhere else is left out (the constant
      // typed into a handler): it carries nothing anywhere, and any call or name in its value has its own entry.
      const target =
        n.childForFieldName('left') ??
        n.childForFieldName('name') ??
        n.childForFieldName('argument') ??
        n.namedChildren[0];
      const local = target?.type === 'identifier' && bound.has(target.text);
      const unread = local && (uses.get(target.text) ?? 0) <= 1;
      if (!local) parts.push(`set ${target?.text ?? ''}`);
      else if (!unread) parts.push(`bind ${n.text}`);
    } else if (type === 'identifier' && !bound.has(n.text)) parts.push(`read ${n.text}`);
    const control = CONTROL.has(type);
    if (control) parts.push(`(${type}`);
    for (const c of n.namedChildren) if (c) walk(c);
    if (control) parts.push(')');
  };
  for (const b of bodies) {
    if (kind === 'python') {
      const first = b.namedChildren[0];
      if (first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string')
        parts.push(`doc ${first.text}`);
    }
    walk(b);
  }
  return parts.join('\n');
}
