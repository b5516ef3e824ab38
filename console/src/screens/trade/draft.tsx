import { Alert, Badge, Button, Group, List, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { usePost } from '../../api.js';
import { ListTable, Section } from '../../parts.js';
import { Outcome } from '../treasurer/outcome.js';

interface Sourced { value: unknown; quote: string; message?: number; confidence: number }
interface Draft { language: string; speakers: string[]; fields: Record<string, Sourced | Sourced[] | undefined>; missing: string[]; contradictions: string[]; agreement: { id: string } | null }
interface FieldRow { key: string; field: string; value: string; quote: string; confidence: number }

/** "acme:acme-usd" or "globex:globex-usd:globex-sgd" as a party. */
function party(text: string): { participant: string; account: string } | undefined {
  const [participant, account] = text.trim().split(':');
  return participant === undefined || account === undefined || participant === '' || account === '' ? undefined : { participant, account };
}

const shown = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value));

/** Every drafted field with the words it came from, one row each (a list field gives a row per item). */
function rowsOf(draft: Draft): FieldRow[] {
  return Object.entries(draft.fields).flatMap(([field, sourced]) => (sourced === undefined ? [] : (Array.isArray(sourced) ? sourced : [sourced]).map((s, n) => ({
    key: `${field}-${n}`, field: Array.isArray(sourced) ? `${field} ${n + 1}` : field, value: shown(s.value), quote: s.quote, confidence: s.confidence,
  }))));
}

/** Draft an agreement from a pasted conversation: each field with its source quote; propose it to the desk once nothing is missing. */
export function DraftFromConversation({ onProposed }: { onProposed: (id: string) => void }) {
  const draft = usePost<Draft>();
  const propose = usePost<{ agreement: string; version: number; hash: string }>();
  const [conversation, setConversation] = useState('');
  const [id, setId] = useState('');
  const [buyer, setBuyer] = useState('');
  const [seller, setSeller] = useState('');
  const [carrier, setCarrier] = useState('');
  const [arbiter, setArbiter] = useState('');
  const run = (): void => {
    const b = party(buyer);
    const s = party(seller);
    const [, , settlementAccount] = seller.trim().split(':');
    draft.mutate({
      path: '/v1/trade/drafts',
      body: {
        conversation, ...(id.trim() !== '' && { id: id.trim() }), ...(b !== undefined && { buyer: b }),
        ...(s !== undefined && { seller: { ...s, ...(settlementAccount !== undefined && settlementAccount !== '' && { settlementAccount }) } }),
        ...(carrier.trim() !== '' && { carrier: carrier.trim() }), ...(arbiter.trim() !== '' && { arbiter: arbiter.trim() }),
      },
    });
  };
  const result = draft.data;
  return (
    <Section title="Draft from a conversation">
      <Textarea label="Conversation (plain text or JSON export)" autosize minRows={6} maxRows={14} value={conversation} onChange={(event) => setConversation(event.currentTarget.value)} />
      <Group grow align="start">
        <TextInput label="Agreement id" placeholder="earbuds-2027" value={id} onChange={(event) => setId(event.currentTarget.value)} />
        <TextInput label="Buyer (participant:account)" placeholder="acme:acme-usd" value={buyer} onChange={(event) => setBuyer(event.currentTarget.value)} />
        <TextInput label="Seller (participant:account[:settlement account])" placeholder="globex:globex-usd:globex-sgd" value={seller} onChange={(event) => setSeller(event.currentTarget.value)} />
        <TextInput label="Carrier" placeholder="oceanic-lines" value={carrier} onChange={(event) => setCarrier(event.currentTarget.value)} />
        <TextInput label="Arbiter" placeholder="operator" value={arbiter} onChange={(event) => setArbiter(event.currentTarget.value)} />
      </Group>
      <Group><Button onClick={run} disabled={conversation.trim() === ''} loading={draft.isPending}>Draft</Button></Group>
      <Outcome label="Draft" error={draft.error} outcome={undefined} />
      {result !== undefined && (
        <Stack gap="xs" data-testid="draft">
          <Text size="sm">Language {result.language}; speakers {result.speakers.join(', ')}.</Text>
          <ListTable<FieldRow>
            label="drafted fields" records={rowsOf(result)} idAccessor="key" pageSize={50}
            columns={[
              { accessor: 'field', title: 'Field' },
              { accessor: 'value', title: 'Value' },
              { accessor: 'quote', title: 'Source quote', render: (r) => <Text size="xs" fs="italic">“{r.quote}”</Text> },
              { accessor: 'confidence', title: 'Confidence', render: (r) => <Badge variant="outline">{Math.round(r.confidence * 100)}%</Badge> },
            ]}
          />
          {result.missing.length > 0 && <Alert color="yellow" title="Missing"><List size="sm">{result.missing.map((m) => <List.Item key={m}>{m}</List.Item>)}</List></Alert>}
          {result.contradictions.length > 0 && <Alert color="red" title="Contradictions"><List size="sm">{result.contradictions.map((c) => <List.Item key={c}>{c}</List.Item>)}</List></Alert>}
          {result.agreement !== null && (
            <Group><Button onClick={() => propose.mutate({ path: '/v1/trade/agreements', body: { agreement: result.agreement } }, { onSuccess: (done) => onProposed(done.agreement) })} loading={propose.isPending}>Propose this agreement</Button></Group>
          )}
          <Outcome label="Proposal" error={propose.error} outcome={propose.data === undefined ? undefined : `${propose.data.agreement} version ${propose.data.version} proposed, hash ${propose.data.hash.slice(0, 16)}…: each party signs it`} />
        </Stack>
      )}
    </Section>
  );
}
