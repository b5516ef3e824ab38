import { parentPort } from 'node:worker_threads';
import { ListFormatError, type SanctionsList } from './lists.js';
import { readListAt } from './load.js';

/** Reads a list file on a thread of its own (see list-reader.ts). */
export interface ListReadRequest {
  id: number;
  path: string;
}

/** The list read; or why not, `format` when the file is not the list it should be (a ListFormatError). */
export type ListReadReply = { id: number; list: SanctionsList } | { id: number; error: string; format: boolean };

parentPort!.on('message', ({ id, path }: ListReadRequest) => {
  let reply: ListReadReply;
  try {
    reply = { id, list: readListAt(path) };
  } catch (error) {
    reply = { id, error: (error as Error).message, format: error instanceof ListFormatError };
  }
  parentPort!.postMessage(reply);
});
