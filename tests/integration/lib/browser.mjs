// Headless Chromium for the UI end-to-end test, driven by playwright-core.
//
// Requires: a Chromium binary (env OTELSTACK_CHROMIUM, else Debian's
// /usr/bin/chromium); playwright-core never downloads one.
// Promises:
//   - chromiumPath() returns the binary's path, or null when there is none.
//   - openBrowser(t, baseUrl) launches headless Chromium, opens one page whose
//     relative URLs resolve against baseUrl, and closes the browser when test
//     `t` ends. The page records console errors, uncaught page errors and
//     failed /api responses (pageProblems) so a failing step can print them.
//   - Screenshots(dir) saves full-page PNGs named NN-<name>.png in order
//     (and first removes such files left by an earlier run).
//   - expectCount / expectText poll a locator like Playwright's expect does
//     (no fixed sleeps) and fail with what was last seen.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

// Default timeout of every Playwright action and wait, in ms.
export const STEP_TIMEOUT_MS = 15000;

export function chromiumPath() {
  const candidates = [process.env.OTELSTACK_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

export async function openBrowser(t, baseUrl, { executablePath = chromiumPath() } = {}) {
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  t.after(() => browser.close());
  return { browser, ...(await newPage(browser, baseUrl)) };
}

// A fresh context (its own cookies) with one page; problems collects what
// went wrong in the page for failure messages.
export async function newPage(browser, baseUrl) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1440, height: 900 },
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  // Copy buttons use the clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith('/api/') && res.status() >= 400) {
      problems.push(`${res.request().method()} ${url.pathname} -> ${res.status()}`);
    }
  });
  return { context, page, problems };
}

const MAX_SHOT_HEIGHT = 4000;

// Resolves after the page has rendered two more frames (layout after a
// resize has settled).
function nextFrames(page) {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

export class Screenshots {
  // Shots of an earlier run (NN-name.png) are removed so the directory shows
  // this run only; other files are left alone.
  constructor(dir) {
    this.dir = dir;
    this.saved = [];
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      if (/^\d{2}-[\w-]+\.png$/.test(name)) rmSync(path.join(dir, name), { force: true });
    }
  }

  // The app scrolls inside <main>, not the document, so a full-page shot
  // would stop at the viewport: the viewport is stretched to the tallest
  // scrolled content for the shot (at most MAX_SHOT_HEIGHT), then restored.
  async take(page, name) {
    const file = path.join(this.dir, `${String(this.saved.length + 1).padStart(2, '0')}-${name}.png`);
    const viewport = page.viewportSize();
    const height = await page.evaluate(() =>
      Math.max(document.documentElement.scrollHeight, ...[...document.querySelectorAll('main')].map((m) => m.scrollHeight + m.getBoundingClientRect().top)),
    );
    const stretched = Math.min(Math.max(height, viewport.height), MAX_SHOT_HEIGHT);
    if (stretched > viewport.height) {
      await page.setViewportSize({ width: viewport.width, height: stretched });
      await nextFrames(page);
    }
    try {
      await page.screenshot({ path: file, fullPage: true });
    } finally {
      if (stretched > viewport.height) await page.setViewportSize(viewport);
    }
    this.saved.push(file);
    return file;
  }
}

// Polls `read` (async) every 100 ms until `accept(value)` holds; throws with
// the last value after timeoutMs. The building block of the expect* helpers.
export async function poll(what, read, accept, { timeoutMs = STEP_TIMEOUT_MS } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const shown = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${shown}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function expectCount(locator, n, what, opts) {
  return poll(`${what}: ${n} element(s)`, () => locator.count(), (c) => c === n, opts);
}

// Waits until the locator's text (first match) matches `pattern` (a RegExp
// or a substring); returns the text.
export function expectText(locator, pattern, what, opts) {
  const test = typeof pattern === 'string' ? (s) => s.includes(pattern) : (s) => pattern.test(s);
  return poll(`${what}: text ${pattern}`, () => locator.first().innerText(), test, opts);
}
