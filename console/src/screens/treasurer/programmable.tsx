import { Button, List, Text } from '@mantine/core';
import type { ConditionalPaymentInfo, SettlementInfo } from '../../../../src/sdk/browser.js';
import { useEveryPage, useSubmit } from '../../api.js';
import { Amount, ListTable, ReadError, Section, StatusBadge } from '../../parts.js';
import { useSession } from '../../session.js';
import { Outcome } from './outcome.js';
import { utcMinute } from '../../time.js';

type Tranche = ConditionalPaymentInfo['tranches'][number];

/** What a tranche still needs, in words: approvals, documents from attesters, a date. */
function waitingFor(t: Tranche): string {
  const needs = [
    ...(t.waitingFor.approvals > 0 ? [`${t.waitingFor.approvals} approval(s) of ${t.approvers.join(', ')}`] : []),
    ...t.waitingFor.attestations.map((a) => `${a.documentType} from ${a.attester}`),
    ...(t.waitingFor.untilMs === null ? [] : [`until ${utcMinute(t.waitingFor.untilMs)} UTC`]),
  ];
  return needs.length === 0 ? 'nothing: releasable' : `waiting for ${needs.join('; ')}`;
}

/** Conditional payments the participant is party to: their tranches, conditions and who still has to act. */
export function ConditionalPayments() {
  const { client, me } = useSession();
  const submit = useSubmit();
  const payments = useEveryPage('conditional', (startingAfter) => client.conditionalPayments({ limit: 500, ...(startingAfter !== undefined && { startingAfter }) }));
  return (
    <Section title="Conditional payments">
      <ReadError error={payments.error} />
      <ListTable<ConditionalPaymentInfo>
        label="conditional payments" records={payments.data} idAccessor="id" fetching={payments.isFetching}
        columns={[
          { accessor: 'id', title: 'Payment' },
          { accessor: 'payer', title: 'Payer' },
          { accessor: 'payee', title: 'Payee' },
          { accessor: 'amount', title: 'Amount', textAlign: 'right', render: (p) => <Amount value={p.amount} asset={p.asset} /> },
          { accessor: 'released', title: 'Released', textAlign: 'right', render: (p) => <Amount value={p.released} asset={p.asset} /> },
          { accessor: 'status', title: 'Status', render: (p) => <StatusBadge status={p.status} /> },
          {
            accessor: 'tranches', title: 'Tranches: conditions', render: (p) => (
              <List size="xs">{p.tranches.map((t) => (
                <List.Item key={t.id}>
                  {t.id}: <Amount value={t.amount} asset={p.asset} /> {t.status} — {waitingFor(t)}
                  {t.approvers.includes(me.id) && !t.approvals.includes(me.id) && t.waitingFor.approvals > 0 && (
                    <Button size="compact-xs" ml={6} onClick={() => submit.mutate({ operations: [{ type: 'approve_conditional', payment: p.id, tranche: t.id }] })}>Approve {t.id}</Button>
                  )}
                </List.Item>
              ))}</List>
            ),
          },
        ]}
      />
      <Outcome label="Approval" error={submit.error} outcome={submit.data?.outcome} />
    </Section>
  );
}

/** Settlement instructions (DvP, PvP): each leg, and who still has to allocate or approve. */
export function Settlements() {
  const { client } = useSession();
  const settlements = useEveryPage('settlements', (startingAfter) => client.settlements({ limit: 500, ...(startingAfter !== undefined && { startingAfter }) }));
  return (
    <Section title="Settlement instructions">
      <ReadError error={settlements.error} />
      <ListTable<SettlementInfo>
        label="settlements" records={settlements.data} idAccessor="id" fetching={settlements.isFetching}
        columns={[
          { accessor: 'id', title: 'Settlement' },
          { accessor: 'proposer', title: 'Proposer' },
          { accessor: 'legs', title: 'Legs', render: (s) => <List size="xs">{s.legs.map((leg) => <List.Item key={leg.leg}>{leg.from} → {leg.to}: <Amount value={leg.amount} asset={leg.asset} /> {leg.allocated ? '· allocated' : ''} {leg.approved ? '· approved' : ''}</List.Item>)}</List> },
          { accessor: 'status', title: 'Status', render: (s) => <StatusBadge status={s.status} /> },
          { accessor: 'waitingFor', title: 'Who still has to act', render: (s) => <Text size="xs">{s.waitingFor.join('; ') || '—'}</Text> },
        ]}
      />
    </Section>
  );
}
