import pg from 'pg';

/** One statement on its own connection: creating and dropping a benchmark's schema. */
export async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
