import { DateTime } from 'luxon';
import { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { Harness, PLACES, unique } from '../support/harness';

/**
 * The browser stories search around Châteaudun, where other test files also publish. Jest runs the
 * files one after another, so before a web story starts, the free slots left there by earlier files
 * are withdrawn: the story then sees exactly the slots it published.
 */
export async function clearChateaudun(h: Harness): Promise<void> {
  await h.app.get(DataSource).query(
    `UPDATE slot SET status = 'cancelled', hold_token = NULL, hold_expires_at = NULL
      WHERE status IN ('free', 'held') AND practice_id IN (
        SELECT id FROM practice WHERE earth_distance(earth, ll_to_earth($1, $2)) < 80000)`,
    [PLACES.chateaudun.lat, PLACES.chateaudun.lon],
  );
}

/** A CPTS around Châteaudun: a practice there with two GPs (one sees only children of 6 and over), and a secretariat in Bonneval. */
export async function chateaudunScene(h: Harness) {
  const communityId = await h.community();
  const practice = await h.practice(communityId, { name: unique('Maison de santé du Dunois'), address: '12 rue de la République, 28200 Châteaudun', phone: '02 37 45 12 34' });
  const lastName = unique('Benali');
  const gp = await h.practitioner(practice.id, { firstName: 'Karim', lastName, minPatientAgeMonths: 0 });
  const gpAccount = await h.account('gp', { practitionerId: gp.id });
  const olderOnly = await h.practitioner(practice.id, { firstName: 'Anne', lastName: unique('Roux'), minPatientAgeMonths: 72 });
  const olderOnlyAccount = await h.account('gp', { practitionerId: olderOnly.id });
  const bonneval = await h.practice(communityId, { name: unique('Cabinet de Bonneval'), address: '3 rue de Chartres, 28800 Bonneval', communeCode: PLACES.bonneval.communeCode });
  const secretary = await h.account('secretary', { practiceId: bonneval.id });
  return { communityId, practice, gp: { id: gp.id, lastName, account: gpAccount }, olderOnly: { id: olderOnly.id, account: olderOnlyAccount }, bonneval, secretary };
}

/** A birth date `months` months ago (Paris calendar). */
export const bornMonthsAgo = (months: number) => DateTime.now().setZone('Europe/Paris').minus({ months }).toISODate()!;

/** « 14h30 », as the page writes a time (Paris). */
export const parisTime = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Paris' }).toFormat("HH'h'mm");

export type Scene = Awaited<ReturnType<typeof chateaudunScene>>;

/** Types the patient's name, first name, birth date and phone in the flow's form. */
export async function typePatient(page: Page, who: { lastName: string; firstName: string; birthDate: string; phone: string }): Promise<void> {
  await page.getByLabel('Nom', { exact: true }).fill(who.lastName);
  await page.getByLabel('Prénom').fill(who.firstName);
  await page.getByLabel('Date de naissance').fill(who.birthDate);
  await page.getByLabel('Téléphone').fill(who.phone);
}
