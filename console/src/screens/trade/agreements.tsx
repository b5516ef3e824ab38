import { Anchor, Button, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { ConditionalPaymentInfo } from '../../../../src/sdk/browser.js';
import { DepositumApiError } from '../../../../src/sdk/browser.js';
import { useModuleRead, useRead, useSubmit } from '../../api.js';
import { ListTable, ReadError, Section, StatusBadge } from '../../parts.js';
import { useSession } from '../../session.js';
import { Outcome } from '../treasurer/outcome.js';

interface Listed { agreement: string; version: number; hash: string; buyer: string; seller: string; proposedBy: string; proposedAtMs: number; signedBy: string[]; concluded: boolean }
interface Milestone { id: string; shareBp: number; evidence: { kind: string; attester?: string; documentType?: string }; deadline: string }
interface Agreement { id: string; version: number; buyer: { participant: string; account: string }; seller: { participant: string; account: string }; currency: string; goods: { description: string; quantity: string; unit: string; unitPrice: string }[]; incoterms: { rule: string; place: string }; milestones: Milestone[]; disputeWindowDays: number }
interface Shown { agreement: Agreement; hash: string; proposedBy: string; signedBy: string[]; concluded: boolean; payment: { id: string } }

const evidence = (m: Milestone): string => (m.evidence.kind === 'attestation' ? `${m.evidence.documentType ?? ''} from ${m.evidence.attester ?? ''}` : m.evidence.kind);
/** The desk records signatures from the event feed a moment after their block: its reads refresh on a timer too. */
const DESK_REFRESH_MS = 3_000;
const share = (bp: number): string => `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;

export function Agreements({ selected, onSelect }: { selected: string | null; onSelect: (id: string) => void }) {
  const list = useModuleRead<{ data: Listed[] }>('/v1/trade/agreements?limit=500', { refetchMs: DESK_REFRESH_MS });
  return (
    <Section title="Agreements">
      <ReadError error={list.error} module="trade" />
      <ListTable<Listed>
        label="agreements" records={list.data?.data} idAccessor="agreement" onRowClick={(a) => onSelect(a.agreement)}
        columns={[
          { accessor: 'agreement', title: 'Agreement', render: (a) => <Anchor component="button" onClick={() => onSelect(a.agreement)}>{a.agreement}</Anchor> },
          { accessor: 'version', title: 'Version' },
          { accessor: 'buyer', title: 'Buyer' },
          { accessor: 'seller', title: 'Seller' },
          { accessor: 'signedBy', title: 'Signed by', render: (a) => a.signedBy.join(', ') || '—' },
          { accessor: 'concluded', title: 'State', render: (a) => <StatusBadge status={a.concluded ? 'concluded' : 'pending signatures'} /> },
        ]}
      />
      {selected !== null && <AgreementView id={selected} />}
    </Section>
  );
}

/** One agreement: its milestones, who signed, the payment that funds it and its release history; sign it as a party. */
function AgreementView({ id }: { id: string }) {
  const { client, me } = useSession();
  const submit = useSubmit();
  const shown = useModuleRead<Shown>(`/v1/trade/agreements/${encodeURIComponent(id)}`, { refetchMs: DESK_REFRESH_MS });
  const paymentId = shown.data?.payment.id;
  const payment = useRead(['trade-payment', paymentId], async (): Promise<ConditionalPaymentInfo | null> => {
    try {
      return await client.conditionalPayment(paymentId!);
    } catch (error) {
      if (error instanceof DepositumApiError && error.status === 404) return null;
      throw error;
    }
  }, { enabled: paymentId !== undefined });
  const a = shown.data?.agreement;
  const party = a !== undefined && [a.buyer.participant, a.seller.participant].includes(me.id);
  return (
    <Stack gap="xs" component="section" aria-label={`Agreement ${id}`}>
      <Title order={4}>Agreement {id}</Title>
      <ReadError error={shown.error ?? payment.error} module="trade" />
      {a !== undefined && shown.data !== undefined && (
        <>
          <Text size="sm">Version {a.version}, hash <Code>{shown.data.hash.slice(0, 16)}…</Code>; {a.buyer.participant} buys from {a.seller.participant} in {a.currency}, {a.incoterms.rule} {a.incoterms.place}; dispute window {a.disputeWindowDays} days.</Text>
          <Text size="sm" data-testid="agreement-signatures">Signed by: {shown.data.signedBy.join(', ') || 'nobody yet'}{shown.data.concluded ? ' (concluded)' : ''}</Text>
          <Table withTableBorder aria-label="Milestones">
            <Table.Thead><Table.Tr><Table.Th>Milestone</Table.Th><Table.Th>Share</Table.Th><Table.Th>Evidence</Table.Th><Table.Th>Deadline</Table.Th><Table.Th>Release</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {a.milestones.map((m) => {
                const tranche = payment.data?.tranches.find((t) => t.id === m.id);
                return (
                  <Table.Tr key={m.id}>
                    <Table.Td>{m.id}</Table.Td><Table.Td>{share(m.shareBp)}</Table.Td><Table.Td>{evidence(m)}</Table.Td><Table.Td>{m.deadline}</Table.Td>
                    <Table.Td>{tranche === undefined ? 'not funded' : <StatusBadge status={tranche.status} />}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {payment.data !== undefined && payment.data !== null && <Text size="sm">Funded by {payment.data.id}: {payment.data.released} of {payment.data.amount} released ({payment.data.status}).</Text>}
          {party && !shown.data.signedBy.includes(me.id) && (
            <Group><Button loading={submit.isPending} onClick={() => submit.mutate({ operations: [{ type: 'sign_agreement', agreement: a.id, version: a.version, hash: shown.data!.hash, buyer: a.buyer.participant, seller: a.seller.participant }] })}>Sign version {a.version}</Button></Group>
          )}
          <Outcome label="Signature" error={submit.error} outcome={submit.data?.outcome} />
        </>
      )}
    </Stack>
  );
}
