import { DataSource } from 'typeorm';
import { freePort } from '../support/api-process';
import { API, Harness, randomRpps, TEST_PASSWORD } from '../support/harness';
import { CookieBrowser, PscProvider } from '../support/psc-provider';

/**
 * A GP (or a regulator) signs in with Pro Santé Connect: the service sends the browser to PSC
 * with the parameters PSC requires, PSC sends it back with a code, and the page exchanges the
 * one-time code it was given for a session. Tested against a real local OpenID provider configured
 * like PSC (its discovery path, RS256, eidas1, the scope_all claims).
 */
describe('Pro Santé Connect', () => {
  let h: Harness;
  let psc: PscProvider;
  let publicUrl: string;
  let ds: DataSource;

  beforeAll(async () => {
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    psc = await PscProvider.start(`${publicUrl}/${API.slice(1)}/auth/psc/callback`);
    h = await Harness.start({ PUBLIC_URL: publicUrl, PSC_DISCOVERY_URL: psc.discoveryUrl, PSC_CLIENT_ID: 'snp-test', PSC_CLIENT_SECRET: 'psc-test-secret', MFA_REQUIRED: false });
    await h.app.listen(port, '127.0.0.1');
    ds = h.app.get(DataSource);
  });
  afterAll(async () => {
    await h?.close();
    await psc?.stop();
  });

  /** A GP whose practitioner has this RPPS, with an account. */
  async function gpWithRpps() {
    const scene = await h.gpWithAgenda();
    const [{ rpps }] = await ds.query(`SELECT rpps FROM practitioner WHERE id = $1`, [scene.practitionerId]);
    return { ...scene, rpps: rpps as string };
  }

  /** The browser's way from « Se connecter avec Pro Santé Connect » back to the page: the page's URL. */
  async function signInAtPsc(browser = new CookieBrowser()): Promise<URL> {
    return new URL(await browser.walk(`${publicUrl}${API}/auth/psc/login`, `${publicUrl}/?`));
  }

  /** What the page does with `?signin=`: POST /auth/psc/exchange, from that browser (its cookie). */
  const exchange = (browser: CookieBrowser, code: string | null) =>
    h.http.post(`${API}/auth/psc/exchange`).set('Cookie', browser.cookie(publicUrl)).send({ code });

  it('sends the browser to PSC with openid scope_all, eidas1, state, nonce and PKCE', async () => {
    const res = await fetch(`${publicUrl}${API}/auth/psc/login`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin).toBe(psc.issuer);
    const p = to.searchParams;
    expect(p.get('scope')).toBe('openid scope_all');
    expect(p.get('acr_values')).toBe('eidas1');
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe('snp-test');
    expect(p.get('redirect_uri')).toBe(`${publicUrl}${API}/auth/psc/callback`);
    expect(p.get('code_challenge_method')).toBe('S256');
    for (const k of ['state', 'nonce', 'code_challenge']) expect((p.get(k) ?? '').length).toBeGreaterThanOrEqual(32);
    expect((await h.http.get(`${API}/auth/options`).expect(200)).body).toEqual({ psc: true });
  });

  it('signs a GP in: the page gets a one-time code and exchanges it for a session of the GP’s account (once, within 60 s)', async () => {
    const { gp, rpps, practitionerId } = await gpWithRpps();
    await psc.nextPerson({ sub: `psc-${rpps}`, SubjectNameID: `8${rpps}`, given_name: 'Claire', family_name: 'Dupont', SubjectRefPro: { codeProfession: '10' } });
    const browser = new CookieBrowser();
    const page = await signInAtPsc(browser);
    const code = page.searchParams.get('signin');
    expect(page.searchParams.get('signin_error')).toBeNull();
    expect(code).toEqual(expect.any(String));

    const session = await exchange(browser, code).expect(200);
    expect(session.body.user).toMatchObject({ id: gp.id, role: 'gp', practitionerId });
    await h.as(session.body.accessToken).get('/slots').expect(200);
    // Once only.
    await exchange(browser, code).expect(401);
    const [login] = await ds.query(`SELECT action FROM audit_event WHERE actor_user_id = $1 ORDER BY id DESC LIMIT 1`, [gp.id]);
    expect(login.action).toBe('login');
  });

  it('signs a regulator in by the RPPS on their account', async () => {
    const regulatorRpps = randomRpps();
    const created = await h.as(h.admin).post('/users').send({ email: `regulation-${regulatorRpps}@test.cpts.local`, password: TEST_PASSWORD, role: 'regulator', rpps: regulatorRpps }).expect(201);
    await psc.nextPerson({ sub: `psc-${regulatorRpps}`, SubjectNameID: `8${regulatorRpps}` });
    const browser = new CookieBrowser();
    const code = (await signInAtPsc(browser)).searchParams.get('signin');
    const session = await exchange(browser, code).expect(200);
    expect(session.body.user).toMatchObject({ id: created.body.id, role: 'regulator' });
  });

  it('explains why when PSC names someone without an account here', async () => {
    await psc.nextPerson({ sub: 'psc-stranger', SubjectNameID: '810009999999' });
    const page = await signInAtPsc();
    expect(page.searchParams.get('signin_error')).toBe('unknown_person');
    expect(page.searchParams.get('signin')).toBeNull();
  });

  it('refuses a callback whose state it did not issue, already used (a replayed code), or brought by another browser', async () => {
    const { rpps } = await gpWithRpps();
    await psc.nextPerson({ sub: `psc-${rpps}`, SubjectNameID: `8${rpps}` });
    // Walk to PSC's answer, but stop before the service sees it.
    const browser = new CookieBrowser();
    const callback = new URL(await browser.walk(`${publicUrl}${API}/auth/psc/login`, `${publicUrl}${API}/auth/psc/callback`));
    const landing = async (who: CookieBrowser, url: URL) => new URL((await who.get(url.toString())).headers.get('location')!).searchParams;

    // Someone else's browser (the link sent to a colleague, to sign them in as its sender): refused.
    expect((await landing(new CookieBrowser(), callback)).get('signin_error')).toBe('bad_state');
    const forged = new URL(callback);
    forged.searchParams.set('state', 'an-attacker-s-own-state-value-0000000000');
    const other = new CookieBrowser();
    await other.walk(`${publicUrl}${API}/auth/psc/login`, psc.issuer);
    expect((await landing(other, forged)).get('signin_error')).toBe('bad_state');

    const first = await landing(browser, callback);
    expect(first.get('signin')).toEqual(expect.any(String));
    const replay = await landing(browser, callback);
    expect(replay.get('signin_error')).toBe('bad_state');
    expect(replay.get('signin')).toBeNull();
  });

  it('exchanges a one-time code only in the browser it was handed to', async () => {
    const { rpps } = await gpWithRpps();
    await psc.nextPerson({ sub: `psc-${rpps}`, SubjectNameID: `8${rpps}` });
    const browser = new CookieBrowser();
    const code = (await signInAtPsc(browser)).searchParams.get('signin');
    // The page URL with its code, opened elsewhere (a link sent to a colleague): no session there.
    const elsewhere = await exchange(new CookieBrowser(), code).expect(401);
    expect(elsewhere.body.message).toContain('autre navigateur');
    await exchange(browser, code).expect(200);
  });

  it('refuses a one-time code once its 60 seconds have passed', async () => {
    const { rpps } = await gpWithRpps();
    await psc.nextPerson({ sub: `psc-${rpps}`, SubjectNameID: `8${rpps}` });
    const browser = new CookieBrowser();
    const code = (await signInAtPsc(browser)).searchParams.get('signin');
    await ds.query(`UPDATE auth_challenge SET expires_at = now() - interval '1 second' WHERE purpose = 'signin' AND used_at IS NULL`);
    const res = await exchange(browser, code).expect(401);
    expect(res.body.message).toContain('expiré');
  });

  it('refuses a sign-in weaker than eidas1', async () => {
    const { rpps } = await gpWithRpps();
    await psc.nextPerson({ sub: `psc-weak-${rpps}`, SubjectNameID: `8${rpps}`, acr: 'eidas0' });
    const page = await signInAtPsc();
    expect(page.searchParams.get('signin_error')).toBe('psc_error');
    expect(page.searchParams.get('signin')).toBeNull();
  });

  it('refuses a disabled account', async () => {
    const { gp, rpps } = await gpWithRpps();
    await h.as(h.admin).patch(`/users/${gp.id}`).send({ active: false }).expect(200);
    await psc.nextPerson({ sub: `psc-${rpps}`, SubjectNameID: `8${rpps}` });
    expect((await signInAtPsc()).searchParams.get('signin_error')).toBe('account_disabled');
  });
});
