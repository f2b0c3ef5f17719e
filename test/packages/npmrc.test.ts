// The user's npm configuration as the fetcher gets it (server/packages/npmrc.ts), and the request parser
// (server/packages/spec.ts) that lets only registry specs through.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { npmFetchOptions, parseNpmrc, registryFor } from '../../server/packages/npmrc';
import { parsePackageSpec } from '../../server/packages/spec';

const base = mkdtempSync(join(tmpdir(), 'vet-npmrc-'));
after(() => rmSync(base, { recursive: true, force: true }));

describe('npm configuration', () => {
  test('user, project and environment layers, nearest winning', () => {
    const home = join(base, 'home');
    const project = join(base, 'work', 'project');
    mkdirSync(home, { recursive: true });
    mkdirSync(join(project, 'sub'), { recursive: true });
    writeFileSync(
      join(home, '.npmrc'),
      'registry=https://user.example/\nstrict-ssl=false\n//npm.corp.example/:_authToken=${CORP_TOKEN}\n',
    );
    writeFileSync(join(base, 'work', '.npmrc'), '; company\n@corp:registry=https://npm.corp.example/\n');
    writeFileSync(join(project, '.npmrc'), 'registry = "https://project.example/npm"\nhttps-proxy=http://proxy:3128\n');
    writeFileSync(join(base, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n');
    const env = {
      HOME: home,
      CORP_TOKEN: 's3cret',
      npm_config_cafile: join(base, 'ca.pem'),
      npm_config_noproxy: 'localhost',
    };
    const o = npmFetchOptions(join(project, 'sub'), env, home);
    assert.equal(o.registry, 'https://project.example/npm/');
    assert.equal(o.strictSSL, false);
    assert.equal(o['//npm.corp.example/:_authToken'], 's3cret');
    assert.equal(o['@corp:registry'], 'https://npm.corp.example/');
    assert.equal(o.httpsProxy, 'http://proxy:3128');
    assert.equal(o.noProxy, 'localhost');
    assert.deepEqual(o.ca, ['-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----']);
    assert.equal(registryFor('@corp/server', o), 'https://npm.corp.example/');
    assert.equal(registryFor('plain', o), 'https://project.example/npm/');
    // The environment wins over every file, and NPM_CONFIG_USERCONFIG names the user file.
    const o2 = npmFetchOptions(project, { ...env, npm_config_registry: 'https://env.example/' }, home);
    assert.equal(o2.registry, 'https://env.example/');
    const o3 = npmFetchOptions(base, { NPM_CONFIG_USERCONFIG: join(home, '.npmrc') }, join(base, 'nohome'));
    assert.equal(o3.registry, 'https://user.example/');
  });

  test('defaults, lists and comments', () => {
    assert.equal(npmFetchOptions(base, {}, join(base, 'none')).registry, 'https://registry.npmjs.org/');
    const m = parseNpmrc('# c\nca[]=a\nca[]=b\n  ; d\nkey=${MISSING}\nopt=${MISSING?}\n', {});
    assert.deepEqual(m.get('ca'), ['a', 'b']);
    assert.equal(m.get('key'), '${MISSING}');
    assert.equal(m.get('opt'), '');
  });
});

describe('package requests', () => {
  test('registry specs', () => {
    assert.deepEqual(parsePackageSpec('npm:@scope/name@1.2.3'), {
      name: '@scope/name',
      range: '1.2.3',
      exact: true,
      versioned: true,
    });
    assert.deepEqual(parsePackageSpec('npm:name'), { name: 'name', range: 'latest', exact: false, versioned: false });
    assert.deepEqual(parsePackageSpec('name@^1.2'), { name: 'name', range: '^1.2', exact: false, versioned: true });
    assert.deepEqual(parsePackageSpec('npm:name@v2.0.0-rc.1'), {
      name: 'name',
      range: '2.0.0-rc.1',
      exact: true,
      versioned: true,
    });
  });
  test('no git, file, URL, alias or invalid names', () => {
    for (const s of [
      'npm:user/repo',
      'npm:name@git+ssh://x',
      'npm:name@file:../x',
      'npm:name@https://x/y.tgz',
      'npm:alias@npm:other@1',
      'npm:../local',
      'npm:Upper',
      'npm:',
    ])
      assert.throws(() => parsePackageSpec(s), Error, s);
  });
});
