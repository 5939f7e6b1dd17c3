import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { runMigrations } from '../database/migrate';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL and exits. */
runMigrations(loadConfig())
  .then((applied) => {
    console.log(applied.length ? `Migrations appliquées : ${applied.join(', ')}` : 'Base à jour, aucune migration en attente.');
  })
  .catch((e) => {
    console.error(`Échec des migrations : ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
