import type { Participant } from '../../core/index.js';
import type { DepositumClient } from '../../sdk/index.js';

/** Every registered participant as the client may see it (an overseer sees keys, roles and delegates). */
export async function readParticipants(client: DepositumClient): Promise<Map<string, Participant>> {
  const participants = new Map<string, Participant>();
  for (let after: string | undefined; ;) {
    const page = await client.participants(after);
    const data = page.data as unknown as Participant[];
    for (const participant of data) participants.set(participant.id, participant);
    if (!page.has_more || data.length === 0) return participants;
    after = data.at(-1)!.id;
  }
}
