// The Node versions the project claims are true: every installed package admits the floor of the project's own
// `engines.node`, so a fresh `npm ci` on any Node the project accepts prints no EBADENGINE warning, and a user who
// installs the packed CLI on that floor runs code that supports it. Ranges are read with `semver`, the library npm
// itself uses to decide EBADENGINE.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from './helpers';

interface Semver {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
}
// Loaded at run time from the repository's node_modules (a dependency of npm's tooling), not bundled.
const semver = createRequire(join(ROOT, 'package.json'))('semver') as Semver;

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  engines?: { node?: string } | string[];
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const floor = semver.minVersion(pkg.engines.node)!.version;

/** The `engines.node` range of a package, or undefined when it declares none (npm ignores the array form). */
function nodeRange(engines: LockEntry['engines']): string | undefined {
  return engines && !Array.isArray(engines) && typeof engines.node === 'string' ? engines.node : undefined;
}

describe('engines: the Node floor is true of every dependency', () => {
  test('the floor is a real Node 20 release at least, and the running Node satisfies it', () => {
    assert.ok(semver.satisfies(floor, '>=20'), `floor ${floor}`);
    assert.ok(semver.satisfies(process.versions.node, pkg.engines.node), `running ${process.versions.node}`);
  });

  test('every production package installed in node_modules admits the floor', () => {
    const production = Object.entries(lock.packages).filter(([p, e]) => p && !e.dev);
    assert.ok(
      production.some(([p]) => p === 'node_modules/re2'),
      're2 is in the production tree',
    );
    const bad: string[] = [];
    for (const [path] of production) {
      const manifest = join(ROOT, path, 'package.json');
      if (!existsSync(manifest)) continue; // an optional package not installed on this platform
      const range = nodeRange((JSON.parse(readFileSync(manifest, 'utf8')) as LockEntry).engines);
      if (range && !semver.satisfies(floor, range)) bad.push(`${path}: ${range}`);
    }
    assert.deepEqual(bad, [], `packages that do not run on Node ${floor} (engines.node ${pkg.engines.node})`);
  });

  test('every package in package-lock.json, development ones included, admits the floor (no EBADENGINE)', () => {
    const bad = Object.entries(lock.packages)
      .filter(([p, e]) => p && nodeRange(e.engines) && !semver.satisfies(floor, nodeRange(e.engines)!))
      .map(([p, e]) => `${p}@${e.version}: ${nodeRange(e.engines)}`);
    assert.deepEqual(bad, [], `npm ci on Node ${floor} would warn EBADENGINE for these`);
  });

  test('re2 is pinned exactly, as an optional dependency, and the lock file agrees with package.json', () => {
    const wanted = pkg.optionalDependencies?.re2;
    assert.match(wanted ?? '', /^\d+\.\d+\.\d+$/, 're2 is pinned to one release');
    assert.equal(pkg.dependencies?.re2, undefined, 're2 is optional: the JS engine takes over without it');
    assert.equal(lock.packages['node_modules/re2']?.version, wanted);
    assert.equal((lock.packages[''] as { engines?: { node?: string } }).engines?.node, pkg.engines.node);
  });
});
