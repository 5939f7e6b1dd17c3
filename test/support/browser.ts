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
  private constructor(
    readonly h: Harness,
    readonly browser: Browser,
    readonly url: string,
  ) {}

  static async start(h: Harness): Promise<BrowserScene> {
    await h.app.listen(0, '127.0.0.1');
    const { port } = h.app.getHttpServer().address() as AddressInfo;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    mkdirSync(SCREENSHOTS, { recursive: true });
    return new BrowserScene(h, browser, `http://127.0.0.1:${port}`);
  }

  /** A fresh page (its own session storage) at 1280×800, the screen the issue names. */
  async page(): Promise<Page> {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
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
