import { ChildProcess, spawn } from 'child_process';
import { join } from 'path';

/** The local OpenID provider configured like Pro Santé Connect (psc-provider-server.mjs), as a process of its own. */
export class PscProvider {
  private constructor(
    private readonly child: ChildProcess,
    readonly issuer: string,
  ) {}

  static async start(redirectUri: string): Promise<PscProvider> {
    const child = spawn(process.execPath, ['--no-warnings', join(__dirname, 'psc-provider-server.mjs')], {
      env: { ...process.env, REDIRECT_URI: redirectUri },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c) => {
        out += c;
        const m = /listening (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`the OpenID provider exited with code ${code}`)));
    });
    return new PscProvider(child, `http://127.0.0.1:${port}`);
  }

  /** PSC's own discovery path, not the standard one. */
  get discoveryUrl(): string {
    return `${this.issuer}/.well-known/wallet-openid-configuration`;
  }

  /** The health professional who signs in next (their e-CPS). */
  /** `acr`: the strength of the sign-in PSC asserts (eidas1 unless said otherwise). */
  async nextPerson(person: { sub: string; SubjectNameID: string; given_name?: string; family_name?: string; SubjectRefPro?: unknown; acr?: string }): Promise<void> {
    const res = await fetch(`${this.issuer}/test/next-person`, { method: 'POST', body: JSON.stringify(person) });
    if (res.status !== 204) throw new Error(`next-person: ${res.status}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/**
 * A browser without a page: it follows redirects across origins and keeps each origin's cookies,
 * as a browser would between the service and Pro Santé Connect.
 */
export class CookieBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  /** The Cookie header this browser sends to `url`'s origin. */
  cookie(url: string): string {
    return [...(this.jar.get(new URL(url).origin) ?? new Map())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** One request, its cookies kept; the redirect not followed. */
  async get(url: string): Promise<Response> {
    const origin = new URL(url).origin;
    const cookie = this.cookie(url);
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    const cookies = this.jar.get(origin) ?? new Map<string, string>();
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
      if (value && !/max-age=0/i.test(set)) cookies.set(name, value);
      else cookies.delete(name);
    }
    this.jar.set(origin, cookies);
    return res;
  }

  /** Follows redirects from `start`, stopping at the first answer that is not one or at a URL starting with `stopAt`. */
  async walk(start: string, stopAt: string, max = 15): Promise<string> {
    let url = start;
    for (let i = 0; i < max; i++) {
      if (url.startsWith(stopAt)) return url;
      const res = await this.get(url);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return url;
      url = new URL(location, url).toString();
    }
    throw new Error(`more than ${max} redirects from ${start}`);
  }
}
