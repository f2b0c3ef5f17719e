// The end-to-end runner (`npm run test:e2e`): installs its tools (setup.mjs), packages the extension as a .vsix and
// installs it into a fresh extensions folder, then for each fixture workspace starts code-server in its own process
// group, runs the in-host suite (test/e2e/suite) inside the real extension host, runs the on-screen checks with
// Playwright in Chromium, and always stops the server. It ends with the plain line `N passed, N failed`, which CI
// reads, and exits 1 when anything failed.
//
// Usage: node scripts/e2e/run.mjs [--fixture NAME]... [--keep]
//   --fixture  run only these fixtures (single-root, multi-root, no-mcp, untrusted, vet)
//   --keep     keep the temporary folder (copied workspaces, server logs) for debugging
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildSuite } from './buildSuite.mjs';
import { installVsix, startCodeServer, stopCodeServer } from './codeServer.mjs';
import { packageVsix } from './package.mjs';
import { screenChecks } from './screen.mjs';
import { setup } from './setup.mjs';
import { checkVsixContents } from './vsixContents.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = join(root, 'test-artifacts', 'e2e');
// The in-host suite prints each result between these markers (test/e2e/suite/index.ts), because the forwarded
// console lines carry extra decoration around the text.
const RESULT_PREFIX = '[e2e-result] ';
const RESULT_SUFFIX = ' [/e2e-result]';

/** The fixture workspaces, by shape; `workspace` names a .code-workspace file inside the fixture folder. */
const FIXTURES = [
  { name: 'single-root', trust: true, screen: true },
  { name: 'multi-root', trust: true, workspace: 'e2e.code-workspace' },
  { name: 'no-mcp', trust: true },
  { name: 'untrusted', trust: false },
  { name: 'vet', trust: true },
];

const argv = process.argv.slice(2);
const only = argv.flatMap((a, i) => (argv[i - 1] === '--fixture' ? [a] : []));
const keep = argv.includes('--keep');

/** Every check's outcome, in order. */
const results = [];

function record(name, ok, ms, error) {
  results.push({ name, ok, ms, error });
  const mark = ok ? 'ok  ' : 'FAIL';
  console.log(`${mark} ${name} (${ms} ms)${error ? `\n       ${String(error).split('\n').join('\n       ')}` : ''}`);
}

/** Runs one named check of the runner itself, recording it as passed or failed. */
async function check(name, fn) {
  const t = Date.now();
  try {
    await fn();
    record(name, true, Date.now() - t);
  } catch (e) {
    record(name, false, Date.now() - t, e instanceof Error ? e.message : String(e));
  }
}

function step(msg) {
  console.log(`[e2e] ${msg}`);
}

/**
 * Opens the fixture with the in-host suite as the smoke-test payload and waits for its exit code. The extension
 * under test is the one installed from the .vsix: its installed folder is given as the development path, so the
 * packaged files are what runs.
 */
