// The command-line forms of package vetting as the parser reads them: `scan npm:NAME`, `scan --servers`,
// `pin --servers` and `--offline`, and the combinations that make no sense.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommandLine, UsageError } from '../../server/cli/args';

describe('vetting on the command line', () => {
  test('the accepted forms', () => {
    const a = parseCommandLine(['scan', 'npm:@scope/x@1.2.3', '--format', 'sarif', '--offline']);
    assert.ok(a.verb === 'scan' && a.options.paths[0] === 'npm:@scope/x@1.2.3' && a.options.offline);
    const b = parseCommandLine(['scan', '--servers', '.vscode/mcp.json', '.cursor/mcp.json', '--format', 'json']);
    assert.ok(b.verb === 'scan' && b.options.servers && b.options.paths.length === 2);
    const c = parseCommandLine(['pin', '--servers', 'a.json', 'b.json', '--cache-dir', '/tmp/c']);
    assert.ok(c.verb === 'pin' && c.options.servers && c.options.cacheDir === '/tmp/c');
  });

  test('the refused combinations', () => {
    for (const argv of [
      ['scan', 'npm:a', 'npm:b'],
      ['scan', 'npm:a', 'src'],
      ['scan', 'npm:a', '--servers'],
      ['scan', 'src', '--offline'],
      ['scan', 'npm:a', '--config', 'c.json'],
      ['scan', '--servers', '--baseline', 'b.json'],
      ['scan', '--servers', '--format', 'sarif'],
      ['tools', '--servers'],
      ['baseline', 'npm:a'],
    ])
      assert.throws(() => parseCommandLine(argv), UsageError, argv.join(' '));
  });
});
