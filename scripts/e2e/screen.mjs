// On-screen checks: what a person sees in the workbench with the installed .vsix, driven with Playwright on a fresh
// copy of the single-root fixture. Each check saves a screenshot under test-artifacts/e2e/ (git-ignored): look at
// them, a passing selector is not proof that the screen looks right.
import { join } from 'node:path';

/** Lines (1-based) that must carry an error squiggle in tools.py, and only those: see the fixture's README. */
const TOOLS_PY_ERROR_LINES = [6, 14];
/** The number of findings the single-root fixture holds (the CLI's JSON report on it lists the same seven). */
const SINGLE_ROOT_FINDINGS = 7;

async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget input');
  // On a loaded machine the palette can close again between opening and typing (the workbench moves focus when a
  // late notification or view update lands): then it is opened once more, which is what a person would do.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    try {
      await input.fill(`>${title}`, { timeout: 10_000 });
      break;
    } catch (e) {
      if (attempt === 3 || (await input.isVisible())) throw e;
    }
  }
  // The first row must be the command itself, not a fuzzy neighbour.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** The 1-based editor lines that hold an element matching `selector` inside the active editor's overlays. */
async function squiggleLines(page, selector) {
  return page.evaluate((sel) => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editor) return [];
    // Rows are positioned absolutely, and view zones (the tool CodeLens above a registration) push the rows below
    // them down, so a row's line number is read from the gutter row at the same height, not computed from it.
    const numberAt = new Map();
    for (const n of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
      const row = n.parentElement;
      if (row?.style.top) numberAt.set(Math.round(parseFloat(row.style.top)), Number(n.textContent.trim()));
    }
    const lines = new Set();
    for (const el of editor.querySelectorAll(`.view-overlays ${sel}`)) {
      const line = numberAt.get(Math.round(parseFloat(el.parentElement.style.top)));
      if (line) lines.add(line);
    }
    return [...lines].sort((a, b) => a - b);
  }, selector);
}

async function until(fn, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last.ok) return last.value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last.value)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Opens the fixture without a test payload (a normal window with the installed extension) and checks the screen.
 * `check(name, fn)` records each check; later checks still run when an earlier one failed.
 */
export async function screenChecks({ browser, server, wsPath, artifacts, check }) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const shot = (name) => page.screenshot({ path: join(artifacts, `screen-${name}.png`) });
  try {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(wsPath)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });

    await check('squiggles on the planted lines of tools.py', async () => {
      await openFile(page, 'tools.py');
      const lines = await until(async () => {
        const v = await squiggleLines(page, '.squiggly-error');
        return { ok: v.length >= TOOLS_PY_ERROR_LINES.length, value: v };
      }, 'error squiggles in tools.py');
      await shot('1-squiggles');
      if (JSON.stringify(lines) !== JSON.stringify(TOOLS_PY_ERROR_LINES)) {
        throw new Error(`error squiggles on lines ${lines.join(', ')}; expected ${TOOLS_PY_ERROR_LINES.join(', ')}`);
      }
    });

    await check('hover shows the finding with the secret masked', async () => {
      const squiggle = page.locator('.editor-group-container.active .view-overlays .squiggly-error').first();
      const box = await squiggle.boundingBox();
      if (!box) throw new Error('no squiggle to hover');
      await page.mouse.move(box.x + Math.min(20, box.width / 2), box.y + box.height / 2);
      const hover = page.locator('.monaco-hover:not(.hidden)').first();
      await hover.waitFor({ state: 'visible', timeout: 15_000 });
      await until(async () => {
        const t = (await hover.innerText()).replace(/\s+/g, ' ');
        return { ok: t.includes('AWS access key ID'), value: t.slice(0, 400) };
      }, 'the AWS key finding in the hover');
      await shot('2-hover');
      const text = await hover.innerText();
      if (text.includes('AKIAZ7QW3RT5YU2IOP4N')) throw new Error('the hover prints the whole secret');
      await page.keyboard.press('Escape');
    });

    await check('status item shows the regex backend', async () => {
      const item = page.locator('.statusbar-item', { hasText: 'MCP Sentinel' }).first();
      const text = await until(async () => {
        const t = (await item.count()) ? await item.innerText() : '';
        return { ok: /MCP Sentinel: (re2|js)\b/.test(t), value: t };
      }, 'the backend in the status item');
      await shot('3-status');
      // The client starts the server with the machine's node, for which re2 was built: it must be the re2 backend.
      if (!text.includes('re2')) throw new Error(`status item says "${text}", expected the re2 backend`);
    });

    await check('workspace scan fills the findings view, grouped, with a badge', async () => {
      await runCommand(page, 'MCP Sentinel: Scan Workspace');
      const badge = page
        .locator('.activitybar .action-item', { has: page.locator('[aria-label^="MCP Sentinel"]') })
        .locator('.badge-content');
      const count = await until(async () => {
        const t = (await badge.count()) ? (await badge.first().innerText()).trim() : '';
        return { ok: t === String(SINGLE_ROOT_FINDINGS), value: t };
      }, `a badge of ${SINGLE_ROOT_FINDINGS}`);
      await runCommand(page, 'MCP Sentinel: Focus on Findings View');
      const rows = page.locator('.pane-body .monaco-list-row');
      const labels = await until(async () => {
        const all = await rows.allInnerTexts();
        const t = all.map((s) => s.replace(/\s+/g, ' ').trim());
        return { ok: ['tools.py', 'server.ts', 'mcp.json'].every((f) => t.some((l) => l.includes(f))), value: t };
      }, 'one group per file in the findings view');
      await shot('4-findings-view');
      if (count !== String(SINGLE_ROOT_FINDINGS)) throw new Error(`badge ${count}`);
      return labels;
    });

    await check('Problems panel lists the findings', async () => {
      await page.keyboard.press('Control+Shift+M');
      const panel = page.locator('.markers-panel');
      await panel.waitFor({ state: 'visible' });
      await until(async () => {
        const t = await panel.innerText();
        const want = [
          'secret-aws-access-key-id',
          'py-command-injection',
          'js-command-injection',
          'mcp-config-plaintext-secret',
        ];
        return { ok: want.every((w) => t.includes(w)), value: t.slice(0, 600) };
      }, 'the planted findings in the Problems panel');
      await shot('5-problems');
    });
  } catch (e) {
    await shot('error').catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
}
