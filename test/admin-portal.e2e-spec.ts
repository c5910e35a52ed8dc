import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { openBrowser, SCREENSHOTS } from './support/browser';
import { call, eventually } from './support/e2e';
import { generatedCsv, startOwnStack } from './support/imports';
import { RunningStack } from './support/stack';

jest.setTimeout(300_000);

const XSS_TITLE = '<img src=x onerror=alert(1)>';

/** The admin portal in headless Chromium, as an admin uses it. */
describe('Admin portal in a browser', () => {
  let stack: RunningStack;
  let stop: () => Promise<void>;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const dialogs: string[] = [];
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const go = async (hash: string) => {
    await page.goto(`${base}/admin/#${hash}`);
    await page.locator(`[data-page="${hash}"]`).waitFor();
  };

  beforeAll(async () => {
    ({ stack, stop } = await startOwnStack({ gateways: 1, redisDb: 6, name: 'marquee_portal' }));
    base = stack.gateways[0];
    browser = await openBrowser();
    context = browser.context;
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.accept();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stop?.();
  });

  it('refuses a wrong password, then signs in and shows the overview', async () => {
    // An admin who also uses the developer portal carries its CSRF cookie too; the admin's own must not be confused with it.
    await page.goto(`${base}/portal/login`);
    expect((await context.cookies(`${base}/portal/`)).some((c) => c.name === 'marquee_csrf')).toBe(true);
    await page.goto(`${base}/admin/`);
    await page.fill('#username', stack.adminUsername);
    await page.fill('#password', 'not-the-password');
    await page.click('#login-form button[type=submit]');
    await page.locator('#login-form .alert').waitFor();
    expect(await page.locator('#login-form .alert').textContent()).toContain('Wrong username or password');

    await page.fill('#password', stack.adminPassword);
    await page.click('#login-form button[type=submit]');
    await page.locator('[data-page="overview"] #stat-movies').waitFor();
    const cookies = await context.cookies(`${base}/admin/`);
    expect(cookies.find((c) => c.name === 'marquee_admin')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await eventually(async () => { await go('overview'); return page.locator('#stat-movies').textContent(); }, (t) => t !== '0', 60_000);
    await page.locator('#hourly-chart').waitFor();
    await shot('overview');
  });

  it('uploads a CSV and watches the progress bar finish, with rejected rows listed by line', async () => {
    await go('imports');
    const csv = `${generatedCsv('Portal Upload', 60_000).trimEnd()}\n"${XSS_TITLE.replace(/"/g, '""')}",2001,Drama,,shown as text\nPortal Bad Year,19x9,Drama,,x\n`;
    await page.setInputFiles('#import-file', { name: 'portal.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.selectOption('#import-mode', 'merge');
    await page.click('#upload-form button[type=submit]');
    const bar = page.locator('#import-progress [role=progressbar]');
    await bar.waitFor();
    const seen = new Set<string>();
    await eventually(async () => {
      const value = (await bar.getAttribute('aria-valuenow')) ?? '';
      seen.add(value);
      return value;
    }, (v) => v === '100', 120_000);
    await page.locator('#import-progress .badge', { hasText: 'completed' }).waitFor();
    expect(await page.locator('#import-counts [data-count=inserted]').textContent()).toBe((60_001).toLocaleString('en-US'));
    expect(await page.locator('#rejected-rows tbody tr').count()).toBe(1);
    expect(await page.locator('#rejected-rows tbody td').first().textContent()).toBe('60003');
    expect(await page.locator('#import-progress a', { hasText: 'Download report' }).getAttribute('href')).toMatch(/\/report\.csv$/);
    await shot('imports');
  });

  it('shows a title made of HTML as text in the movies table, running nothing', async () => {
    await go('movies');
    await page.fill('#movies-q', '<img');
    await page.click('[data-table=movies] button[type=submit]');
    const cell = page.locator('[data-table=movies] tbody td', { hasText: XSS_TITLE });
    await cell.waitFor();
    expect(await cell.textContent()).toBe(XSS_TITLE);
    expect(await page.locator('[data-table=movies] tbody img').count()).toBe(0);
    await page.click('[data-table=movies] th[data-sort=year]');
    await page.locator('[data-table=movies] th[data-sort=year][aria-sort=ascending]').waitFor();
    expect(dialogs.filter((d) => d.startsWith('alert'))).toEqual([]);
    await shot('movies-xss-as-text');
  });

  it('creates a key, suspends and resumes it, and the API follows on the next call', async () => {
    await go('keys');
    await page.fill('#key-owner', 'portal@gmail.com');
    await page.fill('#key-name', 'Portal key');
    await page.selectOption('#key-plan', 'pro');
    await page.click('#create-key button[type=submit]');
    const raw = (await page.locator('#raw-key').textContent())!;
    expect(raw).toMatch(/^[0-9a-f-]{36}$/);
    const api = (path: string) => call(base, path, { headers: { 'x-api-key': raw } });
    expect((await api('/movies?limit=1')).status).toBe(200);

    const row = page.locator('[data-table=keys] tbody tr', { hasText: 'Portal key' });
    await row.locator('button', { hasText: 'Suspend' }).click();
    await row.locator('.badge', { hasText: 'suspended' }).waitFor();
    expect((await api('/movies?limit=1')).status).toBe(403);
    await shot('keys-suspended');
    await row.locator('button', { hasText: 'Resume' }).click();
    await row.locator('.badge', { hasText: 'active' }).waitFor();
    expect((await api('/movies?limit=1')).status).toBe(200);
    for (let i = 0; i < 3; i += 1) expect((await api('/movies/999999999')).status).toBe(404);
  });

  it('filters the request logs by key and status', async () => {
    await go('logs');
    await page.fill('#logs-q', 'portal@gmail.com');
    await page.selectOption('#logs-status', '404');
    const rows = page.locator('[data-table=logs] tbody tr');
    await eventually(async () => {
      await page.click('[data-table=logs] button[type=submit]');
      // A function, not a string: a string predicate is eval'ed in the page while it polls, which
      // the portal's CSP (script-src 'self') refuses whenever the table is still busy at first look.
      await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-table=logs]')?.getAttribute('aria-busy') === 'false');
      return rows.count();
    }, (n) => n === 3, 60_000);
    for (const status of await rows.locator('td:nth-child(4)').allTextContents()) expect(status).toBe('404');
    expect(await page.locator('[data-table=logs] a', { hasText: 'Export CSV' }).getAttribute('href')).toContain('status=404');
    await shot('logs-filtered');
  });

  it('lists developers with their verification state and key count, names shown as text', async () => {
    const email = `users-page.${Date.now()}@gmail.com`;
    const signup = await call(base, '/auth/signup', { method: 'POST', body: { name: '<b>Bold</b> Dev', email, password: 'a-long-enough-password' } });
    expect(signup.status).toBe(201);
    await go('users');
    await page.fill('[data-table=users] input[type=search]', email);
    const row = page.locator('[data-table=users] tbody tr', { hasText: email });
    await eventually(async () => {
      await page.click('[data-table=users] button[type=submit]');
      await page.locator('[data-table=users][aria-busy=false]').waitFor();
      return row.count();
    }, (n) => n === 1, 30_000);
    expect(await row.locator('td').allTextContents()).toEqual(expect.arrayContaining(['<b>Bold</b> Dev', email, 'pending', '0']));
    expect(await page.locator('[data-table=users] tbody b').count()).toBe(0);
    await shot('users');
  });

  it('lists the actions in the audit page and shows the queue board only to a signed-in admin', async () => {
    await go('audit');
    await page.locator('[data-table=audit] tbody td', { hasText: 'key.suspend' }).first().waitFor();
    await shot('audit');
    const board = await page.goto(`${base}/admin/queues`);
    expect(board?.status()).toBe(200);
    expect(await page.title()).toContain('Marquee queues');
    expect((await call(base, '/admin/queues/api/queues')).status).toBe(401);
  });

  it('is usable 375 px wide: no sideways scrolling of the page', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    for (const hash of ['keys', 'imports']) {
      await go(hash);
      await page.locator(`[data-table=${hash}] tbody tr`).first().waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    }
    await go('keys');
    await page.locator('[data-table=keys] tbody tr').first().waitFor();
    await shot('keys-375px');
  });
});