async function runInHost(browser, server, fixture, wsPath, extensionPath, suitePath) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(suitePath)],
  ];
  const query = fixture.workspace
    ? `workspace=${encodeURIComponent(join(wsPath, fixture.workspace))}`
    : `folder=${encodeURIComponent(wsPath)}`;
  const url = `${server.url}/?${query}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const lines = [];
  const consoleLines = [];
  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    for (const a of Array.isArray(args) ? args : [args]) lines.push(typeof a === 'string' ? a : JSON.stringify(a));
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  page.on('console', (m) => consoleLines.push(m.text()));
  const t0 = Date.now();
  try {
    await page.goto(url);
    let timer;
    const timeout = new Promise((r) => (timer = setTimeout(() => r('timeout'), 240_000)));
    const code = await Promise.race([exited, timeout]);
    // A pending timer would keep the runner alive for minutes after the last check.
    clearTimeout(timer);
    // The extension host's console reaches the page through codeAutomationLog; fall back to the page console.
    const source = lines.some((l) => l.includes(RESULT_PREFIX)) ? lines : consoleLines;
    const seen = new Set();
    let count = 0;
    for (const l of source) {
      for (let i = l.indexOf(RESULT_PREFIX); i >= 0; i = l.indexOf(RESULT_PREFIX, i + 1)) {
        const end = l.indexOf(RESULT_SUFFIX, i);
        if (end < 0) break;
        const jsonText = l.slice(i + RESULT_PREFIX.length, end);
        if (seen.has(jsonText)) continue;
        seen.add(jsonText);
        const r = JSON.parse(jsonText);
        record(`${fixture.name}: ${r.title}`, r.ok, r.ms, r.error);
        count++;
      }
    }
    if (code === 'timeout')
      record(`${fixture.name}: in-host suite finished`, false, Date.now() - t0, 'no exit code within 240 s');
    else if (count === 0)
      record(
        `${fixture.name}: in-host suite ran tests`,
        false,
        Date.now() - t0,
        `exit code ${code} and no test results; last log lines:\n${[...lines, ...consoleLines].slice(-15).join('\n')}`,
      );
    else if (code !== 0 && results.slice(-count).every((r) => r.ok)) {
      record(
        `${fixture.name}: in-host suite exit code`,
        false,
        Date.now() - t0,
        `exit code ${code} although every reported test passed`,
      );
    }
    writeFileSync(
      join(artifacts, `${fixture.name}-host.log`),
      [...lines, '--- page console ---', ...consoleLines].join('\n'),
    );
    await page.screenshot({ path: join(artifacts, `${fixture.name}-in-host.png`) });
  } finally {
    await context.close();
  }
}

async function main() {
  const t0 = Date.now();
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });

  step('installing tools (skipped when present)');
  const tools = setup();

  step('building and packaging the extension');
  const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-e2e-'));
  const vsix = packageVsix(join(tmp, 'mcp-sentinel.vsix'));
  const suitePath = await buildSuite();
  await check('package: the .vsix holds exactly the allowlisted files', () => checkVsixContents(vsix));

  const extensionsDir = join(tmp, 'extensions');
  step(`installing ${vsix} into ${extensionsDir}`);
  installVsix(tools, vsix, extensionsDir, join(tmp, 'install-user-data'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const extensionPath = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);

  const browser = await chromium.launch({
    executablePath: tools.chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  try {
    for (const fixture of FIXTURES.filter((f) => only.length === 0 || only.includes(f.name))) {
      const workDir = join(tmp, fixture.name);
      // Each run edits a fresh copy, so tests may change files and workspace settings without touching the repo.
      const wsPath = join(workDir, 'ws', fixture.name);
      cpSync(join(root, 'test', 'e2e', 'fixtures', fixture.name), wsPath, { recursive: true });
      step(`${fixture.name}: starting code-server${fixture.trust ? '' : ' with workspace trust on'}`);
      const logFile = join(artifacts, `${fixture.name}-code-server.log`);
      let server;
      try {
        server = await startCodeServer(tools, { extensionsDir, workDir, trust: fixture.trust, logFile });
        await runInHost(browser, server, fixture, wsPath, extensionPath, suitePath);
        if (fixture.screen) {
          // A second, untouched copy for what a person sees: the in-host tests edited and reconfigured the first.
          const screenWs = join(workDir, 'screen', fixture.name);
          cpSync(join(root, 'test', 'e2e', 'fixtures', fixture.name), screenWs, { recursive: true });
          await screenChecks({
            browser,
            server,
            wsPath: screenWs,
            artifacts,
            check: (name, fn) => check(`${fixture.name} (screen): ${name}`, fn),
          });
        }
      } catch (e) {
        record(`${fixture.name}: harness`, false, 0, e instanceof Error ? (e.stack ?? e.message) : String(e));
      } finally {
        if (server) await stopCodeServer(server);
      }
    }
  } finally {
    await browser.close();
    if (!keep) rmSync(tmp, { recursive: true, force: true });
    else step(`kept ${tmp}`);
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  step(`screenshots and logs in ${artifacts}; total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
  process.exitCode = 1;
});
