import { readIncoming, type IncomingMessage } from './index.js';
import { SchemaDirectory } from './schemas.js';
import { MessageError } from './xml.js';

/** Messages to read on a worker thread, with where their XSDs are (each thread compiles them once). */
export interface ReadTask {
  readonly messages: readonly Uint8Array[];
  readonly xsdDirectory: string | undefined;
}

/** What a worker answers of a message: read, or why it is refused (a MessageError does not cross threads as itself). */
export type ReadAnswer = { readonly message: IncomingMessage } | { readonly refused: string };

const directories = new Map<string, SchemaDirectory>();

function schemasAt(directory: string | undefined): SchemaDirectory | undefined {
  if (directory === undefined) return undefined;
  let schemas = directories.get(directory);
  if (schemas === undefined) directories.set(directory, schemas = new SchemaDirectory(directory));
  return schemas;
}

/** Runs in a worker thread: reads and validates each message as readIncoming does, in order. */
export default async function readOnWorker(task: ReadTask): Promise<ReadAnswer[]> {
  const schemas = schemasAt(task.xsdDirectory);
  const answers: ReadAnswer[] = [];
  for (const bytes of task.messages) {
    try {
      answers.push({ message: await readIncoming(bytes, schemas) });
    } catch (error) {
      if (!(error instanceof MessageError)) throw error;
      answers.push({ refused: error.message });
    }
  }
  return answers;
}
