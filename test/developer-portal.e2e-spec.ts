import { stack, uniqueEmail } from './support/e2e';
import { DEV_PASSWORD, onGateway } from './support/developers';
import { CookieClient, csrfOf } from './support/browserless';
import { verificationLink, waitForMails } from './support/mailbox';

describe('Developer portal pages (/portal)', () => {
  let gateway: string;

  beforeAll(() => {
    gateway = stack().gateways[0];
  });

  it('serves the pages with Bootstrap and Chart.js from the gateway itself (no CDN)', async () => {
    const page = await (await fetch(`${gateway}/portal/signup`)).text();
    expect(page).toContain('href="/portal/vendor/bootstrap/css/bootstrap.min.css"');
    expect(page).not.toMatch(/https?:\/\/(cdn|unpkg|fonts)/);
    expect(page).toContain('name="viewport" content="width=device-width, initial-scale=1"');
    const headers = (await fetch(`${gateway}/portal/login`)).headers;
    expect(headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(headers.get('cache-control')).toBe('no-store');
    for (const asset of ['/portal/vendor/bootstrap/css/bootstrap.min.css', '/portal/vendor/bootstrap/js/bootstrap.bundle.min.js', '/portal/vendor/chartjs/chart.umd.min.js', '/portal/assets/portal.js']) {
      const response = await fetch(`${gateway}${asset}`);
      expect(response.status).toBe(200);
    }
    const home = await fetch(`${gateway}/portal`, { redirect: 'manual' });
    expect(home.headers.get('location')).toBe('/portal/login');
  });

  it('refuses forms without a valid CSRF token', async () => {
    const browser = new CookieClient(gateway);
    await browser.get('/portal/signup');
    const missing = await browser.postForm('/portal/signup', { name: 'X', email: uniqueEmail('csrf'), password: DEV_PASSWORD });
    expect(missing.status).toBe(403);
    const forged = await browser.postForm('/portal/signup', { _csrf: 'forged-token', name: 'X', email: uniqueEmail('csrf'), password: DEV_PASSWORD });
    expect(forged.status).toBe(403);
    const otherSession = new CookieClient(gateway);
    const token = csrfOf(await (await otherSession.get('/portal/login')).text());
    expect((await browser.postForm('/portal/login', { _csrf: token, email: 'x@gmail.com', password: 'whatever!!' })).status).toBe(403);
  });

  it('shows validation messages next to the fields and escapes everything typed', async () => {
    const browser = new CookieClient(gateway);
    const page = await browser.get('/portal/signup');
    expect(page.headers.getSetCookie().find((c) => c.startsWith('marquee_csrf='))).toMatch(/HttpOnly.*SameSite=Lax|SameSite=Lax.*HttpOnly/);
    const csrf = csrfOf(await page.text());
    const invalid = await browser.postForm('/portal/signup', { _csrf: csrf, name: '<script>alert(1)</script>', email: 'not-an-email"><img src=x>', password: 'short' });
    expect(invalid.status).toBe(422);
    const html = await invalid.text();
    expect(html).toMatch(/data-field-error="email">email must be an e-mail address/);
    expect(html).toMatch(/data-field-error="password">password must be at least 10 characters/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x>');

    const disposable = await browser.postForm('/portal/signup', { _csrf: csrf, name: 'D', email: `d.${Date.now()}@mailinator.com`, password: DEV_PASSWORD });
    expect(disposable.status).toBe(400);
    expect(await disposable.text()).toMatch(/data-field-error="email">mailinator.com is a disposable e-mail service/);

    const nul = await browser.postForm('/portal/signup', { _csrf: csrf, name: 'N', email: `n.${Date.now()}@gmail.com`, password: `${DEV_PASSWORD}\u0000tail` });
    expect(nul.status).toBe(422);
    expect(await nul.text()).toMatch(/data-field-error="password">password must not contain a NUL character/);
  });

  it('walks sign-up, inbox, resend, verification, dashboard, key actions with CSRF, and sign-out', async () => {
    const browser = new CookieClient(gateway);
    const email = uniqueEmail('portal');
    const csrf = csrfOf(await (await browser.get('/portal/signup')).text());
    const signedUp = await browser.postForm('/portal/signup', { _csrf: csrf, name: 'Portal <User>', email, password: DEV_PASSWORD });
    expect(signedUp.status).toBe(303);
    const inbox = await browser.get(signedUp.headers.get('location')!);
    const inboxHtml = await inbox.text();
    expect(inboxHtml).toContain(`data-testid="inbox-email">${email}<`);
    const resent = await browser.postForm('/portal/resend', { _csrf: csrfOf(inboxHtml), email });
    expect(resent.status).toBe(200);
    expect(await resent.text()).toContain('a new link is on its way');
    const mails = await waitForMails(email, 2);

    const notYet = await browser.postForm('/portal/login', { _csrf: csrf, email, password: DEV_PASSWORD });
    expect(notYet.status).toBe(403);
    expect(await notYet.text()).toContain(`href="/portal/check-inbox?email=${encodeURIComponent(email)}"`);

    const landing = await browser.get(onGateway(verificationLink(mails[1])));
    expect(landing.status).toBe(303);
    const welcome = await (await browser.get(landing.headers.get('location')!)).text();
    const raw = /data-testid="raw-key" readonly value="([0-9a-f-]{36})"/.exec(welcome)![1];
    expect(welcome).toContain('Portal &lt;User&gt;');
    expect(welcome).toContain('data-copy="#raw-key"');

    const dashboard = await browser.get('/portal/dashboard');
    expect(dashboard.status).toBe(200);
    const html = await dashboard.text();
    expect(html).toContain(`<code>${raw.slice(0, 8)}…</code>`);
    expect(html).not.toContain(raw);
    expect(html).toContain('class="progress"');
    expect(html).toMatch(/0 \/ 1000 calls · resets on \d{1,2} \w+ \d{4}/);
    expect(html).toContain('data-testid="usage-chart"');
    expect(html).toContain('data-testid="playground"');
    for (const sample of ['curl -H', 'fetch(', 'requests.get(', '/search?title=']) expect(html).toContain(sample);

    const withoutToken = await browser.send('/me/keys', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ name: 'x' }) });
    expect(withoutToken.status).toBe(403);
    const created = await browser.send('/me/keys', {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfOf(html) }, body: JSON.stringify({ name: 'From the portal' }),
    });
    expect(created.status).toBe(201);
    expect((await browser.get('/me/keys', { accept: 'application/json' })).status).toBe(200);

    const loggedOut = await browser.postForm('/portal/logout', { _csrf: csrfOf(html) });
    expect(loggedOut.status).toBe(303);
    expect(browser.cookie('marquee_access')).toBeUndefined();
    const after = await browser.get('/portal/dashboard');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/portal/login');
  });

  it('renews an expired portal session from the refresh cookie, and sets cookies HttpOnly and SameSite=Lax', async () => {
    const browser = new CookieClient(gateway);
    const email = uniqueEmail('renew');
    const csrf = csrfOf(await (await browser.get('/portal/signup')).text());
    await browser.postForm('/portal/signup', { _csrf: csrf, name: 'Renew', email, password: DEV_PASSWORD });
    const [mail] = await waitForMails(email);
    await browser.get(onGateway(verificationLink(mail)));
    const signIn = await browser.postForm('/portal/login', { _csrf: csrf, email, password: DEV_PASSWORD });
    expect(signIn.status).toBe(303);
    for (const name of ['marquee_access', 'marquee_refresh']) {
      const line = signIn.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))!;
      expect(line).toContain('HttpOnly');
      expect(line).toContain('SameSite=Lax');
      expect(line).not.toContain('Secure');
    }
    const refreshCookie = browser.cookie('marquee_refresh')!;
    const stale = new CookieClient(gateway);
    const renewed = await stale.send('/portal/dashboard', { method: 'GET', headers: { cookie: `marquee_refresh=${refreshCookie}` } });
    expect(renewed.status).toBe(200);
    expect(renewed.headers.getSetCookie().some((c) => c.startsWith('marquee_access='))).toBe(true);
  });
});
