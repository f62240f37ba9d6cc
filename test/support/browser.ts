/**
 * The browser for browser tests: Debian's chromium driven by playwright-core, never a downloaded
 * build. A missing chromium fails the test with the fix, rather than skipping it silently.
 */
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep chromium off the network we do not have (background services, updates, sync). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Browser tests use the system chromium, never a download: ` +
        'run "apt-get install -y chromium" (Debian) or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** A page and what went wrong in it. */
export interface Watched {
  page: Page;
  /** Page errors, console errors, CSP violations and requests that left the app's origin. */
  problems: string[];
  /** Every response with a status of 400 or more, as "status METHOD path". */
  failures: string[];
}

/** A fresh browser context whose page reports everything that went wrong in it. */
export async function openWatchedPage(
  browser: Browser,
  contexts: BrowserContext[],
  baseUrl: string,
  viewport: { width: number; height: number },
): Promise<Watched> {
  const context = await browser.newContext({ viewport, locale: 'vi-VN' });
  contexts.push(context);
  // Well under jest's timeout, so a missing element fails with playwright's message.
  context.setDefaultTimeout(10_000);
  // The event reports every CSP violation, even one the browser would not print to the console.
  // (An init script is injected by the browser, so it runs despite the page's script-src 'self'.)
  // Page-side code as a string: the project compiles for Node (no DOM types).
  await context.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' in ' + e.sourceFile + ':' + e.lineNumber));",
  );
  const page = await context.newPage();
  const problems: string[] = [];
  const failures: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  page.on('console', (msg) => {
    // A failed load is reported with its address below (some are expected, e.g. a refused sign-in).
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(`${baseUrl}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.push(`request outside the app: ${url}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) failures.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
  });
  return { page, problems, failures };
}
