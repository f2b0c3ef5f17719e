// The project config: a full valid file, precise errors (line and column) for every kind of mistake, overrides
// that change severity or disable rules, and agreement between the hand validator and the shipped JSON Schema.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { CATEGORIES, SEVERITIES } from '../../shared/types';
import { CONFIG_KEYS, ConfigLoadError, parseProjectConfig, type ConfigError } from '../../server/project';
import { openProject, scanDocument } from '../../server/engine/project';
import { dangerRule } from '../fixtures/suppression/testRule';

const FIXTURES = join(process.cwd(), 'test/fixtures/project-config');
const KNOWN = ['test-danger', 'test-danger-2'];

/** Errors for a config text, as [line, column, message] triples. */
function errorsOf(text: string): [number, number, string][] {
  return parseProjectConfig(text, '/p/.mcp-sentinel.json', KNOWN).errors.map((e: ConfigError) => [
    e.line,
    e.column,
    e.message,
  ]);
}

describe('a valid config', () => {
  test('the full fixture loads, and the project exposes discovery, limits, failOn and the baseline', async () => {
    const root = join(FIXTURES, 'full');
    const p = await openProject(root, { extraRules: [dangerRule(), dangerRule('test-danger-2')] });
    assert.deepEqual(p.errors, []);
    assert.equal(p.configFile, join(root, '.mcp-sentinel.json'));
    assert.deepEqual(p.config.include, ['src/**', '*.json']);
    assert.deepEqual(p.config.exclude, ['src/generated/**']);
    assert.deepEqual(p.config.limits, { maxFileSizeKB: 512, timeoutMs: 2000 });
    assert.equal(p.config.workers, 2);
    assert.equal(p.failOn, 'medium');
    assert.equal(p.suppression.baseline?.file, 'baseline.json');
    assert.equal(p.suppression.ignore.length, 1);
    assert.deepEqual(
      p.customRules.map((r) => r.id),
      ['internal-admin-url'],
    );
  });

  test('rule and category overrides change severity or disable', async () => {
    const p = await openProject(join(FIXTURES, 'full'), { extraRules: [dangerRule(), dangerRule('test-danger-2')] });
    const fs = scanDocument(p, 'src/a.ts', 'run(DANGER_1);').findings;
    assert.deepEqual(
      fs.filter((f) => f.ruleId.startsWith('test-danger')).map((f) => [f.ruleId, f.severity]),
      [['test-danger', 'medium']],
    );
    // The custom rule is in category ssrf, which the config turns off; a rule setting would win over that.
    assert.equal(p.engine.severityOf(p.customRules[0]!), 'off');
    const on = await openProject(join(FIXTURES, 'full'), {
      extraRules: [dangerRule(), dangerRule('test-danger-2')],
      overrides: { rules: { 'internal-admin-url': 'low' } },
    });
    assert.equal(on.engine.severityOf(on.customRules[0]!), 'low', 'editor/CLI overrides apply on top of the config');
  });

  test('no config file means an empty config and no errors', async () => {
    const p = await openProject(mkdtempSync(join(tmpdir(), 'cfg-')));
    assert.deepEqual(p.config, {});
    assert.deepEqual(p.errors, []);
    assert.equal(p.configFile, undefined);
  });
});

