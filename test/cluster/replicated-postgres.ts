import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Debian's PostgreSQL server binaries (postgresql-<major>), the newest installed. */
function binDir(): string {
  const majors = readdirSync('/usr/lib/postgresql').map(Number).filter(Number.isInteger).sort((a, b) => b - a);
  if (majors[0] === undefined) throw new Error('no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)');
  return `/usr/lib/postgresql/${majors[0]}/bin`;
}

/** The server refuses to run as root: as root, run its tools as the postgres user. */
async function asPostgres(tool: string, args: string[]): Promise<string> {
  const command = join(binDir(), tool);
  const [file, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const { stdout } = await run(file, argv, { timeout: 60_000 });
  return stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function postgresUid(): Promise<number | null> {
  if (process.getuid?.() !== 0) return null;
  return Number((await run('id', ['-u', 'postgres'])).stdout.trim());
}

export interface ReplicatedPostgres {
  /** libpq's multi-host form: the nodes find whichever server takes writes. */
  url: string;
  primaryUrl: string;
  standbyUrl: string;
  /** Like pulling the plug: no shutdown checkpoint, connections cut. */
  stopPrimaryHard(): Promise<void>;
  promoteStandby(): Promise<void>;
  remove(): Promise<void>;
}

async function syncState(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ sync_state: string }>('SELECT sync_state FROM pg_stat_replication');
    return rows[0]?.sync_state ?? null;
  } finally {
    await client.end();
  }
}

/**
 * Two PostgreSQL clusters on loopback ports, made with the Debian server tools in a
 * temporary directory: a primary, and a streaming standby it waits for on every commit
 * (synchronous_standby_names = '*'), so a commit the primary acknowledged is on both.
 */
export async function startReplicatedPostgres(): Promise<ReplicatedPostgres> {
  const root = mkdtempSync('/tmp/depositum-pgha-');
  const uid = await postgresUid();
  if (uid !== null) chownSync(root, uid, uid);
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const primary = join(root, 'primary');
  const standby = join(root, 'standby');
  const settings = (port: number): string => `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${root}'\n`;
  const ctl = (dir: string, ...args: string[]) => asPostgres('pg_ctl', ['-D', dir, '-l', `${dir}.log`, ...args]);
  const remove = async (): Promise<void> => {
    for (const dir of [primary, standby]) await ctl(dir, '-m', 'immediate', 'stop').catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await asPostgres('initdb', ['-D', primary, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    appendFileSync(primary + '/postgresql.conf', `${settings(primaryPort)}wal_level = replica\nmax_wal_senders = 4\nsynchronous_standby_names = '*'\nsynchronous_commit = on\n`);
    await ctl(primary, '-w', 'start');
    await asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', standby, '-R', '-X', 'stream']);
    appendFileSync(standby + '/postgresql.conf', settings(standbyPort));
    await ctl(standby, '-w', 'start');
    const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
    const deadline = Date.now() + 30_000;
    while ((await syncState(primaryUrl)) !== 'sync') {
      if (Date.now() > deadline) throw new Error('the standby did not become synchronous');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      url: `postgres://postgres@127.0.0.1:${primaryPort},127.0.0.1:${standbyPort}/postgres?target_session_attrs=read-write`,
      primaryUrl,
      standbyUrl: `postgres://postgres@127.0.0.1:${standbyPort}/postgres`,
      stopPrimaryHard: async () => void (await ctl(primary, '-m', 'immediate', 'stop')),
      promoteStandby: async () => {
        await ctl(standby, '-w', 'promote');
        // It inherited "wait for a synchronous standby" and has none: commits would wait for ever.
        // Patroni does the same when the last synchronous standby is gone (unless strict).
        const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${standbyPort}/postgres` });
        await client.connect();
        await client.query("ALTER SYSTEM SET synchronous_standby_names = ''");
        await client.query('SELECT pg_reload_conf()');
        await client.end();
      },
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}
