// Unit tests of the secrets pack's decisions: whole-value identification (used by the MCP config rules), the
// placeholder and entropy judgement of the generic rule, and the environment-variable fixes.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParsers } from '../../server/analysis/parse';
import { Engine } from '../../server/engine/engine';
import { scanText } from './helpers';
import { createBackend } from '../../server/core/regex';
import type { Finding } from '../../shared/types';
import { secretsRules } from '../../server/rules/secrets';
import { FAKE, fake } from '../../server/rules/secrets/fakes';
import { identifySecret, isPlaceholder, looksSecret } from '../../server/rules/secrets/identify';
import { PROVIDERS } from '../../server/rules/secrets/providers';

before(() => initParsers());

describe('identifySecret', () => {
  for (const backendName of ['re2', 'js'] as const) {
    const backend = createBackend(backendName);
    test(`names every standalone provider token as its own rule (${backendName})`, () => {
      for (const spec of PROVIDERS) {
        const got = identifySecret(FAKE[spec.id]!, spec.name ? spec.envName : undefined, backend);
        assert.equal(got?.ruleId, spec.id, `${spec.id}: got ${got?.ruleId}`);
        assert.equal(got?.title, spec.label);
      }
    });
  }

  test('strips an auth scheme and ignores surrounding space', () => {
    assert.equal(identifySecret(`Bearer ${FAKE['secret-github-pat']}`)?.ruleId, 'secret-github-pat');
    assert.equal(identifySecret(`  ${FAKE['secret-anthropic-api-key']} `)?.ruleId, 'secret-anthropic-api-key');
  });

  test('contextual formats need a telling name', () => {
    const aws = FAKE['secret-aws-secret-access-key']!;
    assert.equal(identifySecret(aws), undefined);
    assert.equal(identifySecret(aws, 'BUILD_HASH'), undefined);
    assert.equal(identifySecret(aws, 'AWS_SECRET_ACCESS_KEY')?.ruleId, 'secret-aws-secret-access-key');
  });

  test('placeholders, partial tokens and non-secrets are not identified', () => {
    for (const v of [
      'AKIAIOSFODNN7EXAMPLE',
      '${input:github-token}',
      '${env:GITHUB_TOKEN}',
      'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      FAKE['secret-github-pat']!.slice(0, 30),
      `x${FAKE['secret-github-pat']}`,
      'sk_test_' + fake('t', 30),
      'hello world',
      '',
    ]) {
      assert.equal(identifySecret(v), undefined, v);
    }
  });

  test('private keys and database URLs', () => {
    const pem = `-----BEGIN EC PRIVATE KEY-----\n${fake('ec', 64, 'ABCDEFGHabcdefgh0123456789+/')}\n${fake('ec2', 40)}\n-----END EC PRIVATE KEY-----\n`;
    assert.equal(identifySecret(pem)?.ruleId, 'secret-private-key');
    assert.equal(
      identifySecret(`postgresql://app:${fake('pw', 16)}@db.internal:5432/app`)?.ruleId,
      'secret-database-url-password',
    );
    assert.equal(identifySecret('postgresql://app:${PGPASSWORD}@db.internal:5432/app'), undefined);
    assert.equal(identifySecret('postgres://postgres:postgres@localhost/app'), undefined);
  });
});

describe('isPlaceholder', () => {
  test('recognises placeholders and indirections', () => {
    for (const v of [
      'YOUR_API_KEY',
      'your-token-here',
      'xxxxxxxxxxxx',
      '<token>',
      '<your api key>',
      'changeme',
      '${GITHUB_TOKEN}',
      '${input:token}',
      '${env:OPENAI_API_KEY}',
      '{{ api_key }}',
      '$API_KEY',
      '%API_KEY%',
      'process.env.API_KEY',
      'os.environ["API_KEY"]',
      'os.getenv("API_KEY")',
      'AKIAIOSFODNN7EXAMPLE',
      'dummy-secret-1',
      'test-key',
      'my_fake_key',
      'REDACTED',
      '••••••••'.replace(/•/g, '*'),
      'aaaaaaaaaaaa',
      '',
      '   ',
    ]) {
      assert.equal(isPlaceholder(v), true, v);
    }
  });
  test('leaves real-looking values alone', () => {
    for (const v of [FAKE['secret-github-pat']!, fake('p1', 24), 'Vt8%qLm2!zRp', FAKE['secret-openai-api-key']!]) {
      assert.equal(isPlaceholder(v), false, v);
    }
  });
});

