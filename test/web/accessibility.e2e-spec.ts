import { Page } from 'playwright-core';
import { BrowserScene, browserStories, signIn } from '../support/browser';
import { Account, Harness } from '../support/harness';
import { chateaudunScene, clearChateaudun, parisTime, Scene } from './territory';

/**
 * Labels, names and keyboard use on every role's page; a tablet's screen. Checked in the page
 * itself: each form control has a label, each button a name, no id is used twice.
 */
describe('web: accessible, by keyboard, and on a tablet', () => {
  let h: Harness;
  let web: BrowserScene;
  let scene: Scene;
  const accounts = {} as Record<'regulator' | 'coordinator', Account>;

  browserStories((s) => ({ h, web } = s));
  beforeAll(async () => {
    await clearChateaudun(h);
    scene = await chateaudunScene(h);
    accounts.regulator = await h.account('regulator');
    accounts.coordinator = await h.account('coordinator');
  });

  /** Controls without a label, buttons without a name, ids used twice: all should be empty. */
  const problems = (page: Page) =>
    page.evaluate(() => {
      const visible = (el: Element) => !(el as HTMLElement).closest('[hidden], template, dialog:not([open])');
      const unlabelled = [...document.querySelectorAll('input, select, textarea')]
        .filter(visible)
        .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
        .map((el) => el.outerHTML.slice(0, 80));
      const unnamed = [...document.querySelectorAll('button')].filter(visible).filter((b) => !(b.textContent ?? '').trim() && !b.getAttribute('aria-label')).map((b) => b.outerHTML.slice(0, 80));
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      return { unlabelled, unnamed, twice, lang: document.documentElement.lang };
    });

  it.each([
    ['secretary', 'Trouver un créneau'],
    ['gp', 'Mes créneaux SNP'],
    ['regulator', 'Disponibilités'],
    ['coordinator', 'Coordination'],
  ] as const)('labels every control of the %s’s page', async (role, heading) => {
    const email = role === 'secretary' ? scene.secretary.email : role === 'gp' ? scene.gp.account.email : accounts[role].email;
    const page = await web.page();
    await signIn(page, email, heading);
    await page.waitForLoadState('networkidle');
    expect(await problems(page)).toEqual({ unlabelled: [], unnamed: [], twice: [], lang: 'fr' });
  });

  it('lets a secretary search, hold and book with the keyboard alone', async () => {
    const [slot] = await h.publish(scene.gp.account, scene.gp.id, [100]);
    const page = await web.page();
    await signIn(page, scene.secretary.email, 'Trouver un créneau');
    await page.getByLabel('Commune ou code postal du patient').focus();
    await page.keyboard.type('Châteaudun');
    await page.keyboard.press('Enter');
    await page.locator('#sec-results caption').waitFor();

    // Tab to the first « Retenir » and press Enter.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Retenir') break;
    }
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toContain(parisTime(slot.start));
    await page.keyboard.press('Enter');
    await page.getByRole('timer').filter({ hasText: 'Retenu' }).waitFor();
    // The focus is on the name: type, Tab, type… then Enter books.
    await page.keyboard.type('Roussel');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Nina');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12052001');
    // Chromium's date field keeps its calendar button in the tab order: one or two Tabs to the phone.
    for (let i = 0; i < 3 && (await page.evaluate(() => document.activeElement?.id)) !== 'sec-phone'; i++) await page.keyboard.press('Tab');
    await page.keyboard.type('0611223344');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Rendez-vous confirmé' }).waitFor();
    // The confirmation takes the focus, so a screen reader reads it out.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sec-confirmation');
    const { body } = await h.as(scene.secretary).get('/bookings').expect(200);
    const booked = body.bookings.find((b: any) => b.slot.id === slot.id)?.patient;
    expect(booked).toMatchObject({ lastName: 'Roussel', firstName: 'Nina', phone: '+33611223344' });
    // The date field takes its digits in the browser's order: dd/mm/yyyy in French, mm/dd/yyyy in English.
    expect(booked.birthDate).toMatch(/^2001-(05-12|12-05)$/);
  });

  it('fits a tablet held upright (768 × 1024) without sideways scrolling', async () => {
    await h.publish(scene.gp.account, scene.gp.id, [200, 215]);
    for (const [email, heading, name] of [
      [scene.secretary.email, 'Trouver un créneau', 'tablet-secretary'],
      [scene.gp.account.email, 'Mes créneaux SNP', 'tablet-gp'],
    ] as const) {
      const page = await web.page({ viewport: { width: 768, height: 1024 } });
      await signIn(page, email, heading);
      if (name === 'tablet-secretary') {
        await page.getByLabel('Commune ou code postal du patient').fill('Châteaudun');
        await page.getByRole('button', { name: 'Chercher' }).click();
        await page.locator('#sec-results caption').waitFor();
      } else {
        await page.locator('#gp-slots table').first().waitFor();
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
      await web.shot(page, name);
    }
  });
});
