import { mkdirSync } from 'fs';
import { AddressInfo } from 'net';
import { join } from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import { Harness } from './harness';

/** Debian's Chromium (`apt-get install chromium`, done by scripts/services.sh when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of each page the stories visit, to look at (ignored by git). */
export const SCREENSHOTS = join(__dirname, '..', 'screenshots');

/** The app listening on a real port, and a headless Chromium to drive it. */
export class BrowserScene {
  /** Script errors and console errors of every page, so a story fails on a broken page rather than on a timeout. */
  readonly errors: string[] = [];

  private constructor(
    readonly h: Harness,
    readonly browser: Browser,
    readonly url: string,
  ) {}

  static async start(h: Harness): Promise<BrowserScene> {
    await h.app.listen(0, '127.0.0.1');
    const { port } = h.app.getHttpServer().address() as AddressInfo;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--lang=fr-FR'], env: { ...process.env, LANG: 'fr_FR.UTF-8' } });
    mkdirSync(SCREENSHOTS, { recursive: true });
    return new BrowserScene(h, browser, `http://127.0.0.1:${port}`);
  }

  /** A fresh page (its own session and local storage) at 1280×800, the screen the issue names. */
  async page(options: { clock?: boolean; viewport?: { width: number; height: number } } = {}): Promise<Page> {
    const context = await this.browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    // Shorter than a story's timeout, so a step that never happens is named in the failure.
    context.setDefaultTimeout(8_000);
    const page = await context.newPage();
    page.on('pageerror', (e) => this.errors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // A refused API call is logged by Chromium as a console error; those are asserted by the stories themselves.
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) this.errors.push(`console: ${m.text()}`);
    });
    // A fake clock (real time flowing, which a story can jump ahead) for pages that refresh on a timer.
    if (options.clock) await page.clock.install();
    await page.goto(this.url);
    return page;
  }

  shot(page: Page, name: string): Promise<Buffer> {
    return page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** Signs in on the page's form and waits for the role's page. */
export async function signIn(page: Page, email: string, heading: string, password = 'mot-de-passe-de-test'): Promise<void> {
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}
