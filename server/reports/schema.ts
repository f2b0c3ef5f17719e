/**
 * The JSON Schema of the JSON report (`--format json`), which `merge` validates every input against before it
 * trusts a byte of it. It is strict on purpose: a shard report is written by this tool, so an unknown property,
 * severity or category, or a non-integer position, means the file was not, and `merge` refuses it. The same
 * object is published as `schemas/mcp-sentinel-report.schema.json` (a test keeps the two equal).
 */
import { CATEGORIES, SEVERITIES } from '../../shared/types';

const RULE_ID = '^[a-z0-9]+(-[a-z0-9]+)*$';

const position = {
  type: 'object',
  required: ['line', 'column'],
  additionalProperties: false,
  properties: {
    line: { type: 'integer', minimum: 1, description: '1-based line.' },
    column: { type: 'integer', minimum: 1, description: '1-based column in UTF-16 code units.' },
  },
};

const range = {
  type: 'object',
  required: ['start', 'end'],
  additionalProperties: false,
  properties: {
    start: { $ref: '#/definitions/position' },
    end: { $ref: '#/definitions/position', description: 'Exclusive end, as in SARIF.' },
  },
};

const path = {
  type: 'string',
  minLength: 1,
  description: 'Path relative to the root, forward slashes; never absolute and never with a `..` segment.',
};

const count = { type: 'integer', minimum: 0 };

/** The report schema (JSON Schema draft-07). */
export const REPORT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://mcp-sentinel.dev/schemas/mcp-sentinel-report.schema.json',
  title: 'MCP Sentinel JSON report',
  description: 'The report written by `mcp-sentinel scan --format json`, and the input of `mcp-sentinel merge`.',
  type: 'object',
  required: ['tool', 'root', 'findings', 'skipped', 'stats'],
  additionalProperties: false,
  definitions: {
    position,
    range,
    path,
    finding: {
      type: 'object',
      required: ['ruleId', 'category', 'severity', 'message', 'file', 'range', 'fingerprint'],
      additionalProperties: false,
      properties: {
        ruleId: { type: 'string', pattern: RULE_ID },
        category: { enum: [...CATEGORIES] },
        severity: { enum: [...SEVERITIES] },
        message: { type: 'string', description: 'One-line message; secrets masked.' },
        file: { $ref: '#/definitions/path' },
        range: { $ref: '#/definitions/range' },
        fingerprint: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*:[0-9a-f]{16}$' },
        suppressed: {
          type: 'object',
          required: ['kind', 'reason'],
          additionalProperties: false,
          properties: {
            kind: { enum: ['inline', 'file', 'ignore-file', 'baseline'] },
            reason: { type: 'string' },
          },
        },
        related: {
          type: 'array',
          items: {
            type: 'object',
            required: ['file', 'range', 'message'],
            additionalProperties: false,
            properties: {
              file: { $ref: '#/definitions/path' },
              range: { $ref: '#/definitions/range' },
              message: { type: 'string' },
              flow: { type: 'boolean', description: 'A step of the cross-file data flow that leads to the finding.' },
            },
          },
        },
        fix: { type: 'string', description: 'One sentence telling how to fix the finding.' },
        helpUri: {
          type: 'string',
          minLength: 1,
          description: "The rule's documentation page: docs/rules/<id>.md in the package, or an https URL.",
        },
      },
    },
  },
  properties: {
    tool: {
      type: 'object',
      required: ['name', 'version'],
      additionalProperties: false,
      properties: {
        name: { const: 'mcp-sentinel' },
        version: { type: 'string', pattern: '^[0-9A-Za-z.+-]+$' },
      },
    },
    root: { type: 'string', minLength: 1, description: 'Absolute path of the scan root.' },
    findings: { type: 'array', items: { $ref: '#/definitions/finding' } },
    skipped: {
      type: 'array',
      items: {
        type: 'object',
        required: ['file', 'reason'],
        additionalProperties: false,
        properties: { file: { $ref: '#/definitions/path' }, reason: { type: 'string' } },
      },
    },
    ruleErrors: {
      type: 'array',
      description: 'Rules that threw on a file: their findings there are missing. Absent when no rule failed.',
      items: {
        type: 'object',
        required: ['file', 'ruleId', 'message'],
        additionalProperties: false,
        properties: {
          file: { $ref: '#/definitions/path' },
          ruleId: { type: 'string', pattern: RULE_ID },
          message: { type: 'string' },
        },
      },
    },
    stats: {
      type: 'object',
      required: [
        'regexBackend',
        'filesScanned',
        'filesSkipped',
        'durationMs',
        'rules',
        'findings',
        'suppressed',
        'bySeverity',
      ],
      additionalProperties: false,
      properties: {
        regexBackend: { type: 'string', pattern: '^(re2|js)(,(re2|js))*$' },
        filesScanned: count,
        filesSkipped: count,
        durationMs: count,
        rules: count,
        ruleErrors: count,
        findings: count,
        suppressed: count,
        hiddenInTests: {
          type: 'integer',
          minimum: 1,
          description:
            'Findings of the generic sink and secret heuristics left out because their files are test, script or build code (shown with --include-tests); absent when none were.',
        },
        bySeverity: {
          type: 'object',
          required: [...SEVERITIES],
          additionalProperties: false,
          properties: Object.fromEntries(SEVERITIES.map((s) => [s, count])),
        },
      },
    },
  },
} as const;
