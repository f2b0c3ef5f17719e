// The `mcp-sentinel` command (bundled to dist/cli.js). All logic lives in run.ts so tests can drive it in-process.
//
// `--version` is answered before the engine is loaded: run.ts pulls in the parsers, the rule packs and the report
// writers, and merely compiling that much code costs several times the answer itself. So this entry is a bundle of
// its own (dist/cli.js, a few kilobytes) and run.ts is another (dist/cli-main.js, built by scripts/build.mjs),
// loaded only for a command that needs it. Any other command line, including one that asks for the version among
// other arguments, goes through `runCli`, which gives the same answer.
import { join } from 'node:path';
import { toolVersion } from '../core/version';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${toolVersion()}\n`);
} else {
  // The engine's bundle, loaded on demand (above).
  const { processIo, runCli } = require(join(__dirname, 'cli-main.js')) as typeof import('./run');
  runCli(argv, processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`mcp-sentinel: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
