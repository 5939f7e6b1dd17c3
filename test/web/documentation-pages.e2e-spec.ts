import { Page } from 'playwright-core';
import { TEST_ADMIN } from '../support/test-config';
import { BrowserScene, browserStories } from '../support/browser';

/**
 * The pages that are not the web front keep working under their own Content-Security-Policy: a
 * policy violation is a console error, which fails the story.
 */
describe('web: the API documentation and the queue board under their policies', () => {
  let web: BrowserScene;
  browserStories((s) => ({ web } = s));

  async function open(url: string, extraHTTPHeaders: Record<string, string> = {}): Promise<Page> {
    const context = await web.browser.newContext({ extraHTTPHeaders });
    const page = await context.newPage();
    // The board asks Google for its web fonts: refused by the policy on purpose (no outside request from a health service's pages).
    page.on('console', (m) => m.type() === 'error' && !/fonts\.googleapis\.com/.test(m.text()) && web.errors.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => web.errors.push(`page error: ${e.message}`));
    await page.goto(url);
    return page;
  }

  it('shows the OpenAPI document in Swagger UI', async () => {
    const page = await open(`${web.url}/docs`);
    await page.getByText('CPTS — soins non programmés').first().waitFor();
    await page.locator('.opblock').first().waitFor();
    await web.shot(page, 'docs');
    await page.context().close();
  });

  it('shows the admins’ queue board', async () => {
    const basic = Buffer.from(`${TEST_ADMIN.email}:${TEST_ADMIN.password}`).toString('base64');
    const page = await open(`${web.url}/api/v1/admin/queues`, { authorization: `Basic ${basic}` });
    await page.getByText('matching').first().waitFor();
    await web.shot(page, 'queue-board');
    await page.context().close();
  });
});
