import type { Participant } from '../../core/index.js';
import { canSeeEvent, viewerOf } from '../../node/visibility.js';
import type { DepositumClient, LedgerEvent } from '../../sdk/index.js';
import { readParticipants } from '../kit/directory.js';

/**
 * Whether an endpoint's owner may see an event, by the node's own rule (canSeeEvent),
 * applied to what the module reads through its overseeing identity: participants are
 * re-read when one changes, account owners (which never change) once each.
 */
export class Audience {
  private participants: Map<string, Participant> | null = null;
  private readonly owners = new Map<string, { owner: string }>();

  constructor(private readonly client: DepositumClient) {}

  /** Called for every event before it is judged: a participant event may change roles or delegates. */
  observe(event: LedgerEvent): void {
    if (event.type.startsWith('participant_')) this.participants = null;
  }

  async maySee(owner: string, event: LedgerEvent): Promise<boolean> {
    this.participants ??= await readParticipants(this.client);
    const self = this.participants.get(owner);
    if (self === undefined) return false;
    const viewer = viewerOf(self);
    if (viewer.seesAll) return true;
    for (const account of event.accounts) {
      if (!this.owners.has(account)) this.owners.set(account, { owner: (await this.client.account(account)).owner });
    }
    return canSeeEvent(viewer, event, { participants: this.participants, accounts: this.owners });
  }
}
