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
 * A browser's walk through redirects: follows 30x across origins, keeps each origin's cookies,
 * and stops at the first answer that is not a redirect or at `stopAt` (a URL prefix), answering
 * that URL and the redirects followed.
 */
export async function followRedirects(start: string, stopAt: string, max = 15): Promise<{ url: string; visited: string[] }> {
  const jar = new Map<string, Map<string, string>>();
  const visited: string[] = [];
  let url = start;
  for (let i = 0; i < max; i++) {
    visited.push(url);
    if (url.startsWith(stopAt)) return { url, visited };
    const origin = new URL(url).origin;
    const cookies = jar.get(origin) ?? new Map<string, string>();
    const res = await fetch(url, { redirect: 'manual', headers: cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {} });
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    jar.set(origin, cookies);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return { url, visited };
    url = new URL(location, url).toString();
  }
  throw new Error(`more than ${max} redirects: ${visited.join(' → ')}`);
}
