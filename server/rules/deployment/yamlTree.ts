// YAML documents with node ranges, for the Kubernetes and Compose rules. The yaml package reports ranges as
// UTF-16 offsets into the source string, so they are document offsets as they are.
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node as YNode, type Pair, type YAMLMap } from 'yaml';
import { MAX_NESTING_DEPTH, yamlNestingDepth } from '../../core/depth';
import type { DetectContext, Span } from '../../core/rule';

/**
 * The root nodes of every document in a YAML file (documents that fail to parse are skipped). A file nested deeper
 * than MAX_NESTING_DEPTH has none: the yaml package composes nodes recursively (core/depth.ts).
 */
export function yamlRoots(ctx: DetectContext): YNode[] {
  return ctx.memo('yaml:roots', () => {
    if (yamlNestingDepth(ctx.text) > MAX_NESTING_DEPTH) return [];
    try {
      return parseAllDocuments(ctx.text, { uniqueKeys: false, prettyErrors: false })
        .filter((d) => 'contents' in d && d.errors.length === 0)
        .map((d) => (d as { contents: YNode | null }).contents)
        .filter((n): n is YNode => n !== null);
    } catch {
      return [];
    }
  });
}

/** The pair with key `key` in a map node, if any. */
export function pairOf(node: unknown, key: string): Pair<unknown, unknown> | undefined {
  if (!isMap(node)) return undefined;
  return (node as YAMLMap<unknown, unknown>).items.find(
    (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key,
  );
}

/** The value node under `key` in a map node. */
export function get(node: unknown, ...path: string[]): unknown {
  let cur: unknown = node;
  for (const k of path) cur = pairOf(cur, k)?.value;
  return cur;
}

/** The items of a sequence node (empty for anything else). */
export function items(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

/** The scalar value of a node, or undefined. */
export function scalar(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}

/** The span of a scalar's text (inside quotes), or of any node. */
export function spanOf(node: unknown): Span | undefined {
  if (!node || typeof node !== 'object' || !('range' in node)) return undefined;
  const r = (node as { range?: [number, number, number] | null }).range;
  if (!r) return undefined;
  if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE'))
    return { start: r[0] + 1, end: r[1] - 1 };
  return { start: r[0], end: r[1] };
}

/** The span of the key of `key` in a map node. */
export function keySpan(node: unknown, key: string): Span | undefined {
  return spanOf(pairOf(node, key)?.key);
}

/**
 * True when a YAML list of Linux capabilities (Compose `cap_drop`, Kubernetes `capabilities.drop`) names `ALL`, in
 * any case: the container keeps none of the default capabilities.
 */
export function dropsAll(list: unknown): boolean {
  return items(list).some((d) => {
    const v = scalar(d);
    return typeof v === 'string' && v.toUpperCase() === 'ALL';
  });
}
