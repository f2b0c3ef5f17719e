import pkg from '../../package.json';

/** package.json fields that can name where the project, and so its rule pages, are published. */
interface PackageLinks {
  repository?: string | { url?: string };
  homepage?: string;
}

/**
 * The https address of the repository, from package.json `repository` (a string or `{ url }`, with the `git+` and
 * `.git` decorations npm allows removed) or `homepage`; undefined when neither gives a GitHub-style https URL.
 */
export function repositoryUrl(links: PackageLinks = pkg as PackageLinks): string | undefined {
  const raw = typeof links.repository === 'string' ? links.repository : links.repository?.url;
  for (const candidate of [raw, links.homepage]) {
    if (!candidate) continue;
    const url = candidate
      .replace(/^git\+/, '')
      .replace(/\.git$/, '')
      .replace(/#.*$/, '');
    if (/^https:\/\/[^\s/]+\/[^\s]+$/.test(url)) return url.replace(/\/$/, '');
  }
  return undefined;
}

/**
 * The link to a rule's documentation page. The pages are generated into `docs/rules/<id>.md` and ship in the
 * package; when package.json names a repository the link is absolute (`<repo>/blob/main/docs/rules/<id>.md`), so it
 * opens from any report; otherwise it stays relative to the package, because an invented URL would be a dead link.
 * `mcp-sentinel explain <id>` prints the same page wherever the tool is installed.
 */
export function ruleDocLink(ruleId: string, links?: PackageLinks): string {
  const path = `docs/rules/${ruleId}.md`;
  const repo = repositoryUrl(links);
  return repo ? `${repo}/blob/main/${path}` : path;
}
