/**
 * The extension manifest keys this client owns (`contributes` minus jsonValidation and grammars, `activationEvents`,
 * `capabilities`), generated from the typed settings so package.json cannot drift: test/unit/settings-sync.test.ts
 * compares package.json with these functions. No `vscode` import.
 */
import { contributedProperties, restrictedSettings } from '../shared/settings';

/** One contributed command. */
export interface CommandContribution {
  /** Command id. */
  command: string;
  /** Title in the palette. */
  title: string;
  /** Palette category. */
  category: string;
  /** Codicon for view toolbars. */
  icon?: string;
  /** When the command shows in the palette (commands for tree items are hidden there). */
  palette?: string;
}

const CATEGORY = 'MCP Sentinel';

/** Every command, with where it appears. */
export const COMMANDS: CommandContribution[] = [
  {
    command: 'mcpSentinel.scanWorkspace',
    title: 'Scan Workspace',
    category: CATEGORY,
    icon: '$(search)',
    palette: 'workspaceFolderCount > 0',
  },
  {
    command: 'mcpSentinel.cancelScan',
    title: 'Cancel Scan',
    category: CATEGORY,
    icon: '$(debug-stop)',
    palette: 'mcpSentinel.scanning',
  },
  {
    command: 'mcpSentinel.exportReport',
    title: 'Export Report (SARIF, JSON, HTML)',
    category: CATEGORY,
    icon: '$(export)',
  },
  { command: 'mcpSentinel.showOutput', title: 'Show Output', category: CATEGORY },
  {
    command: 'mcpSentinel.openRuleDocumentation',
    title: 'Open Rule Documentation',
    category: CATEGORY,
    icon: '$(book)',
  },
  { command: 'mcpSentinel.clearFindings', title: 'Clear Findings', category: CATEGORY, icon: '$(clear-all)' },
  {
    command: 'mcpSentinel.groupByFile',
    title: 'Group by File',
    category: CATEGORY,
    icon: '$(list-tree)',
    palette: 'false',
  },
  {
    command: 'mcpSentinel.groupByCategory',
    title: 'Group by Category',
    category: CATEGORY,
    icon: '$(symbol-class)',
    palette: 'false',
  },
  { command: 'mcpSentinel.filterSeverity', title: 'Filter by Severity…', category: CATEGORY, icon: '$(filter)' },
  { command: 'mcpSentinel.filterCategory', title: 'Filter by Category…', category: CATEGORY },
  {
    command: 'mcpSentinel.toggleShowSuppressed',
    title: 'Show or Hide Suppressed Findings',
    category: CATEGORY,
    icon: '$(eye)',
  },
  { command: 'mcpSentinel.suppressFinding', title: 'Suppress on This Line', category: CATEGORY, palette: 'false' },
  { command: 'mcpSentinel.copyFingerprint', title: 'Copy Fingerprint', category: CATEGORY, palette: 'false' },
];

const VIEW = 'mcpSentinel.findings';

/** File markers that mean "this workspace has MCP servers or configs". */
export const WORKSPACE_MARKERS = [
  '**/.vscode/mcp.json',
  '**/.cursor/mcp.json',
  '**/.mcp.json',
  '**/mcp.json',
  '**/claude_desktop_config.json',
  '**/mcp_config.json',
  '**/.mcp-sentinel.json',
  // An MCP SDK installed in the project (package.json or pyproject mentioning it installs these). A bare
  // package.json or pyproject.toml is not a marker: `workspaceContains` cannot read a file's content, and every
  // JavaScript or Python project has one, so the extension would start in workspaces that have nothing to do with MCP.
  '**/node_modules/@modelcontextprotocol/sdk/package.json',
  '**/site-packages/mcp/__init__.py',
];

/** The languages whose documents activate the extension. */
export const ACTIVATION_LANGUAGES = [
  'typescript',
  'javascript',
  'python',
  'json',
  'jsonc',
  'yaml',
  'dockerfile',
  'dotenv',
];

/** `activationEvents`: MCP markers and scanned languages, never `*`. */
export function activationEvents(): string[] {
  return [
    ...WORKSPACE_MARKERS.map((g) => `workspaceContains:${g}`),
    ...ACTIVATION_LANGUAGES.map((l) => `onLanguage:${l}`),
  ];
}

/** `capabilities`: limited support in untrusted workspaces, with settings that point at files or executables restricted. */
export function capabilities(): Record<string, unknown> {
  return {
    untrustedWorkspaces: {
      supported: 'limited',
      description:
        'In untrusted workspaces MCP Sentinel scans files but ignores workspace settings that point at executables or config files.',
      restrictedConfigurations: restrictedSettings(),
    },
    virtualWorkspaces: { supported: false, description: 'MCP Sentinel reads files from disk.' },
  };
}

