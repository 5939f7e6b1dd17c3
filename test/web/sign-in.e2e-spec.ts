import { Account, Harness } from '../support/harness';
import { BrowserScene, browserStories, signIn, submitSignIn } from '../support/browser';

/** Each user signs in on the web page and lands on their own page; sign-out and expiry bring the form back. */
describe('web: sign-in, in a real browser', () => {
  let h: Harness;
  let web: BrowserScene;
  const accounts = {} as Record<'secretary' | 'gp' | 'regulator' | 'coordinator', Account>;

  browserStories((s) => ({ h, web } = s), { JWT_TTL_SECONDS: 60 });
  beforeAll(async () => {
    const scene = await h.gpWithAgenda();
    accounts.gp = scene.gp;
    accounts.secretary = await h.account('secretary', { practiceId: scene.practiceId });
    accounts.regulator = await h.account('regulator');
    accounts.coordinator = await h.account('coordinator');
  });

  it.each([
    ['secretary', 'Trouver un créneau'],
    ['gp', 'Mes créneaux SNP'],
    ['regulator', 'Disponibilités'],
    ['coordinator', 'Coordination'],
  ] as const)('lands the %s on “%s”, and signs out', async (role, title) => {
    const page = await web.page();
    await signIn(page, accounts[role].email, title);
    expect(await page.getByRole('heading', { level: 1 }).allTextContents()).toEqual([title]);
    expect(await page.locator('#who').textContent()).toContain(accounts[role].email);
    await web.shot(page, `sign-in-${role}`);

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('déconnecté');
  });

  it('says what went wrong with a wrong password, in French, and keeps the e-mail typed', async () => {
    const page = await web.page();
    await submitSignIn(page, accounts.secretary.email, 'pas-le-bon-mot-de-passe');
    await page.getByRole('alert').filter({ hasText: 'incorrect' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toBe('Adresse e-mail ou mot de passe incorrect.');
    expect(await page.getByLabel('Adresse e-mail').inputValue()).toBe(accounts.secretary.email);
    await web.shot(page, 'sign-in-wrong-password');
  });

  it('serves the page and its luxon from the app, under a policy that runs only its own scripts', async () => {
    const page = await fetch(`${web.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const luxon = await fetch(`${web.url}/vendor/luxon/luxon.mjs`);
    expect(luxon.status).toBe(200);
    expect(luxon.headers.get('content-type')).toMatch(/javascript/);
    // Only that one file of node_modules is served.
    expect((await fetch(`${web.url}/vendor/luxon/luxon.mjs.map`)).status).toBe(404);
    expect((await fetch(`${web.url}/vendor/luxon/../package.json`)).status).toBe(404);
  });

  it('ends an expired session with a word for the user', async () => {
    const page = await web.page();
    await signIn(page, accounts.secretary.email, 'Trouver un créneau');
    // The token of this app lives 60 s: pretend it is 2 minutes later, then reload.
    await page.evaluate(() => {
      const s = JSON.parse(sessionStorage.getItem('snp.session')!);
      const [head, body, sig] = s.token.split('.');
      const claims = JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/')));
      claims.exp = Math.floor(Date.now() / 1000) - 60;
      s.token = [head, btoa(JSON.stringify(claims)).replace(/=+$/, ''), sig].join('.');
      sessionStorage.setItem('snp.session', JSON.stringify(s));
    });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('session a expiré');
  });
});
