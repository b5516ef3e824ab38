import { parentPort, workerData } from 'node:worker_threads';
import { readIncoming, type IncomingMessage } from './index.js';
import { SchemaDirectory } from './schemas.js';
import { MessageError } from './xml.js';

/**
 * Reads the bank's messages on a thread of their own (see reader.ts): parsed, validated
 * against their XSD and normalized here, so a day's statement of a hundred thousand
 * entries never holds the module's thread (nor, in process, the node's sequencer).
 */
export interface ReaderData {
  xsdDirectory: string | null;
}

export interface ReadRequest {
  id: number;
  bodies: (Uint8Array | string)[];
}

/** A message read, or why it is refused (a MessageError's message). */
export type ReadOutcome = { message: IncomingMessage } | { refusal: string };

/** Every message's outcome in order; or, when reading failed for another reason than the message (a bug, memory), why. */
export type ReadReply = { id: number; outcomes: ReadOutcome[] } | { id: number; error: string };

const { xsdDirectory } = workerData as ReaderData;
const schemas = xsdDirectory === null ? undefined : new SchemaDirectory(xsdDirectory);

async function outcomeOf(body: Uint8Array | string): Promise<ReadOutcome> {
  try {
    return { message: await readIncoming(body, schemas) };
  } catch (error) {
    if (error instanceof MessageError) return { refusal: error.message };
    throw error;
  }
}

async function answer(request: ReadRequest): Promise<ReadReply> {
  try {
    const outcomes: ReadOutcome[] = [];
    for (const body of request.bodies) outcomes.push(await outcomeOf(body));
    return { id: request.id, outcomes };
  } catch (error) {
    return { id: request.id, error: (error as Error).message };
  }
}

/** One request at a time, in the order they came: the first slice of a round is ready first. */
let previous = Promise.resolve();
parentPort!.on('message', (request: ReadRequest) => {
  previous = previous.then(async () => {
    const reply = await answer(request);
    try {
      parentPort!.postMessage(reply);
    } catch (error) {
      parentPort!.postMessage({ id: request.id, error: `the outcome could not be handed back: ${(error as Error).message}` } satisfies ReadReply);
    }
  });
});