/**
 * `contributes.languages`: the project files and MCP client configs whose readers accept comments open as JSON with
 * Comments, so VS Code does not flag a `//` line as an error. `.vscode/mcp.json` is jsonc in VS Code already; the
 * pin file and baselines are machine-written strict JSON and stay `json`.
 */
export const JSONC_FILES = {
  filenames: ['.mcp-sentinel.json', 'mcp.json'],
  filenamePatterns: ['**/.mcp-sentinel/ignore.json'],
};

/** The `contributes` keys owned by the client (merged with jsonValidation and grammars from the config module). */
export function contributes(): Record<string, unknown> {
  const isFinding = `view == ${VIEW} && viewItem =~ /^finding/`;
  return {
    configuration: { title: 'MCP Sentinel', properties: contributedProperties() },
    languages: [{ id: 'jsonc', ...JSONC_FILES }],
    commands: COMMANDS.map(({ command, title, category, icon }) => ({
      command,
      title,
      category,
      ...(icon ? { icon } : {}),
    })),
    viewsContainers: { activitybar: [{ id: 'mcpSentinel', title: 'MCP Sentinel', icon: 'media/shield.svg' }] },
    views: { mcpSentinel: [{ id: VIEW, name: 'Findings', icon: 'media/shield.svg', contextualTitle: 'MCP Sentinel' }] },
    viewsWelcome: [
      {
        view: VIEW,
        contents:
          'Open a folder to scan its MCP servers and MCP client configs.\n[Open Folder](command:vscode.openFolder)',
        when: 'workbenchState == empty',
      },
      {
        view: VIEW,
        contents:
          'This workspace is not trusted: MCP Sentinel scans its files but ignores workspace settings that point at executables or config files.\n[Manage Workspace Trust](command:workbench.trust.manage)\n[Scan Workspace](command:mcpSentinel.scanWorkspace)',
        when: 'workbenchState != empty && !isWorkspaceTrusted && !mcpSentinel.scanning && !mcpSentinel.hasFindings',
      },
      {
        view: VIEW,
        contents: 'Scanning the workspace…\n[Cancel Scan](command:mcpSentinel.cancelScan)',
        when: 'mcpSentinel.scanning',
      },
      {
        view: VIEW,
        contents:
          'No findings. Open an MCP server or config file, or scan the whole workspace.\n[Scan Workspace](command:mcpSentinel.scanWorkspace)',
        when: 'workbenchState != empty && isWorkspaceTrusted && !mcpSentinel.scanning && !mcpSentinel.hasFindings',
      },
    ],
    menus: {
      'view/title': [
        {
          command: 'mcpSentinel.scanWorkspace',
          when: `view == ${VIEW} && !mcpSentinel.scanning`,
          group: 'navigation@1',
        },
        { command: 'mcpSentinel.cancelScan', when: `view == ${VIEW} && mcpSentinel.scanning`, group: 'navigation@1' },
        {
          command: 'mcpSentinel.groupByCategory',
          when: `view == ${VIEW} && mcpSentinel.grouping == file`,
          group: 'navigation@2',
        },
        {
          command: 'mcpSentinel.groupByFile',
          when: `view == ${VIEW} && mcpSentinel.grouping == category`,
          group: 'navigation@2',
        },
        { command: 'mcpSentinel.filterSeverity', when: `view == ${VIEW}`, group: 'navigation@3' },
        { command: 'mcpSentinel.filterCategory', when: `view == ${VIEW}`, group: 'filter@1' },
        { command: 'mcpSentinel.toggleShowSuppressed', when: `view == ${VIEW}`, group: 'filter@2' },
        { command: 'mcpSentinel.exportReport', when: `view == ${VIEW}`, group: 'report@1' },
        { command: 'mcpSentinel.clearFindings', when: `view == ${VIEW}`, group: 'report@2' },
      ],
      'view/item/context': [
        { command: 'mcpSentinel.suppressFinding', when: `view == ${VIEW} && viewItem == finding`, group: 'finding@1' },
        { command: 'mcpSentinel.openRuleDocumentation', when: isFinding, group: 'finding@2' },
        { command: 'mcpSentinel.copyFingerprint', when: isFinding, group: 'finding@3' },
      ],
      commandPalette: COMMANDS.filter((c) => c.palette).map((c) => ({ command: c.command, when: c.palette })),
    },
  };
}
