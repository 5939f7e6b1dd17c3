import { DataSource } from 'typeorm';
import { BrowserScene, browserStories, signIn } from '../support/browser';
import { Account, Harness, isolatedPlace, patient } from '../support/harness';
import { chateaudunScene, Scene } from './territory';

/** « Coordination »: the members of the CPTS, and the requests waiting or left without a slot. */
describe('web: the coordination’s page', () => {
  let h: Harness;
  let web: BrowserScene;
  let scene: Scene;
  let coordinator: Account;

  browserStories((s) => ({ h, web } = s));
  beforeAll(async () => {
    scene = await chateaudunScene(h);
    coordinator = await h.account('coordinator', { communityId: scene.communityId });
  });

  it('lists practices, practitioners and accounts, and the requests waiting or unmatched', async () => {
    // Somewhere no practice is: these requests stay unanswered.
    const place = await isolatedPlace(h);
    const waiting = (await h.as(scene.secretary).post('/requests').send({ patient: patient({ lastName: 'Attente' }), location: place, maxDistanceKm: 2 }).expect(202)).body;
    const lost = (await h.as(scene.secretary).post('/requests').send({ patient: patient({ lastName: 'Orientee' }), location: place, maxDistanceKm: 2 }).expect(202)).body;
    await h.app.get(DataSource).query(`UPDATE snp_request SET status = 'unmatched', status_changed_at = now() WHERE id = $1`, [lost.id]);

    const page = await web.page();
    await signIn(page, coordinator.email, 'Coordination');
    const requests = page.locator('#coordination-requests tbody tr');
    await requests.first().waitFor();
    const waitingRow = requests.filter({ hasText: 'ATTENTE Léa' });
    expect(await waitingRow.textContent()).toContain('en attente');
    expect(await requests.filter({ hasText: 'ORIENTEE Léa' }).textContent()).toContain('sans créneau');
    expect(waiting.status).toBe('pending');

    await page.locator('#coordination-members table').first().waitFor();
    expect(await page.locator('#coordination-members').textContent()).toContain('Maison de santé du Dunois');
    const table = (heading: string) => page.locator('section.card', { has: page.locator(`h2#${heading}`) }).locator('tbody tr');
    const practitioner = table('members-practitioners').filter({ hasText: scene.gp.lastName.toUpperCase() });
    expect(await practitioner.textContent()).toContain('médecin généraliste');
    const account = table('members-users').filter({ hasText: scene.secretary.email });
    expect(await account.textContent()).toContain('secrétariat');
    expect(await account.textContent()).toContain('Cabinet de Bonneval');
    await web.shot(page, 'coordination');
  });
});
