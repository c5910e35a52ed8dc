/** A minimal cookie-keeping HTTP client: what a browser does with forms and cookies, without one. */
export class CookieClient {
  private readonly jar = new Map<string, string>();

  constructor(private readonly base: string) {}

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(path, { method: 'GET', headers });
  }

  async postForm(path: string, fields: Record<string, string>): Promise<Response> {
    return this.send(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  }

  async send(path: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(`${this.base}${path}`, {
      ...init, redirect: 'manual', headers: { accept: 'text/html', ...(cookie ? { cookie } : {}), ...init.headers },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...rest] = pair.split('=');
      const value = rest.join('=');
      if (value === '' || /max-age=0/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }
}

/** The CSRF token a rendered page carries. */
export function csrfOf(html: string): string {
  const token = /name="csrf-token" content="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('page has no CSRF token');
  return token;
}
