// A named import, so the bundles carry the version string and not the whole package.json (dist/cli.js, which answers
// `--version` on its own, is parsed on every start).
import { version } from '../../package.json';

/**
 * The tool's version, from package.json (bundled at build time), for the CLI's `--version`, every report and the
 * language server's `serverInfo`. One reader, so no front end can report another version than the others.
 */
export function toolVersion(): string {
  return version;
}
