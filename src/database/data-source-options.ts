import { types } from 'pg';
import { DataSourceOptions } from 'typeorm';

// A SQL date is a calendar day, not an instant: keep it as 'YYYY-MM-DD' instead of a local-midnight Date.
types.setTypeParser(types.builtins.DATE, (v) => v);
import { AppConfig } from '../config/app-config';
import { MIGRATIONS } from '../../migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { ENTITIES } from './entities';

export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    // A request waits at most 3 s for a connection (a full pool, a server that does not answer):
    // then it is answered 503 and may be tried again, rather than hanging past the client's time-out.
    connectTimeoutMS: 3000,
    extra: { max: config.DB_POOL_SIZE, application_name: 'cpts-snp', keepAlive: true },
    // Off: TypeORM would print failed queries with their parameters, which can carry patient data.
    logging: false,
  };
}
