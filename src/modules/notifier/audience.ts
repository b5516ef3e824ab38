import { overseesLedger, type Participant } from '../../core/index.js';
import type { DepositumClient, LedgerEvent } from '../../sdk/index.js';
import { readParticipants } from '../kit/directory.js';

/**
 * Whether an endpoint's owner may see an event, by the node's own rule (node/visibility.ts
 * canSeeEvent): overseers see all; others the events that name them, their accounts, or a
 * transaction they sent or signed, also as a delegate. Read through the module's
 * overseeing identity: participants are re-read when one changes, account owners never change.
 */
export class Audience {
  private participants: Map<string, Participant> | null = null;
  private readonly owners = new Map<string, string>();

  constructor(private readonly client: DepositumClient) {}

  /** Called for every event before it is judged: a participant event may change roles or delegates. */
  observe(event: LedgerEvent): void {
    if (event.type.startsWith('participant_')) this.participants = null;
  }

  async maySee(owner: string, event: LedgerEvent): Promise<boolean> {
    const participants = await this.directory();
    const self = participants.get(owner);
    if (self === undefined) return false;
    if (overseesLedger(self.roles)) return true;
    const actsAs = (party: string | undefined): boolean => party !== undefined && (party === owner || (participants.get(party)?.delegates.includes(owner) ?? false));
    if (event.participants.some(actsAs)) return true;
    if (event.transaction !== null && (actsAs(event.transaction.sender) || event.transaction.signers.some(actsAs))) return true;
    for (const account of event.accounts) if (actsAs(await this.ownerOf(account))) return true;
    return false;
  }

  private async ownerOf(account: string): Promise<string> {
    let owner = this.owners.get(account);
    if (owner === undefined) {
      owner = (await this.client.account(account)).owner;
      this.owners.set(account, owner);
    }
    return owner;
  }

  private async directory(): Promise<Map<string, Participant>> {
    if (this.participants !== null) return this.participants;
    this.participants = await readParticipants(this.client);
    return this.participants;
  }
}
