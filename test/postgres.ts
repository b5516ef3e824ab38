import pg from 'pg';

/** The PostgreSQL server the tests use: the machine's own, unless told otherwise. */
export const DATABASE_URL = process.env.DEPOSITUM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Why PostgreSQL tests are skipped, or false when they run. In CI they never skip:
 * an unreachable server fails the run.
 */
export async function postgresSkip(): Promise<string | false> {
  if (await reachable()) return false;
  if (process.env.CI !== undefined) throw new Error(`PostgreSQL is required in CI and does not answer at ${DATABASE_URL}`);
  return `PostgreSQL does not answer at ${DATABASE_URL} (set DEPOSITUM_TEST_DATABASE_URL)`;
}

let made = 0;

/** A fresh schema for one test, and a connection URL whose sessions use it; drop() removes it. */
export async function freshSchema(prefix: string): Promise<{ schema: string; url: string; drop: () => Promise<void> }> {
  made += 1;
  const schema = `depositum_${prefix}_${process.pid}_${made}`;
  await sql(`CREATE SCHEMA ${schema}`);
  const url = new URL(DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { schema, url: url.toString(), drop: async () => void (await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)) };
}

export async function sql(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}
