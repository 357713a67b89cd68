import type { Database } from '../../db/orm';
import type { HealthCheck } from './readiness';

/** The database answers, and its schema has every migration this build knows (`npm start` or db:migrate applies them). */
export function databaseCheck(orm: Database): HealthCheck {
  return {
    name: 'database',
    async probe() {
      await orm.em.getConnection().execute('select 1');
      const pending = await orm.getMigrator().getPendingMigrations();
      if (pending.length > 0) throw new Error(`migrations not applied: ${pending.map((migration) => migration.name).join(', ')}`);
      return { migrations: 'current' };
    },
  };
}
