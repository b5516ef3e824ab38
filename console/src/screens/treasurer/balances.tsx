import type { AccountBalance } from '../../../../src/sdk/browser.js';
import { useRead } from '../../api.js';
import { Amount, ListTable, ReadError, Section, StatusBadge } from '../../parts.js';
import { useSession } from '../../session.js';

/** The signed-in participant's accounts (every account, for an overseer). */
export function useOwnAccounts() {
  const { client, me } = useSession();
  return useRead(['accounts', me.id], async () => {
    const accounts: AccountBalance[] = [];
    for (let page = await client.accounts(me.id); ; page = await client.accounts(me.id, accounts.at(-1)?.id)) {
      accounts.push(...page.data);
      if (!page.has_more) return accounts;
    }
  });
}

export function Balances() {
  const accounts = useOwnAccounts();
  return (
    <Section title="Balances">
      <ReadError error={accounts.error} />
      <ListTable<AccountBalance>
        label="balances" records={accounts.data} idAccessor="id" fetching={accounts.isFetching}
        columns={[
          { accessor: 'id', title: 'Account' },
          { accessor: 'asset', title: 'Asset' },
          { accessor: 'available', title: 'Available', textAlign: 'right', render: (a) => <span data-testid={`available-${a.id}`}><Amount value={a.available} asset={a.asset} /></span> },
          { accessor: 'held', title: 'Held', textAlign: 'right', render: (a) => <Amount value={a.held} asset={a.asset} /> },
          { accessor: 'frozen', title: 'Status', render: (a) => <StatusBadge status={a.frozen ? 'frozen' : 'active'} /> },
        ]}
      />
    </Section>
  );
}
