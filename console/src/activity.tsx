import { Text } from '@mantine/core';
import type { LedgerEvent } from '../../src/sdk/browser.js';
import { useLive } from './live.js';
import { Amount, ListTable, Section } from './parts.js';
import { utcSecond } from './time.js';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** What an event did, in a line: its accounts and, for money that moved, the amount. */
function Summary({ event }: { event: LedgerEvent }) {
  const from = text(event.data['from']);
  const to = text(event.data['to']);
  const amount = text(event.data['amount']);
  const asset = text(event.data['asset']);
  return (
    <Text size="xs">
      {from !== null && to !== null ? `${from} → ${to}` : event.accounts.join(', ') || event.participants.join(', ')}
      {amount !== null && asset !== null && <> · <Amount value={amount} asset={asset} /></>}
      {event.transaction?.reference === undefined ? '' : ` · ${event.transaction.reference}`}
    </Text>
  );
}

/** The events the signed-in participant may see, as they land on the ledger (newest first), without reloading. */
export function LiveActivity() {
  const { events } = useLive();
  return (
    <Section title="Live activity">
      <ListTable<LedgerEvent>
        label="live activity" records={events} idAccessor="position" empty="Nothing since you signed in"
        columns={[
          { accessor: 'timeMs', title: 'Time (UTC)', render: (e) => utcSecond(e.timeMs).slice(11) },
          { accessor: 'height', title: 'Block' },
          { accessor: 'type', title: 'Event' },
          { accessor: 'data', title: 'What', render: (e) => <Summary event={e} /> },
        ]}
      />
    </Section>
  );
}
