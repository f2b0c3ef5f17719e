// Keeps package.json's contributions in sync with shared/settings.ts, client/manifest.ts and the command table of
// shared/protocol.ts, and checks how settings typed by hand are read. That the client registers a handler for every
// command is checked by the compiler: client/commands.ts keys its handlers by the same table.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS, activationEvents, capabilities, contributes } from '../../client/manifest';
import { COMMAND_IDS } from '../../shared/protocol';
import {
  SETTINGS,
  autoWorkerCount,
  contributedProperties,
  defaultSettings,
  normaliseSettings,
  restartSettings,
  restrictedSettings,
} from '../../shared/settings';

const pkg = JSON.parse(readFileSync(join(resolve(__dirname, '..', '..', '..'), 'package.json'), 'utf8')) as Record<
  string,
  any
>;

describe('package.json mirrors the typed settings and manifest', () => {
  it('contributes exactly the settings of shared/settings.ts, with defaults and scopes', () => {
    assert.deepEqual(pkg.contributes.configuration.properties, contributedProperties());
    for (const [key, p] of Object.entries(
      pkg.contributes.configuration.properties as Record<string, { scope?: string; default?: unknown }>,
    )) {
      assert.ok(p.scope, `${key} has a scope`);
      assert.ok('default' in p, `${key} has a default`);
    }
  });

  it('contributes the client-owned keys as generated', () => {
    const expected = contributes();
    for (const key of Object.keys(expected))
      assert.deepEqual(pkg.contributes[key], expected[key], `contributes.${key}`);
    assert.deepEqual(pkg.activationEvents, activationEvents());
    assert.deepEqual(pkg.capabilities, capabilities());
  });

  it('activates lazily, never on *', () => {
    assert.ok(!pkg.activationEvents.includes('*'));
    assert.ok(pkg.activationEvents.includes('workspaceContains:**/.vscode/mcp.json'));
    assert.ok(pkg.activationEvents.includes('onLanguage:python'));
  });

  it('restricts the settings that point at executables or files in untrusted workspaces', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(restrictedSettings(), [
      'mcpSentinel.server.nodePath',
      'mcpSentinel.configFile',
      'mcpSentinel.vet.onOpen',
    ]);
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, restrictedSettings());
  });

  it('asks for a restart only for the settings the server reads at start', () => {
    assert.deepEqual(restartSettings(), ['mcpSentinel.server.runtime', 'mcpSentinel.server.nodePath']);
  });

  it('contributes exactly the commands of the typed table, each under its own name', () => {
    assert.deepEqual(
      (pkg.contributes.commands as { command: string }[]).map((c) => c.command),
      Object.values(COMMAND_IDS),
    );
    for (const [name, id] of Object.entries(COMMAND_IDS)) assert.equal(id, `mcpSentinel.${name}`);
    assert.deepEqual(Object.keys(COMMANDS), Object.keys(COMMAND_IDS));
  });

  it('refers in menus and welcome links only to declared commands or built-in ones', () => {
    const ours = new Set<string>(Object.values(COMMAND_IDS));
    const menus = pkg.contributes.menus as Record<string, { command: string }[]>;
    for (const [menu, items] of Object.entries(menus))
      for (const item of items) assert.ok(ours.has(item.command), `${menu}: ${item.command} is declared`);
    for (const w of pkg.contributes.viewsWelcome as { contents: string }[])
      for (const [, id] of w.contents.matchAll(/\(command:([\w.]+)\)/g))
        assert.ok(ours.has(id!) || !id!.startsWith('mcpSentinel.'), `welcome link ${id} is declared`);
  });
});

describe('settings normalisation', () => {
  it('fills in defaults', () => {
    assert.deepEqual(normaliseSettings(undefined), defaultSettings());
    assert.equal(defaultSettings().debounceMs, SETTINGS.debounceMs.default);
  });

  it('reads nested dotted keys as VS Code returns them', () => {
    const s = normaliseSettings({ server: { runtime: 'node', nodePath: '/x/node' }, trace: { server: 'verbose' } });
    assert.equal(s['server.runtime'], 'node');
    assert.equal(s['server.nodePath'], '/x/node');
    assert.equal(s['trace.server'], 'verbose');
  });

  it('drops wrong types and clamps numbers', () => {
    const s = normaliseSettings({
      debounceMs: 'fast',
      workers: 99,
      timeoutMs: 5,
      enable: 'yes',
      'server.runtime': 'deno',
      rules: { a: 'low', b: 'loud', c: 3 },
    });
    assert.equal(s.debounceMs, 250);
    assert.equal(s.workers, 16);
    assert.equal(s.timeoutMs, 100);
    assert.equal(s.enable, true);
    assert.equal(s['server.runtime'], 'auto');
    assert.deepEqual(s.rules, { a: 'low' });
  });

  it('sizes the pool for the machine', () => {
    assert.equal(autoWorkerCount(1), 1);
    assert.equal(autoWorkerCount(2), 1);
    assert.equal(autoWorkerCount(8), 4);
  });
});
