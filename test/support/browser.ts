import { mkdirSync } from 'fs';
import { AddressInfo } from 'net';
import { join } from 'path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { AppConfig } from '../../src/config/app-config';
import { Harness, TEST_PASSWORD } from './harness';

/** Debian's Chromium (`apt-get install chromium`, done by scripts/browser.sh when missing). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of each page the stories visit, to look at (ignored by git). */
const SCREENSHOTS = join(__dirname, '..', 'screenshots');

/** The app listening on a real port, and a headless Chromium to drive it. */
export class BrowserScene {
  /** Script errors and console errors of every page, so a story fails on a broken page rather than on a timeout. */
  readonly errors: string[] = [];
  /** The pages opened by the current story, closed after it. */
  private contexts: BrowserContext[] = [];

  private constructor(
    readonly browser: Browser,
    readonly url: string,
  ) {}

  /** Chromium on the app, which listens on `port` (any free one by default). */
  static async start(h: Harness | { app: Harness['app'] }, port = 0): Promise<BrowserScene> {
    await h.app.listen(port, '127.0.0.1');
    ({ port } = h.app.getHttpServer().address() as AddressInfo);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--lang=fr-FR'], env: { ...process.env, LANG: 'fr_FR.UTF-8' } });
    mkdirSync(SCREENSHOTS, { recursive: true });
    return new BrowserScene(browser, `http://127.0.0.1:${port}`);
  }

  /** A fresh page (its own session and local storage) at 1280×800, the screen the issue names. */
  async page(options: { clock?: boolean; viewport?: { width: number; height: number } } = {}): Promise<Page> {
    const context = await this.browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    this.contexts.push(context);
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

  async closePages(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((c) => c.close()));
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/**
 * The hooks every browser story file needs: the app (with `overrides`) and Chromium started before
 * its stories, each story failing on a page error and its pages closed after it, all stopped at
 * the end. `started` receives both, for the file's own variables and its own beforeAll.
 */
export function browserStories(started: (s: { h: Harness; web: BrowserScene }) => void, overrides: Partial<AppConfig> | (() => Partial<AppConfig>) = {}): void {
  let h: Harness | undefined;
  let web: BrowserScene | undefined;
  beforeAll(async () => {
    // A function when a value is known only once an earlier beforeAll ran (a local server's URL).
    h = await Harness.start(typeof overrides === 'function' ? overrides() : overrides);
    web = await BrowserScene.start(h);
    started({ h, web });
  });
  afterEach(async () => {
    await web?.closePages();
    expect(web?.errors).toEqual([]);
  });
  afterAll(async () => {
    await web?.close();
    await h?.close();
  });
}

/** Fills and sends the sign-in form. */
export async function submitSignIn(page: Page, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** Signs in on the page's form and waits for the role's page. */
export async function signIn(page: Page, email: string, heading: string, password = TEST_PASSWORD): Promise<void> {
  await submitSignIn(page, email, password);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}