describe('config errors carry the exact line and column', () => {
  test('syntax error', () => {
    assert.deepEqual(errorsOf('{\n  "failOn": "high"\n  "workers": 2\n}'), [
      [3, 3, 'JSON syntax error: comma expected'],
    ]);
  });

  test('wrong types', () => {
    const e = errorsOf('{\n  "include": "src/**",\n  "workers": "4",\n  "limits": { "timeoutMs": 1.5 }\n}');
    assert.deepEqual(e, [
      [2, 14, '"include" must be an array, found a string'],
      [3, 14, '"workers" must be an integer from 1 to 64'],
      [4, 28, '"limits"."timeoutMs" must be an integer from 1 to 3600000'],
    ]);
  });

  test('unknown rule id, at the key', () => {
    assert.deepEqual(errorsOf('{\n  "rules": {\n    "test-danger": "low",\n    "no-such-rule": "off"\n  }\n}'), [
      [4, 5, 'unknown rule id "no-such-rule"'],
    ]);
  });

  test('bad severity, at the value', () => {
    const e = errorsOf('{ "rules": { "test-danger": "severe" } }');
    assert.equal(e.length, 1);
    assert.deepEqual(e[0]!.slice(0, 2), [1, 29]);
    assert.match(e[0]![2], /must be "off", "critical", "high", "medium", "low" or "info", found "severe"/);
  });

  test('unknown property, unknown category, bad failOn, duplicate key', () => {
    const e = errorsOf(
      '{\n  "rule": {},\n  "categories": { "secrets": "off" },\n  "failOn": "urgent",\n  "workers": 1,\n  "workers": 2\n}',
    );
    assert.deepEqual(
      e.map((x) => x.slice(0, 2)),
      [
        [2, 3],
        [3, 19],
        [4, 13],
        [6, 3],
      ],
    );
    assert.match(e[0]![2], /unknown property "rule"/);
    assert.match(e[1]![2], /unknown category "secrets"/);
    assert.match(e[2]![2], /"failOn" must be/);
    assert.match(e[3]![2], /duplicate property "workers"/);
  });

  test('openProject throws a ConfigLoadError (CLI: exit 2), or collects the errors for the editor', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(
      join(root, '.mcp-sentinel.json'),
      '{\n  "rules": { "test-danger": "low", "nope": "off" },\n  "failOn": "medium"\n}\n',
    );
    await assert.rejects(openProject(root, { extraRules: [dangerRule()] }), (e: unknown) => {
      assert.ok(e instanceof ConfigLoadError);
      assert.equal(e.message, `${join(root, '.mcp-sentinel.json')}:2:36: unknown rule id "nope"`);
      assert.deepEqual(e.errors[0]!.range, { start: { line: 1, character: 35 }, end: { line: 1, character: 41 } });
      return true;
    });
    const p = await openProject(root, { extraRules: [dangerRule()], onConfigError: 'collect' });
    assert.equal(p.errors.length, 1);
    assert.equal(p.failOn, 'medium', 'the valid parts still apply');
    assert.equal(p.engine.severityOf(p.engine.rules.find((r) => r.id === 'test-danger')!), 'low');
  });

  test('an explicit config path that does not exist is an error, not a silent default', async () => {
    await assert.rejects(
      openProject(mkdtempSync(join(tmpdir(), 'cfg-')), { configPath: 'missing.json' }),
      /cannot read the file \(not found\)/,
    );
  });
});

describe('the JSON Schema agrees with the validator', () => {
  const schema = JSON.parse(readFileSync(join(process.cwd(), 'schemas/mcp-sentinel.schema.json'), 'utf8')) as {
    properties: Record<string, unknown>;
    definitions: { severity: { enum: string[] }; category: { enum: string[] } };
  };
  // VS Code's own keywords (allowComments, enumDescriptions) are not standard: strict mode would reject them.
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  const jsonc = (text: string) =>
    JSON.parse(text.replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1')) as unknown;

  test('same top-level keys, severities and categories', () => {
    assert.deepEqual(Object.keys(schema.properties).sort(), [...CONFIG_KEYS].sort());
    assert.deepEqual(schema.definitions.severity.enum, [...SEVERITIES]);
    assert.deepEqual(schema.definitions.category.enum, [...CATEGORIES]);
  });

  test('the full fixture is valid for both; wrong types and bad values are invalid for both', () => {
    const full = readFileSync(join(FIXTURES, 'full/.mcp-sentinel.json'), 'utf8');
    assert.equal(validate(jsonc(full)), true, JSON.stringify(validate.errors));
    assert.deepEqual(parseProjectConfig(full, 'x', KNOWN).errors, []);
    const bad = [
      '{ "include": "src" }',
      '{ "workers": 0 }',
      '{ "rules": { "test-danger": "severe" } }',
      '{ "categories": { "secrets": "off" } }',
      '{ "failOn": "urgent" }',
      '{ "limits": { "maxFileSize": 1 } }',
      '{ "ignore": [ { "rule": "test-danger", "path": "a" } ] }',
      '{ "ignore": [ { "path": "a", "reason": "r" } ] }',
      '{ "customRules": [ { "id": "x", "message": "m", "severity": "high", "category": "secret" } ] }',
      '{ "unknown": 1 }',
    ];
    for (const text of bad) {
      assert.equal(validate(JSON.parse(text)), false, `schema accepts ${text}`);
      assert.notDeepEqual(parseProjectConfig(text, 'x', KNOWN).errors, [], `validator accepts ${text}`);
    }
  });

  test('the ignore-file schema accepts the fixture ignore file', () => {
    const ignoreSchema = JSON.parse(
      readFileSync(join(process.cwd(), 'schemas/mcp-sentinel-ignore.schema.json'), 'utf8'),
    ) as object;
    const v = new Ajv({ strict: false }).compile(ignoreSchema);
    const text = readFileSync(
      join(process.cwd(), 'test/fixtures/suppression/ignore-project/.mcp-sentinel/ignore.json'),
      'utf8',
    );
    assert.equal(v(jsonc(text)), true, JSON.stringify(v.errors));
    assert.equal(v({ ignore: [{ fingerprint: 'x', reason: 'r', expires: 'tomorrow' }] }), false);
  });
});
