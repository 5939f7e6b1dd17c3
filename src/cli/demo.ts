import 'reflect-metadata';
import { DateTime } from 'luxon';
import { join, resolve } from 'path';
import { DataSource } from 'typeorm';
import { createApp } from '../app.factory';
import { AccountsService } from '../auth/accounts.service';
import { Principal } from '../auth/roles';
import { AppConfig, loadConfig } from '../config/app-config';
import { ensureDatabase, startupMessage } from '../database/startup-errors';
import { closeOnSignals } from '../operations/graceful-shutdown';
import { CommunesService } from '../directory/communes.service';
import { DirectoryService } from '../directory/directory.service';
import { withRppsCheckDigit } from '../directory/rpps';
import { SlotsService } from '../slots/slots.service';
import { DEMO_COMMUNITY, DEMO_PASSWORD, DEMO_PRACTICES } from './demo-territory';

const DEMO_ADMIN = { email: 'admin@demo.cpts.fr', password: 'demo-admin-2026' };

/** `npm run demo`: migrate, seed the demo CPTS (once), serve API + web form, print where and who. */
let config: AppConfig | undefined;

async function main() {
  config = loadConfig({
    ...process.env,
    ADMIN_EMAIL: process.env.ADMIN_EMAIL ?? DEMO_ADMIN.email,
    ADMIN_PASSWORD: process.env.ADMIN_PASSWORD ?? DEMO_ADMIN.password,
    // A readable terminal: warnings and errors only, no line per request (set them to see more).
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    REQUEST_LOGS: process.env.REQUEST_LOGS ?? 'false',
  });
  await ensureDatabase(config);
  const app = await createApp(config);
  await app.init();
  const accounts = await seed(app.get(DataSource), app.get(CommunesService), app.get(DirectoryService), app.get(AccountsService), app.get(SlotsService));
  const sas = await sasKey(app.get(DataSource), app.get(AccountsService));
  closeOnSignals(app, config.SHUTDOWN_TIMEOUT_MS);
  await app.listen(config.PORT, config.HOST);
  const url = `http://localhost:${config.PORT}`;
  const lines = [
    '',
    '  ─────────────────────────────────────────────────────────────────────',
    `  Service SNP prêt : ${url}`,
    `  Page web :         ${url}/  (connectez-vous avec un compte ci-dessous)`,
    `  API documentée :   ${url}/docs`,
    `  État :             ${url}/health`,
    ...(config.SMS_WEBHOOK_URL && config.SMTP_URL ? [] : [`  Messages (SMS, e-mails) sans fournisseur : ${resolve(config.OUTBOX_DIR, 'outbox.jsonl')}`]),
    '',
    '  Comptes de démonstration :',
    `    admin         ${config.ADMIN_EMAIL} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : DEMO_ADMIN.password}`,
    ...accounts.map((a) => `    ${a.role.padEnd(13)} ${a.email} / ${DEMO_PASSWORD}`),
    '',
    '  Interface FHIR du SAS (docs/sas.md), avec la clé d’API de démonstration de la plateforme SAS :',
    `    curl -s '${url}/fhir/Slot?schedule.actor:Practitioner.identifier=urn:oid:1.2.250.1.71.4.2.1|8${sas.rpps}&start=ge${sas.from}&start=le${sas.to}&status=free&_include=Slot:schedule' \\`,
    `      -H 'X-Api-Key: ${sas.key}'`,
    '',
    '  À essayer : connectez-vous comme secrétariat, cherchez un créneau autour de « Châteaudun »,',
    '  retenez-en un et réservez ; puis comme médecin (« Mes créneaux SNP »), comme régulation',
    '  (« Disponibilités ») et comme coordination (« Tableau de bord »). Guide : docs/guide-utilisateur.md',
    '',
    '  Ctrl+C pour arrêter.',
    '  ─────────────────────────────────────────────────────────────────────',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/**
 * Seeds the demo CPTS into the app's database (idempotent: re-running tops up, never duplicates);
 * needs an admin account (ADMIN_EMAIL) and the official commune list. Also used by
 * test/deploy/backup-restore.
 */
export async function seed(ds: DataSource, communes: CommunesService, directory: DirectoryService, accounts: AccountsService, slots: SlotsService) {
  await communes.importCoordinates(join(__dirname, '..', '..', 'data', 'communes-demo.csv'));
  const [admin] = await ds.query(`SELECT id FROM app_user WHERE role = 'admin' ORDER BY created_at LIMIT 1`);
  const seeder: Principal = { kind: 'user', id: admin.id, role: 'admin', practiceId: null, practitionerId: null, communityId: null };
  const created: Array<{ role: string; email: string }> = [];
  const account = async (role: 'gp' | 'secretary' | 'regulator' | 'coordinator', email: string, links: { practiceId?: string; practitionerId?: string; communityId?: string } = {}) => {
    const exists = await ds.query(`SELECT 1 FROM app_user WHERE lower(email) = lower($1)`, [email]);
    if (!exists.length) await accounts.create(seeder, { email, password: DEMO_PASSWORD, role, ...links });
    created.push({ role, email });
  };

  let [community] = await ds.query(`SELECT id FROM community WHERE name = $1`, [DEMO_COMMUNITY.name]);
  community ??= await directory.createCommunity(DEMO_COMMUNITY);
  // A demo database made before the SAS façade: its CPTS gets its FINESS now.
  await ds.query(`UPDATE community SET finess = $2 WHERE id = $1 AND finess IS NULL`, [community.id, DEMO_COMMUNITY.finess]);
  const today = DateTime.now().setZone('Europe/Paris').toISODate()!;

  for (const p of DEMO_PRACTICES) {
    let [practice] = await ds.query(`SELECT id FROM practice WHERE community_id = $1 AND name = $2`, [community.id, p.name]);
    practice ??= await directory.createPractice(seeder, { communityId: community.id, name: p.name, address: p.address, communeCode: p.communeCode, phone: p.phone, kind: 'cabinet' });
    for (const d of p.practitioners) {
      const rpps = withRppsCheckDigit(d.rppsPrefix);
      let [practitioner] = await ds.query(`SELECT id FROM practitioner WHERE rpps = $1`, [rpps]);
      if (!practitioner) {
        const modalities = d.modalities ?? ['in_person'];
        practitioner = await directory.createPractitioner(seeder, { rpps, firstName: d.firstName, lastName: d.lastName, profession: 'general_practitioner', practiceId: practice.id, minPatientAgeMonths: d.minPatientAgeMonths ?? 0, modalities });
        for (const t of d.templates) {
          await slots.createTemplate(seeder, { practitionerId: practitioner.id, weekdays: [1, 2, 3, 4, 5, 6, 7], validFrom: today, ...t });
        }
      }
      await account('gp', `dr.${slug(d.lastName)}@demo.cpts.fr`, { practitionerId: practitioner.id });
    }
    if (p.key === 'bonneval') await account('secretary', 'secretariat.bonneval@demo.cpts.fr', { practiceId: practice.id });
    if (p.key === 'chateaudun') await account('secretary', 'secretariat.chateaudun@demo.cpts.fr', { practiceId: practice.id });
  }
  await account('regulator', 'regulation.samu28@demo.cpts.fr');
  await account('coordinator', 'coordination@demo.cpts.fr', { communityId: community.id });
  // Templates already give slots from now to the coming week; re-running tops up, never duplicates.
  await slots.expandTemplates();
  return created;
}

/**
 * A fresh API key of the SAS platform for this demo run (the previous run's is revoked: a key is
 * shown once), and what a first FHIR search needs: a demo GP's RPPS and the next two days.
 */
async function sasKey(ds: DataSource, accounts: AccountsService) {
  const name = 'Plateforme SAS (démonstration)';
  const [admin] = await ds.query(`SELECT id FROM app_user WHERE role = 'admin' ORDER BY created_at LIMIT 1`);
  const seeder: Principal = { kind: 'user', id: admin.id, role: 'admin', practiceId: null, practitionerId: null, communityId: null };
  for (const { id } of await ds.query(`SELECT id FROM api_key WHERE name = $1 AND revoked_at IS NULL`, [name])) await accounts.revokeApiKey(seeder, id);
  const { key } = await accounts.createApiKey(seeder, { name, role: 'regulator' });
  const [{ rpps }] = await ds.query(`SELECT pr.rpps FROM practitioner pr JOIN practice p ON p.id = pr.practice_id JOIN community c ON c.id = p.community_id WHERE c.name = $1 ORDER BY pr.last_name LIMIT 1`, [DEMO_COMMUNITY.name]);
  const now = DateTime.now().setZone('Europe/Paris').startOf('minute');
  const local = (d: DateTime) => d.toFormat("yyyy-MM-dd'T'HH:mm:ss");
  return { key, rpps, from: local(now), to: local(now.plus({ days: 2 })) };
}

const slug = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, '-');

// Imported for its seeding (tests): only `node dist/src/cli/demo.js` starts the demo.
if (require.main === module) {
  main().catch((e) => {
    console.error(`La démo n'a pas pu démarrer : ${config ? startupMessage(e, config) : e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
