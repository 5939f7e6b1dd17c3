import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { runMigrations } from '../database/migrate';
import { CommunesService } from '../directory/communes.service';

/**
 * `npm run communes:import -- FILE`: loads the official commune list (codes, names, postcodes) and the
 * commune centres of FILE, a CSV such as data.gouv.fr's "communes de France" (Licence Ouverte) or
 * data/communes-demo.csv. Columns are found by name (code_insee/insee_code, latitude/lat, longitude/lon).
 */
async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('Usage : npm run communes:import -- chemin/vers/communes.csv');
    process.exit(2);
  }
  const config = loadConfig();
  if (config.MIGRATIONS_RUN) await runMigrations(config);
  const ds = await new DataSource(dataSourceOptions(config)).initialize();
  try {
    const communes = new CommunesService(ds);
    const loaded = await communes.ensureOfficialList();
    if (loaded) console.log(`Liste officielle chargée : ${loaded} communes.`);
    const { updated, skipped } = await communes.importCoordinates(file);
    console.log(`Centres importés : ${updated} communes${skipped ? `, ${skipped} lignes ignorées (code ou coordonnées invalides)` : ''}.`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  console.error(`Échec de l'import : ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
