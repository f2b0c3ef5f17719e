// Secret masking of report output (server/reports/redact.ts, server/reports/excerpt.ts) with the rule packs'
// detectors behind one callback (server/rules/secretDetector.ts): every free-text string of a report, and code
// excerpts cut from the scanned text with secrets masked by finding range, by a whole-text pass and by a pass over
// the excerpt itself.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { excerptReader } from '../../server/reports/excerpt';
import type { JsonReport, ReportFinding } from '../../server/reports/model';
import { maskSecretsIn, maskSpans, mergeSpans, redactReport, type SecretDetector } from '../../server/reports/redact';
import { secretDetector } from '../../server/rules/secretDetector';

const PAT = 'ghp_xEEsAoCaA2QTqpOoast0vQj8VMtbYo9Mqb5j';
const detect = secretDetector();

/** A detector for `SECRET[0-9]+` only, so excerpt tests do not depend on the rule packs. */
const fake: SecretDetector = (text) =>
  [...text.matchAll(/SECRET[0-9]+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));

function finding(file: string, line: number, column: number, endColumn: number, category = 'other'): ReportFinding {
  return {
    ruleId: 'r',
    category: category as ReportFinding['category'],
    severity: 'high',
    message: 'm',
    file,
    range: { start: { line, column }, end: { line, column: endColumn } },
    fingerprint: 'r:0000000000000000',
  };
}

describe('maskSpans', () => {
  test('overlapping and touching spans are masked once; empty ones are ignored', () => {
    assert.deepEqual(
      mergeSpans([
        { start: 5, end: 9 },
        { start: 0, end: 3 },
        { start: 3, end: 4 },
        { start: 8, end: 12 },
        { start: 6, end: 6 },
      ]),
      [
        { start: 0, end: 4 },
        { start: 5, end: 12 },
      ],
    );
    assert.equal(
      maskSpans('abcdefghijklmnop', [
        { start: 2, end: 14 },
        { start: 4, end: 6 },
      ]),
      'abcde…(12 chars)op',
    );
  });
});

describe('secretDetector', () => {
  test('finds a token used as a name, in a message, a path and a URL', () => {
    for (const s of [PAT, `tool "${PAT}" shadows`, `/srv/${PAT}/app`, `https://h.acme.io/${PAT}?x=1`])
      assert.equal(maskSecretsIn(s, detect), s.replace(PAT, 'ghp_…(40 chars)'), s);
  });

  test('leaves messages that only hold masked secrets and ordinary words alone', () => {
    for (const s of [
      'GitHub token ghp_…(40 chars) is hardcoded',
      'Tool "read_file" reads any path',
      'sha256 9f86d081884c7d65',
    ])
      assert.equal(maskSecretsIn(s, detect), s);
  });

  test('with a path, the client config pack reads the text too (a credential it knows by where it sits)', () => {
    const config =
      '{ "servers": { "api": { "command": "node", "env": { "API_TOKEN": "9fK2mQ7xLp4RzT8vN1cW6bY3hJ5s" } } } }';
    const spans = detect(config, '.vscode/mcp.json');
    assert.ok(
      spans.some((s) => config.slice(s.start, s.end) === '9fK2mQ7xLp4RzT8vN1cW6bY3hJ5s'),
      JSON.stringify(spans),
    );
  });
});

describe('redactReport', () => {
  test('masks messages, related messages, suppression reasons, skipped reasons and rule errors; keeps paths', () => {
    const f = finding(`${PAT}.ts`, 1, 1, 2);
    const report: JsonReport = {
      tool: { name: 'mcp-sentinel', version: '0.1.0' },
      root: '/r',
      findings: [
        {
          ...f,
          message: `tool ${PAT}`,
          suppressed: { kind: 'inline', reason: `ok ${PAT}` },
          related: [{ file: 'a.ts', range: f.range, message: `see ${PAT}` }],
        },
      ],
      skipped: [{ file: 'b.ts', reason: `bad ${PAT}` }],
      ruleErrors: [{ file: 'c.ts', ruleId: 'r', message: `threw ${PAT}` }],
      stats: {
        regexBackend: 're2',
        filesScanned: 1,
        filesSkipped: 1,
        durationMs: 0,
        rules: 1,
        ruleErrors: 1,
        findings: 1,
        suppressed: 0,
        bySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
      },
    };
    const out = JSON.stringify(redactReport(report, detect));
    assert.equal(out.split(PAT).length - 1, 1, 'only the path keeps it');
    assert.ok(out.includes(`"file":"${PAT}.ts"`));
  });
});

describe('excerptReader', () => {
  test('CRLF and CR-only line ends: lines are cut by the scan line model and masked at the finding range', () => {
    const text = 'one\r\ntwo key=abc123xyz\r\nthree\rfour\nfive\n';
    const f = finding('a.txt', 2, 9, 18, 'secret');
    const excerpt = excerptReader(
      () => text,
      [f],
      () => [],
    )(f)!;
    assert.deepEqual(excerpt, { firstLine: 1, lines: ['one', 'two key=ab…(9 chars)', 'three', 'four'] });
  });

  test('a secret no finding covers is masked by the whole-text pass and by the pass over the excerpt', () => {
    const text = ['a', 'b SECRET1', 'c', 'd', 'e', 'f', 'g SECRET2 h'].join('\n');
    const f = finding('a.txt', 5, 1, 2);
    // The whole-text pass only knows SECRET1; the excerpt pass finds SECRET2 in what is shown.
    let calls = 0;
    const detector: SecretDetector = (t, path) => {
      calls++;
      return path ? fake(t).slice(0, 1) : fake(t);
    };
    const excerpt = excerptReader(() => text, [f], detector)(f)!;
    assert.deepEqual(excerpt.lines, ['c', 'd', 'e', 'f', 'g …(7 chars) h']);
    assert.equal(excerpt.firstLine, 3);
    const wider = excerptReader(() => text, [f, finding('a.txt', 3, 1, 2)], detector)(finding('a.txt', 3, 1, 2))!;
    assert.deepEqual(wider.lines, ['a', 'b …(7 chars)', 'c', 'd', 'e']);
    assert.ok(calls > 0);
  });

  test('a private key cut by the excerpt window is masked on every line shown', () => {
    const body = Array.from({ length: 6 }, (_, i) => `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC${i}x7Yq`);
    const text = [
      'const a = 1;',
      '-----BEGIN PRIVATE KEY-----',
      ...body,
      '-----END PRIVATE KEY-----',
      'const b = 2;',
    ].join('\n');
    const f = finding('k.ts', 9, 1, 2);
    const excerpt = excerptReader(() => text, [f], detect)(f)!;
    for (const line of excerpt.lines) assert.doesNotMatch(line, /MIIEvQIBADANBgkqhkiG9w0BAQ/, line);
  });

  test('no text, no excerpt', () => {
    const f = finding('gone.ts', 1, 1, 2);
    assert.equal(excerptReader(() => undefined, [f], fake)(f), undefined);
  });
});
