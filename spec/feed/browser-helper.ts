import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Headless Chromium for tests of the live page. The helpers take only a base
 * URL, so they work against the fixture server of the feed specs and against
 * the full service alike.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep Chromium from opening any connection except those the page makes. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Returns why the browser tests must skip, or undefined when Chromium is installed. */
export function chromiumSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) {
    return undefined;
  }
  return `Chromium not found at ${CHROMIUM_PATH}; install it (apt-get install -y chromium) to run the browser tests.`;
}

/**
 * Launches Chromium with a fresh profile directory and opens the live page at
 * `baseUrl` with `query` (for example `{ token }`). The browser and the
 * profile are removed when the test ends.
 */
export async function openLivePage(
  t: TestContext,
  baseUrl: string,
  query: Readonly<Record<string, string>> = {},
): Promise<Page> {
  const context = await launchChromium(t);
  const page = await context.newPage();

  const url = new URL('/', baseUrl);
  for (const [name, value] of Object.entries(query)) {
    url.searchParams.set(name, value);
  }
  await page.goto(url.toString());
  return page;
}

async function launchChromium(t: TestContext): Promise<BrowserContext> {
  // Playwright sets --user-data-dir itself from the persistent-context directory.
  const userDataDir = await mkdtemp(join(tmpdir(), 'jira-port-stream-chromium-'));
  t.after(() => rm(userDataDir, { recursive: true, force: true }));

  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1360, height: 900 },
  });
  t.after(() => context.close());
  return context;
}

/** Waits until the page's connection status has `state` (`connecting`, `live` or `closed`) and returns its text. */
export async function waitForStatus(page: Page, state: 'connecting' | 'live' | 'closed'): Promise<string> {
  const status = page.locator(`#status[data-state="${state}"]`);
  await status.waitFor();
  return status.innerText();
}

/** The cells of one row of the live page's result table. */
export interface ResultRow {
  readonly offset: string;
  readonly finished: string;
  readonly webhookEvent: string;
  readonly kinds: string;
  readonly outcome: string;
  readonly entities: string;
  readonly reasonOrError: string;
}

/** Waits until the row for `offset` appears and returns its cells. */
export async function waitForResultRow(page: Page, offset: number): Promise<ResultRow> {
  const row = page.locator(`#rows tr[data-offset="${offset}"]`);
  await row.waitFor();

  const cells = await row.locator('td').allInnerTexts();
  const [offsetText, finished, webhookEvent, kinds, outcome, entities, reasonOrError] = cells;
  return {
    offset: offsetText ?? '',
    finished: finished ?? '',
    webhookEvent: webhookEvent ?? '',
    kinds: kinds ?? '',
    outcome: outcome ?? '',
    entities: entities ?? '',
    reasonOrError: reasonOrError ?? '',
  };
}

/** Returns the offsets of the table rows, newest first. */
export async function resultRowOffsets(page: Page): Promise<number[]> {
  const offsets = await page.locator('#rows tr').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset['offset']));
  return offsets.map(Number);
}

/** Returns the count shown for `name` in the outcome (`#outcome-counts`) or kind (`#kind-counts`) panel. */
export async function shownCount(page: Page, panel: 'outcome-counts' | 'kind-counts', name: string): Promise<number> {
  const text = await page.locator(`#${panel} li[data-name="${name}"] strong`).innerText();
  return Number(text);
}

/**
 * Returns the repository root: the nearest directory above this file that
 * contains package.json. Works from `spec/feed/` under tsx and from
 * `dist/spec/feed/` after compilation.
 */
export function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) {
      throw new Error(`No package.json found above ${fileURLToPath(import.meta.url)}.`);
    }
    directory = parent;
  }
  return directory;
}
