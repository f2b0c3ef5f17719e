/**
 * The extension manifest keys this client owns (`contributes` minus jsonValidation and grammars, `activationEvents`,
 * `capabilities`), generated from the typed settings so package.json cannot drift: test/unit/settings-sync.test.ts
 * compares package.json with these functions. No `vscode` import.
 */
import { COMMAND_IDS, type CommandName } from '../shared/protocol';
import { contributedProperties, restrictedSettings } from '../shared/settings';
import { ACTIVATION_LANGUAGE_IDS } from '../shared/languages';

/** How one command is contributed: its id comes from `COMMAND_IDS`, its category is always "MCP Sentinel". */
export interface CommandContribution {
  /** Title in the palette. */
  title: string;
  /** Codicon for view toolbars. */
  icon?: string;
  /** When the command shows in the palette (commands for tree items are hidden there). */
  palette?: string;
}

const CATEGORY = 'MCP Sentinel';

/** Id of the findings tree view. */
export const FINDINGS_VIEW = 'mcpSentinel.findings';

/** The context keys the client sets (`setContext`) and the manifest's `when` clauses read. */
export const CONTEXT_KEYS = {
  /** True while a workspace scan runs. */
  scanning: 'mcpSentinel.scanning',
  /** True when the tree holds any finding, suppressed ones included. */
  hasFindings: 'mcpSentinel.hasFindings',
  /** How the tree groups findings: `file` or `category`. */
  grouping: 'mcpSentinel.grouping',
} as const;

const VIEW = FINDINGS_VIEW;
const { scanning: SCANNING, hasFindings: HAS_FINDINGS, grouping: GROUPING } = CONTEXT_KEYS;

/**
 * Every command, keyed by its name in `COMMAND_IDS` (the type makes a missing or unknown one a compile error), in
 * the order package.json lists them.
 */
export const COMMANDS: { readonly [K in CommandName]: CommandContribution } = {
  scanWorkspace: { title: 'Scan Workspace', icon: '$(search)', palette: 'workspaceFolderCount > 0' },
  cancelScan: { title: 'Cancel Scan', icon: '$(debug-stop)', palette: SCANNING },
  exportReport: { title: 'Export Report (SARIF, JSON, HTML)', icon: '$(export)' },
  showOutput: { title: 'Show Output' },
  openRuleDocumentation: { title: 'Open Rule Documentation', icon: '$(book)' },
  clearFindings: { title: 'Clear Findings', icon: '$(clear-all)' },
  groupByFile: { title: 'Group by File', icon: '$(list-tree)', palette: 'false' },
  groupByCategory: { title: 'Group by Category', icon: '$(symbol-class)', palette: 'false' },
  filterSeverity: { title: 'Filter by Severity…', icon: '$(filter)' },
  filterCategory: { title: 'Filter by Category…' },
  toggleShowSuppressed: { title: 'Show or Hide Suppressed Findings', icon: '$(eye)' },
  suppressFinding: { title: 'Suppress on This Line', palette: 'false' },
  copyFingerprint: { title: 'Copy Fingerprint', palette: 'false' },
  vetServers: { title: 'Vet Configured Servers', icon: '$(package)', palette: 'workspaceFolderCount > 0' },
  vetServer: { title: 'Vet This Server', palette: 'false' },
};

/** The commands as [name, contribution] pairs, in declaration order. */
function commandEntries(): [CommandName, CommandContribution][] {
  return Object.entries(COMMANDS) as [CommandName, CommandContribution][];
}

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

/**
 * `activationEvents`: MCP markers, and the languages in which a marker `workspaceContains` cannot see is written
 * (an SDK import, a config opened from elsewhere); never `*`. Activation on a language alone leaves the extension
 * dormant, with no server process, until client/dormancy.ts finds a marker. Commands, the view and the walkthrough
 * activate it implicitly (VS Code adds their events from `contributes`).
 */
export function activationEvents(): string[] {
  return [
    ...WORKSPACE_MARKERS.map((g) => `workspaceContains:${g}`),
    ...ACTIVATION_LANGUAGE_IDS.map((l) => `onLanguage:${l}`),
  ];
}

