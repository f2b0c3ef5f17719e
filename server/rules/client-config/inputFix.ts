// The fix for a plaintext secret in a client config: point the value at something the client resolves at start-up
// instead. VS Code has `inputs` (a prompt whose answer it stores in the OS keychain), Cursor expands `${env:NAME}`
// and Claude Code expands `${NAME}`; other clients expand nothing, so they get no mechanical fix.
import type { DetectContext, RawFinding, Span } from '../../core/rule';
import {
  eolOf,
  indentUnit,
  jsonDoc,
  lineIndentAt,
  nodeAt,
  jsonProperties,
  propValue,
  type Node,
} from '../../analysis/json/jsonc';
import type { McpServerEntry } from '../../analysis/json/mcpConfig';

/** What the secret is, for naming the input and describing it. */
export interface SecretPlace {
  /** The environment variable that holds it, when it sits in `env` (or a `KEY=value` argument). */
  envName?: string;
  /** A short label for where it sits otherwise (a header or flag name), used to name the input. */
  label: string;
}

/** Builds the fix for a secret at `span` in server `e`, or undefined when the client cannot resolve a reference. */
export function secretFix(ctx: DetectContext, e: McpServerEntry, span: Span, place: SecretPlace): RawFinding['fix'] {
  if (e.inputsOwner) {
    const root = jsonDoc(ctx).root;
    const owner = e.inputsOwner.length === 0 ? root : nodeAt(root, e.inputsOwner);
    if (!owner || owner.type !== 'object') return undefined;
    const id = uniqueId(owner, kebab(place.envName ?? `${e.name.value}-${place.label}`));
    const description = place.envName
      ? `${place.envName} for the ${e.name.value} MCP server`
      : `${place.label} for the ${e.name.value} MCP server`;
    const insert = inputInsertion(ctx.text, owner, { type: 'promptString', id, description, password: true });
    if (!insert) return undefined;
    return {
      title: `Prompt for the secret with input "${id}"`,
      edits: [{ ...span, newText: `\${input:${id}}` }, insert],
    };
  }
  if (!place.envName) return undefined;
  if (e.client === 'cursor') {
    return {
      title: `Read ${place.envName} from the environment`,
      edits: [{ ...span, newText: `\${env:${place.envName}}` }],
    };
  }
  if (e.client === 'claude-code') {
    return {
      title: `Read ${place.envName} from the environment`,
      edits: [{ ...span, newText: `\${${place.envName}}` }],
    };
  }
  return undefined;
}

/** `GITHUB_TOKEN` → `github-token`; `my server-Authorization` → `my-server-authorization`. */
function kebab(s: string): string {
  return (
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w !== '')
      .join('-') || 'secret'
  );
}

/** An id not yet used by an input of `owner` (a second `github-token` becomes `github-token-2`). */
function uniqueId(owner: Node, id: string): string {
  const taken = new Set<string>();
  const inputs = propValue(owner, 'inputs');
  for (const item of inputs?.type === 'array' ? (inputs.children ?? []) : []) {
    const v = propValue(item, 'id')?.value;
    if (typeof v === 'string') taken.add(v);
  }
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}-${n}`;
  return candidate;
}

/**
 * The edit that appends `input` to the owner's `inputs` array, creating the array after the owner's last property
 * when it is missing. It is computed by hand rather than with jsonc-parser's `modify`, because `modify` re-formats
 * the neighbouring property (it would rewrite the very `servers` block whose value the other edit replaces, and
 * the two edits would overlap). The new text follows the document's indentation and line breaks.
 */
function inputInsertion(
  text: string,
  owner: Node,
  input: Record<string, string | boolean>,
): (Span & { newText: string }) | undefined {
  const unit = indentUnit(text);
  const eol = eolOf(text);
  const objectText = (indent: string) =>
    '{' +
    eol +
    Object.entries(input)
      .map(([k, v]) => `${indent}${unit}${JSON.stringify(k)}: ${JSON.stringify(v)}`)
      .join(',' + eol) +
    eol +
    indent +
    '}';
  const inputs = propValue(owner, 'inputs');
  if (inputs) {
    if (inputs.type !== 'array') return undefined;
    const items = inputs.children ?? [];
    const last = items[items.length - 1];
    if (last) {
      const indent = lineIndentAt(text, last.offset);
      const at = last.offset + last.length;
      return { start: at, end: at, newText: `,${eol}${indent}${objectText(indent)}` };
    }
    // An empty array (`[]` or `[ ]`): replace its inside.
    const indent = lineIndentAt(text, inputs.offset);
    const close =
      text.charCodeAt(inputs.offset + inputs.length - 1) === 93
        ? inputs.offset + inputs.length - 1
        : inputs.offset + inputs.length;
    return {
      start: inputs.offset + 1,
      end: close,
      newText: `${eol}${indent}${unit}${objectText(indent + unit)}${eol}${indent}`,
    };
  }
  const props = jsonProperties(owner);
  const lastProp = props[props.length - 1];
  if (!lastProp) return undefined;
  const indent = lineIndentAt(text, lastProp.prop.offset);
  const at = lastProp.prop.offset + lastProp.prop.length;
  return {
    start: at,
    end: at,
    newText: `,${eol}${indent}"inputs": [${eol}${indent}${unit}${objectText(indent + unit)}${eol}${indent}]`,
  };
}
