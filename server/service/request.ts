// What a scan request asks for, checked beyond its JSON schema: the path inside an allowed root, the package spec,
// the rule ids and categories (turned into the same severity overrides the config file's `rules` would be).
import type { Format } from '../cli/args';
import type { RuleOverrides } from '../engine/engine';
import { ruleCatalogue } from '../rules/catalogue';
import { didYouMean } from '../core/suggest';
import { CATEGORIES, type Category } from '../../shared/types';

/** The JSON body of `POST /api/v1/scan` and `POST /api/v1/scan/stream`. */
export interface ScanBody {
  /** A file or folder inside an allowed root (absolute, or relative to the first root). */
  path?: string;
  /** A package request, `npm:name@version`. */
  package?: string;
  /** Only these rule ids run. */
  rules?: string[];
  /** Only rules of these categories run. */
  categories?: string[];
  /** A project config file inside the scanned root, used as `--config` is. */
  config?: string;
  /** Report format (default json). */
  format?: Format;
}

/** A request the service refuses (400) with a message fit for the client. */
export class BadRequest extends Error {}

/** The JSON schema of the scan body; Fastify validates with it before a handler runs. */
export const SCAN_BODY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: { type: 'string', minLength: 1, maxLength: 4096 },
    // npm:name or npm:@scope/name, then an optional version or range without path separators.
    package: {
      type: 'string',
      pattern: '^npm:(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*(@[^\\s/\\\\]+)?$',
      maxLength: 512,
    },
    rules: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 }, maxItems: 500 },
    categories: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, maxItems: 100 },
    config: { type: 'string', minLength: 1, maxLength: 4096 },
    format: { type: 'string', enum: ['json', 'sarif', 'html', 'text'] },
  },
  oneOf: [{ required: ['path'] }, { required: ['package'] }],
} as const;

/**
 * The severity overrides that run only the listed rules and categories (undefined when neither is given). Every
 * built-in rule left out is set `off` by id, so that a rule the project config turns on by id stays off too; a
 * category left out is set `off` as well, which covers the project's custom rules.
 */
export function selectionOverrides(
  rules?: readonly string[],
  categories?: readonly string[],
): RuleOverrides | undefined {
  if (!rules?.length && !categories?.length) return undefined;
  const catalogue = ruleCatalogue();
  const ids = new Set(catalogue.map((r) => r.id));
  for (const id of rules ?? [])
    if (!ids.has(id)) throw new BadRequest(`unknown rule "${id}"${didYouMean(id, ids) || ''}`);
  for (const c of categories ?? [])
    if (!CATEGORIES.includes(c as Category))
      throw new BadRequest(`unknown category "${c}" (expected one of ${CATEGORIES.join(', ')})`);
  const wantRule = rules?.length ? new Set(rules) : undefined;
  const wantCat = categories?.length ? new Set(categories) : undefined;
  const out: Required<RuleOverrides> = { rules: {}, categories: {} };
  for (const r of catalogue)
    if ((wantRule && !wantRule.has(r.id)) || (wantCat && !wantCat.has(r.category))) out.rules[r.id] = 'off';
  if (wantCat) for (const c of CATEGORIES) if (!wantCat.has(c)) out.categories[c] = 'off';
  return out;
}

/** Splits a comma-separated multipart field into a list (undefined when empty). */
export function listField(v: string | undefined): string[] | undefined {
  const items = (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}