/** `capabilities`: limited support in untrusted workspaces, with settings that point at files or executables restricted. */
export function capabilities(): Record<string, unknown> {
  return {
    untrustedWorkspaces: {
      supported: 'limited',
      description:
        'In untrusted workspaces MCP Sentinel scans files but ignores workspace settings that point at executables or config files, and never vets configured packages by itself.',
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

/** Id of the getting-started walkthrough (`contributes.walkthroughs`). */
export const WALKTHROUGH = 'mcpSentinel.gettingStarted';

/**
 * The walkthrough: a first scan, the findings view, suppression. Each step's page is a Markdown file in
 * media/walkthrough/ (they ship in the .vsix with the rest of media/), and each completes on the action it teaches.
 */
function walkthroughs(): unknown[] {
  const step = (id: string, title: string, description: string, page: string, completionEvents: string[]) => ({
    id,
    title,
    description,
    media: { markdown: `media/walkthrough/${page}.md` },
    completionEvents,
  });
  return [
    {
      id: WALKTHROUGH,
      title: 'Get started with MCP Sentinel',
      description: 'Scan MCP servers and MCP client configs, read the findings and suppress what you have reviewed.',
      steps: [
        step(
          'scan',
          'Scan the workspace',
          `Open files are scanned as you type; scan every file at once to fill the findings view.\n[Scan Workspace](command:${COMMAND_IDS.scanWorkspace})`,
          'first-scan',
          [`onCommand:${COMMAND_IDS.scanWorkspace}`],
        ),
        step(
          'findings',
          'Read the findings',
          'The MCP Sentinel view groups findings by file or category, with filters and the rule documentation.\n[Open the Findings View](command:workbench.view.extension.mcpSentinel)',
          'findings',
          [`onView:${VIEW}`],
        ),
        step(
          'suppress',
          'Suppress what you have reviewed',
          `Inline comments, the ignore file and a baseline, each with a reason.\n[Show Suppressed Findings](command:${COMMAND_IDS.toggleShowSuppressed})`,
          'suppress',
          [`onCommand:${COMMAND_IDS.toggleShowSuppressed}`, `onCommand:${COMMAND_IDS.suppressFinding}`],
        ),
      ],
    },
  ];
}

/** The `contributes` keys owned by the client (merged with jsonValidation and grammars from the config module). */
export function contributes(): Record<string, unknown> {
  const isFinding = `view == ${VIEW} && viewItem =~ /^finding/`;
  return {
    configuration: { title: 'MCP Sentinel', properties: contributedProperties() },
    languages: [{ id: 'jsonc', ...JSONC_FILES }],
    commands: commandEntries().map(([name, { title, icon }]) => ({
      command: COMMAND_IDS[name],
      title,
      category: CATEGORY,
      ...(icon ? { icon } : {}),
    })),
    walkthroughs: walkthroughs(),
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
        contents: `This workspace is not trusted: MCP Sentinel scans its files but ignores workspace settings that point at executables or config files.\n[Manage Workspace Trust](command:workbench.trust.manage)\n[Scan Workspace](command:${COMMAND_IDS.scanWorkspace})`,
        when: `workbenchState != empty && !isWorkspaceTrusted && !${SCANNING} && !${HAS_FINDINGS}`,
      },
      {
        view: VIEW,
        contents: `Scanning the workspace…\n[Cancel Scan](command:${COMMAND_IDS.cancelScan})`,
        when: SCANNING,
      },
      {
        view: VIEW,
        contents: `No findings. Open an MCP server or config file, or scan the whole workspace.\n[Scan Workspace](command:${COMMAND_IDS.scanWorkspace})`,
        when: `workbenchState != empty && isWorkspaceTrusted && !${SCANNING} && !${HAS_FINDINGS}`,
      },
    ],
    menus: {
      'view/title': [
        {
          command: COMMAND_IDS.scanWorkspace,
          when: `view == ${VIEW} && !${SCANNING}`,
          group: 'navigation@1',
        },
        { command: COMMAND_IDS.cancelScan, when: `view == ${VIEW} && ${SCANNING}`, group: 'navigation@1' },
        {
          command: COMMAND_IDS.groupByCategory,
          when: `view == ${VIEW} && ${GROUPING} == file`,
          group: 'navigation@2',
        },
        {
          command: COMMAND_IDS.groupByFile,
          when: `view == ${VIEW} && ${GROUPING} == category`,
          group: 'navigation@2',
        },
        { command: COMMAND_IDS.filterSeverity, when: `view == ${VIEW}`, group: 'navigation@3' },
        { command: COMMAND_IDS.filterCategory, when: `view == ${VIEW}`, group: 'filter@1' },
        { command: COMMAND_IDS.toggleShowSuppressed, when: `view == ${VIEW}`, group: 'filter@2' },
        { command: COMMAND_IDS.vetServers, when: `view == ${VIEW}`, group: 'vet@1' },
        { command: COMMAND_IDS.exportReport, when: `view == ${VIEW}`, group: 'report@1' },
        { command: COMMAND_IDS.clearFindings, when: `view == ${VIEW}`, group: 'report@2' },
      ],
      'view/item/context': [
        { command: COMMAND_IDS.suppressFinding, when: `view == ${VIEW} && viewItem == finding`, group: 'finding@1' },
        { command: COMMAND_IDS.openRuleDocumentation, when: isFinding, group: 'finding@2' },
        { command: COMMAND_IDS.copyFingerprint, when: isFinding, group: 'finding@3' },
      ],
      commandPalette: commandEntries()
        .filter(([, c]) => c.palette)
        .map(([name, c]) => ({ command: COMMAND_IDS[name], when: c.palette })),
    },
  };
}
