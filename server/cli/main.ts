// The `mcp-sentinel` command (bundled to dist/cli.js). All logic lives in run.ts so tests can drive it in-process.
import { processIo, runCli } from './run';

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`mcp-sentinel: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
