import { knex, type Knex } from '@mikro-orm/postgresql';

/** One connection to a PostgreSQL server for administration (creating and dropping databases), closed afterwards. */
export async function withAdmin<T>(serverUrl: string, work: (admin: Knex) => Promise<T>): Promise<T> {
  const admin = knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  try {
    return await work(admin);
  } finally {
    await admin.destroy();
  }
}
