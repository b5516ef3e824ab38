import pg from 'pg';

/**
 * libpq's multi-host URL, which node-postgres does not understand:
 * `postgres://user@host1:5432,host2:5432/db?target_session_attrs=read-write`. Split
 * into one URL per host, in order, without the attribute libpq would have consumed.
 */
export function candidateUrls(connectionString: string): { urls: string[]; readWrite: boolean } {
  const match = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(.*)$/.exec(connectionString);
  if (match === null) return { urls: [connectionString], readWrite: false };
  const [, scheme, user = '', hosts = '', rest = ''] = match;
  const [path = '', query = ''] = rest.split('?', 2) as [string, string | undefined];
  // The other parameters are passed on byte for byte.
  const params = query.split('&').filter((param) => param !== '');
  const attrs = new URLSearchParams(query).get('target_session_attrs');
  if (attrs !== null && attrs !== 'any' && attrs !== 'read-write') throw new Error(`target_session_attrs=${attrs} is not supported (use read-write)`);
  const kept = params.filter((param) => !param.startsWith('target_session_attrs='));
  const tail = kept.length === 0 ? path : `${path}?${kept.join('&')}`;
  return { urls: hosts.split(',').map((host) => `${scheme}${user}${host}${tail}`), readWrite: attrs === 'read-write' };
}

/** Error codes after which the server in use may be gone or demoted: find the primary again. */
const LOST_SERVER = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '25006']);

export function lostServer(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (LOST_SERVER.has(code) || code.startsWith('08'))) return true;
  return error instanceof Error && /Connection terminated|connection timeout|not queryable/i.test(error.message);
}

/**
 * Keeps a pool on the database server that takes writes. With several hosts and
 * `target_session_attrs=read-write` it picks the first that is not read-only (a
 * standby), and picks again after an error that says the server went away; so a node
 * follows a promoted standby on its own, as libpq clients do.
 */
export class PrimaryPool {
  private current: { pool: pg.Pool; url: string } | null = null;
  private choosing: Promise<pg.Pool> | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly config: Omit<pg.PoolConfig, 'connectionString'>,
  ) {}

  /** The pool on the current primary, choosing one if there is none. */
  async pool(): Promise<pg.Pool> {
    if (this.current !== null) return this.current.pool;
    this.choosing ??= this.choose().finally(() => {
      this.choosing = null;
    });
    return this.choosing;
  }

  /** Called with any error a query met: if it says the server is gone, the next pool() chooses again. */
  failed(error: unknown): void {
    if (this.current === null || !lostServer(error)) return;
    const { pool } = this.current;
    this.current = null;
    pool.end().catch(() => undefined);
  }

  async end(): Promise<void> {
    const current = this.current;
    this.current = null;
    await current?.pool.end();
  }

  private async choose(): Promise<pg.Pool> {
    const { urls, readWrite } = candidateUrls(this.connectionString);
    const refusals: string[] = [];
    for (const url of urls) {
      if (readWrite && urls.length > 1) {
        const why = await writableProblem(url);
        if (why !== null) {
          refusals.push(`${redacted(url)}: ${why}`);
          continue;
        }
      }
      const pool = new pg.Pool({ ...this.config, connectionString: url });
      // An idle connection that dies is reported here rather than crashing the process.
      pool.on('error', (error) => this.failed(error));
      this.current = { pool, url };
      return pool;
    }
    throw Object.assign(new Error(`no PostgreSQL server takes writes: ${refusals.join('; ')}`), { code: '08001' });
  }
}

async function writableProblem(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
    return rows[0]?.transaction_read_only === 'off' ? null : 'read-only (a standby)';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redacted(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
