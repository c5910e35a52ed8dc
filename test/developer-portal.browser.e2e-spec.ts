import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { ROOT } from '../infra/dev/services';
import { stack, uniqueEmail } from './support/e2e';
import { DEV_PASSWORD, onGateway } from './support/developers';
import { verificationLink, waitForMails } from './support/mailbox';

const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run',
  '--disable-component-update', '--disable-sync',
];

/** The developer portal in Debian's Chromium (playwright-core drives it), clicked through as a person would. */
describe('Developer portal in a browser', () => {
  let gateway: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const shot = (name: string, on: Page = page) => on.screenshot({ path: join(SCREENSHOTS, `developer-portal-${name}.png`), fullPage: true });

  beforeAll(async () => {
    gateway = stack().gateways[0];
    mkdirSync(SCREENSHOTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'marquee-chromium-'));
    // A persistent context on a fresh directory: the --user-data-dir of this run only.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('signs up, verifies from the real mail, manages keys, calls the API from the playground and charts the usage', async () => {
    const email = uniqueEmail('chromium');
    await page.goto(`${gateway}/portal/signup`);
    await page.fill('#name', 'Browser <b>Tester</b>');
    await page.fill('#email', 'not-an-address');
    await page.fill('#password', 'short');
    await page.click('button[type=submit]');
    await expectText(page, '[data-field-error="email"]', 'email must be an e-mail address');
    await expectText(page, '[data-field-error="password"]', 'at least 10 characters');
    await shot('signup-errors');

    await page.fill('#email', email);
    await page.fill('#password', DEV_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/portal\/check-inbox/);
    await expectText(page, '[data-testid="inbox-email"]', email);
    await shot('check-inbox');

    const [mail] = await waitForMails(email);
    await page.goto(`${gateway}${onGateway(verificationLink(mail))}`);
    await page.waitForURL(/\/portal\/welcome/);
    const firstKey = await page.inputValue('[data-testid="raw-key"]');
    expect(firstKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.textContent('h1')).toContain('Browser <b>Tester</b>');
    await shot('welcome-key-once');

    await page.click('text=Go to the dashboard');
    await page.waitForURL(/\/portal\/dashboard/);
    expect(await page.locator('[data-testid="keys-table"] tbody tr').count()).toBe(1);
    expect(await page.textContent('[data-testid="keys-table"]')).toContain(`${firstKey.slice(0, 8)}…`);
    expect(await page.textContent('[data-testid="keys-table"]')).not.toContain(firstKey);

    await page.fill('#new-key-name', 'Playground key');
    await page.click('#create-key-form button[type=submit]');
    await page.waitForSelector('[data-testid="raw-key-box"]:not(.d-none)');
    const secondKey = await page.inputValue('[data-testid="new-raw-key"]');
    expect(secondKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.locator('[data-testid="keys-table"] tbody tr').count()).toBe(2);
    await shot('key-created');

    expect(await page.inputValue('#pg-key')).toBe(secondKey);
    await page.selectOption('#pg-endpoint', '/search');
    await page.fill('#pg-title', 'matrix');
    await page.click('#playground button[type=submit]');
    await expectText(page, '[data-testid="playground-status"]', '200');
    expect(await page.textContent('[data-testid="playground-headers"]')).toMatch(/x-ratelimit-limit60x-ratelimit-remaining59/);
    expect(await page.textContent('[data-testid="playground-headers"]')).toContain('x-quota-remaining');
    expect(JSON.parse((await page.textContent('[data-testid="playground-body"]'))!).data[0].title).toMatch(/matrix/i);
    await shot('playground');

    const row = page.locator('tr', { hasText: 'Playground key' });
    await row.locator('[data-action="rotate"]').click();
    await page.click('[data-testid="confirm-ok"]');
    // The page reloads and shows the new value once.
    // Functions run in the page (serialised, so only their own code); the tests compile without
    // DOM types, hence globalThis. Not strings: the portal's CSP forbids the eval they would need.
    await page.waitForFunction((previous) => {
      const value = (globalThis as any).document.querySelector('[data-testid="new-raw-key"]')?.value ?? '';
      return value.length === 36 && value !== previous;
    }, secondKey);
    const rotated = await page.inputValue('[data-testid="new-raw-key"]');
    expect(rotated).not.toBe(secondKey);
    const oldValue = await fetch(`${gateway}/movies?limit=1`, { headers: { 'x-api-key': secondKey } });
    expect(oldValue.status).toBe(401);

    await page.locator('tr', { hasText: 'Default key' }).locator('[data-action="delete"]').click();
    await expectText(page, '#confirm-text', 'stops working at once');
    await page.click('[data-testid="confirm-ok"]');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="keys-table"] tbody tr').length === 1);
    expect((await fetch(`${gateway}/movies?limit=1`, { headers: { 'x-api-key': firstKey } })).status).toBe(401);

    // The playground call reaches the chart once the usage pipeline has persisted it.
    let summary = '';
    for (let attempt = 0; attempt < 50 && !/: [1-9]\d* requests ·/.test(summary); attempt += 1) {
      await page.reload();
      await page.waitForSelector('[data-testid="usage-chart"][data-rendered="true"]');
      summary = (await page.textContent('[data-testid="usage-summary"]')) ?? '';
    }
    expect(summary).toMatch(/^\w+: [1-9]\d* requests · \w+: \d+ requests$/);
    const bars = await page.evaluate(() => (globalThis as any).Chart.getChart((globalThis as any).document.getElementById('usage-chart')).data.datasets
      .map((d: { label: string; data: (number | null)[] }) => ({ label: d.label, total: d.data.reduce<number>((a, b) => a + (b ?? 0), 0) })));
    expect(bars).toHaveLength(2);
    expect(bars[0].total).toBeGreaterThanOrEqual(1);
    await shot('dashboard');

    const phone = await context.newPage();
    await phone.setViewportSize({ width: 375, height: 812 });
    await phone.goto(`${gateway}/portal/dashboard`);
    await phone.waitForSelector('[data-testid="usage-chart"][data-rendered="true"]');
    expect(await phone.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)).toBeLessThanOrEqual(375);
    await shot('dashboard-375px', phone);
    await phone.close();

    await page.click('text=Sign out');
    await page.waitForURL(/\/portal\/login/);
    await page.goto(`${gateway}/portal/dashboard`);
    await page.waitForURL(/\/portal\/login/);
    await shot('signed-out');
  });
});

async function expectText(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForSelector(selector);
  expect(await page.textContent(selector)).toContain(text);
}