describe('looksSecret', () => {
  test('secret names with random values', () => {
    assert.equal(looksSecret('apiKey', fake('a', 24)), true);
    assert.equal(looksSecret('DB_PASSWORD', 'Vt8%qLm2!zRp'), true);
    assert.equal(looksSecret('client_secret', fake('b', 32, '0123456789abcdef')), true);
    assert.equal(looksSecret('Authorization', `Bearer ${fake('c', 40)}`), true);
  });
  test('names that describe something else, and values that are not secrets', () => {
    const cases: [string, string][] = [
      ['TOKEN_ENV', 'GITHUB_PERSONAL_ACCESS_TOKEN'],
      ['passwordLabel', 'Password'],
      ['password', 'Enter a password'],
      ['token_url', 'https://auth.example.org/oauth/token'],
      ['key', fake('d', 24)],
      ['tokenizer', fake('e', 24)],
      ['apiKey', 'short1A'],
      ['secret', 'auth.token.missing'],
      ['password_file', '/run/secrets/db'],
      ['api_key', '${API_KEY}'],
      ['max_tokens', '40964096'],
      ['secretKey', 'abcdefghijklmnopqrstuvwxyz'],
      ['token', 'sample-token-1234'],
    ];
    for (const [n, v] of cases) assert.equal(looksSecret(n, v), false, `${n}=${v}`);
  });
});

describe('fixes', () => {
  const engine = new Engine(secretsRules, {}, createBackend('js'));
  const apply = (text: string, f: Finding): string => {
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
    const off = (p: { line: number; character: number }) => starts[p.line]! + p.character;
    const edits = [...f.fix!.edits].sort((a, b) => off(b.range.start) - off(a.range.start));
    let out = text;
    for (const e of edits) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
    return out;
  };
  const only = (path: string, text: string): Finding => {
    const r = scanText(engine, path, text);
    assert.equal(r.findings.length, 1, JSON.stringify(r.findings.map((f) => f.ruleId)));
    return r.findings[0]!;
  };

  test('JS: a provider token in a property becomes process.env.<PROVIDER>', () => {
    const text = `const octokit = new Octokit({ auth: "${FAKE['secret-github-pat']}" });\n`;
    assert.equal(
      apply(text, only('src/index.ts', text)),
      'const octokit = new Octokit({ auth: process.env.GITHUB_TOKEN });\n',
    );
  });
  test('JS: a descriptive constant name is kept', () => {
    const text = `const OPENAI_API_KEY = '${FAKE['secret-openai-api-key']}';\n`;
    assert.equal(apply(text, only('src/llm.ts', text)), 'const OPENAI_API_KEY = process.env.OPENAI_API_KEY;\n');
  });
  test('JS: the generic rule names the variable after the code', () => {
    const text = `const weatherApiKey = "${fake('w', 28)}";\n`;
    assert.equal(apply(text, only('src/index.ts', text)), 'const weatherApiKey = process.env.WEATHER_API_KEY;\n');
  });
  test('Python: os.environ with an import added after the docstring and __future__ import', () => {
    const text = `"""Server."""\nfrom __future__ import annotations\nfrom openai import OpenAI\n\nclient = OpenAI(api_key="${FAKE['secret-openai-api-key']}")\n`;
    assert.equal(
      apply(text, only('server.py', text)),
      '"""Server."""\nfrom __future__ import annotations\nimport os\nfrom openai import OpenAI\n\nclient = OpenAI(api_key=os.environ["OPENAI_API_KEY"])\n',
    );
  });
  test('Python: no second import when os is imported', () => {
    const text = `import os\nHF = "${FAKE['secret-huggingface-token']}"\n`;
    assert.equal(apply(text, only('server.py', text)), 'import os\nHF = os.environ["HF_TOKEN"]\n');
  });
  test('no fix where the replacement would not be a drop-in', () => {
    const pat = FAKE['secret-github-pat']!;
    for (const [path, text] of [
      ['config.json', `{ "token": "${pat}" }\n`],
      ['.env', `GITHUB_TOKEN=${pat}\n`],
      ['src/index.ts', `const h = \`token ${pat}\`;\n`],
      ['src/index.ts', `const h = "token ${pat}";\n`],
      ['server.py', `h = f"{pat}"\nt = f"${pat}"\n`],
    ] as const) {
      const f = scanText(engine, path, text).findings.find((x) => x.ruleId === 'secret-github-pat');
      assert.ok(f, `${path}: ${text}`);
      assert.equal(f.fix, undefined, `${path}: ${text}`);
    }
  });
});
