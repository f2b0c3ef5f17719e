import pkg from '../../package.json';

/** The tool's version, from package.json (bundled at build time). */
export function toolVersion(): string {
  return pkg.version;
}
