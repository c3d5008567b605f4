// Plays the person at the browser: opens the authorization URL (or a device verification URL) in
// Debian's headless Chromium, logs in and consents on oidc-provider's development pages, and stops
// when the app's loopback listener has answered (or the device sign-in succeeded, or the
// provider's demo single-page app says it is done). Prints one JSON line: the final URL and the
// text of the page shown. With E2E_HAR set, Chromium records the whole visit as a HAR there
// (Playwright's recordHar, bodies embedded), as a person's DevTools export would. With
// E2E_PROFILE set, that directory is the browser profile and is kept: a later visit (a sign-out)
// has the provider's session cookie of an earlier sign-in, as one person's browser would.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = process.argv[2];
if (!url) {
  console.error('usage: node browser-login.mjs AUTHORIZATION_URL');
  process.exit(2);
}

const profile = process.env.E2E_PROFILE || mkdtempSync(join(tmpdir(), 'workbench-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  ...(process.env.E2E_HAR ? { recordHar: { path: process.env.E2E_HAR, content: 'embed' } } : {}),
});

let result;
try {
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  for (let step = 0; step < 20; step += 1) {
    if (await page.locator('[data-workbench-page]:not([data-workbench-page="relay"])').count()) break;
    if (await page.locator('body[data-spa-done]').count()) break;
    // The device flow ends on the provider's own page, not the app's.
    if ((await page.title()) === 'Sign-in Success') break;
    const login = page.locator('input[name=login]');
    const submit = page.locator('button[type=submit]');
    if (await login.count()) {
      await login.fill(process.env.E2E_LOGIN || 'alice');
      await page.locator('input[name=password]').fill('any-password');
      await Promise.all([page.waitForNavigation({ timeout: 15000 }), submit.first().click()]);
    } else if (await submit.count()) {
      await Promise.all([page.waitForNavigation({ timeout: 15000 }), submit.first().click()]);
    } else {
      await page.waitForTimeout(250);
    }
  }
  const outcome = await page.locator('html').getAttribute('data-workbench-page');
  result = { finalUrl: page.url(), outcome, text: await page.locator('body').innerText() };
} catch (error) {
  result = { error: String(error) };
} finally {
  await context.close();
  if (!process.env.E2E_PROFILE) rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
process.exit(result.error ? 1 : 0);
