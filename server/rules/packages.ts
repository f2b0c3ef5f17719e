/**
 * The package rules: findings about a vetted npm package's archive itself (a limit it broke, an entry refused while
 * it was unpacked). Like the meta rules they have metadata, so the rule list, the docs and SARIF define them, but
 * no detector: package vetting (server/cli/vet.ts) produces their findings from what the extraction reported, and
 * their empty `kinds` keeps the engine from running them on documents.
 */
import type { Severity } from '../../shared/types';
import type { Rule } from '../core/rule';

function packageRule(id: string, title: string, description: string, severity: Severity, docs: string): Rule {
  return {
    id,
    title,
    description,
    category: 'supply-chain',
    severity,
    cwe: ['CWE-409', 'CWE-22'],
    owasp: ['A08:2021'],
    kinds: [],
    keywords: [],
    docs,
    detect: () => [],
    positive: [],
    negative: [],
  };
}

/** A package whose tarball broke a size, file-count or decompression limit: it was read only in part. */
export const PACKAGE_LIMIT_EXCEEDED = 'package-limit-exceeded';
/** An archive entry that was refused: a path out of the package folder, a link, a device, an oversized file. */
export const PACKAGE_UNSAFE_ENTRY = 'package-unsafe-entry';

/** The package rules; the catalogue lists them after the meta rules. */
export const packageRules: readonly Rule[] = [
  packageRule(
    PACKAGE_LIMIT_EXCEEDED,
    'Package archive exceeds a vetting limit',
    'A vetted npm package is larger, has more files or unpacks to far more than a server package plausibly does, so it was read only in part and the rest was not checked.',
    'high',
    [
      '`mcp-sentinel scan npm:<name>` and `scan --servers` unpack a package as data, under limits: the tarball size',
      '(50 MB), the unpacked total (200 MB), the number of entries (20,000) and the ratio of unpacked to packed bytes',
      '(100 once 8 MB are unpacked, the mark of a decompression bomb). A package that breaks one is reported here and',
      'scanned only as far as it was unpacked, so its other findings are incomplete. Real MCP server packages stay far',
      'below every limit: treat such a package as hostile until its authors explain its size.',
    ].join(' '),
  ),
  packageRule(
    PACKAGE_UNSAFE_ENTRY,
    'Package archive entry refused',
    "A vetted npm package's tarball holds an entry that could write outside its folder or link elsewhere (a `..` or absolute path, a symbolic or hard link, a device), or a file over the per-file limit; it was not unpacked.",
    'medium',
    [
      'npm itself refuses such entries when it installs, so a published package that carries them was built by hand,',
      'which legitimate servers are not. Each refused entry is reported with its path and the reason; the rest of the',
      'package is scanned. A file over the per-file limit (10 MB) is refused the same way, so its content is not checked.',
    ].join(' '),
  ),
];
