/**
 * The web phase: how long a secretary waits between « Chercher » and the list of slots on the page,
 * in Debian's Chromium, against the raw baseline of the same search fetched by the same page
 * (fetch + JSON, no rendering). Both are timed inside the page with performance.now(), alternating.
 */
import { existsSync } from 'fs';
import { Pool } from 'pg';
import { chromium } from 'playwright-core';
import { summarize, LatencySummary, ratio } from './stats';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface WebFigures {
  searches: number;
  page: LatencySummary;
  raw: LatencySummary;
  ratioP95: number;
  meanRows: number;
}

/**
 * `communes` INSEE codes placed at the territory's cluster centres (the bench's communes have no
 * coordinates of their own), so the page searches by commune as a secretary does.
 */
export async function placeCommunes(pool: Pool, centres: { lat: number; lon: number }[], count: number): Promise<string[]> {
  const { rows } = await pool.query(`SELECT code FROM commune WHERE lat IS NULL ORDER BY code DESC LIMIT $1`, [count]);
  const codes: string[] = rows.map((r) => r.code);
  const at = codes.map((_, i) => centres[i % centres.length]);
  await pool.query(
    `UPDATE commune SET lat = t.lat, lon = t.lon FROM unnest($1::varchar[], $2::float8[], $3::float8[]) AS t(code, lat, lon) WHERE commune.code = t.code`,
    [codes, at.map((c) => c.lat), at.map((c) => c.lon)],
  );
  return codes;
}

export async function benchWeb(url: string, account: { email: string; password: string }, codes: string[], searches: number): Promise<WebFigures | null> {
  if (!existsSync(CHROMIUM)) return null;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(url);
    await page.getByLabel('Adresse e-mail').fill(account.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Trouver un créneau' }).waitFor();
    await page.locator('#sec-place').waitFor();

    /** « Chercher » on the page until the results are in the document. */
    const viaPage = (code: string) =>
      page.evaluate(async (c) => {
        const input = document.getElementById('sec-place') as HTMLInputElement;
        const results = document.getElementById('sec-results')!;
        // As if picked among the suggestions: the page then searches by INSEE code.
        const option = document.createElement('option');
        option.value = `commune ${c}`;
        option.dataset.code = c;
        document.getElementById('sec-places')!.replaceChildren(option);
        input.value = option.value;
        const done = new Promise<number>((resolve) => {
          const observer = new MutationObserver(() => {
            observer.disconnect();
            resolve(results.querySelectorAll('tbody tr').length);
          });
          observer.observe(results, { childList: true });
        });
        const t = performance.now();
        (document.getElementById('sec-search') as HTMLFormElement).requestSubmit();
        const rows = await done;
        return { ms: performance.now() - t, rows };
      }, code);
    /** The same search, fetched by the same page with the same token, nothing rendered. */
    const raw = (code: string) =>
      page.evaluate(async (c) => {
        const token = JSON.parse(sessionStorage.getItem('snp.session')!).token;
        const t = performance.now();
        const res = await fetch(`/api/v1/slots/search?communeCode=${c}&limit=10`, { headers: { authorization: `Bearer ${token}` } });
        await res.json();
        return performance.now() - t;
      }, code);

    for (let i = 0; i < 20; i++) {
      await viaPage(codes[i % codes.length]);
      await raw(codes[i % codes.length]);
    }
    const pageMs: number[] = [];
    const rawMs: number[] = [];
    let rows = 0;
    for (let i = 0; i < searches; i++) {
      const code = codes[i % codes.length];
      const p = await viaPage(code);
      pageMs.push(p.ms);
      rows += p.rows;
      rawMs.push(await raw(code));
    }
    const p = summarize(pageMs);
    const r = summarize(rawMs);
    return { searches, page: p, raw: r, ratioP95: ratio(p.p95, r.p95), meanRows: rows / searches };
  } finally {
    await browser.close();
  }
}
