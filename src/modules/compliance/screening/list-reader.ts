import { spawnWorker } from '../../../store/spawn-worker.js';
import { WorkerRequests } from '../../../store/worker-requests.js';
import type { ListReadReply, ListReadRequest } from './list-reader-worker.js';
import { ListFormatError, type SanctionsList } from './lists.js';

/**
 * A list file read (parsed, normalized, its version hashed) on a thread started for it:
 * OFAC's SDN files take about half a second of CPU, which in the node's process would
 * hold the sequencer. Lists change a few times a week, so the thread lives only for the
 * read. A file that is not the list it should be rejects with a ListFormatError, as
 * `readListAt` throws.
 */
export async function readListOffThread(path: string): Promise<SanctionsList> {
  const worker = spawnWorker(import.meta.url, 'list-reader-worker', null);
  const requests = new WorkerRequests<SanctionsList>(worker);
  worker.on('message', (reply: ListReadReply) => requests.settle(reply.id, 'list' in reply
    ? { value: reply.list }
    : { error: reply.format ? new ListFormatError(reply.error) : new Error(`reading the list at ${path} failed: ${reply.error}`) }));
  worker.on('error', (error) => requests.failAll(new Error(`the list reader failed: ${error.message}`)));
  worker.on('exit', (code) => requests.failAll(new Error(`the list reader stopped (exit ${code})`)));
  try {
    return await requests.send((id) => ({ id, path } satisfies ListReadRequest));
  } finally {
    await worker.terminate();
  }
}
