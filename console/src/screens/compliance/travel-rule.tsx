import { Button, Code, Group, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../../api.js';
import { Section } from '../../parts.js';
import { useSession } from '../../session.js';

interface TravelRuleData { hash: string; payload: unknown; originatorAccount: string; beneficiaryAccount: string; submittedBy: string; originator: string | null; beneficiary: string | null }

/** The Travel Rule data (IVMS101) a transfer carried by its hash: found from the transaction. */
export function TravelRule() {
  const { client } = useSession();
  const [hash, setHash] = useState('');
  const [data, setData] = useState<TravelRuleData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const find = async (): Promise<void> => {
    setError(null);
    setData(null);
    try {
      const record = await client.transaction(hash.trim().toLowerCase());
      const operations = (record.envelope?.body.operations ?? record.disclosed?.body.operations.flatMap((o) => ('operation' in o ? [o.operation] : [])) ?? []) as { travelRule?: string }[];
      const carried = operations.find((o) => o.travelRule !== undefined)?.travelRule;
      if (carried === undefined) throw new Error('this transaction carries no Travel Rule data');
      setData(await client.request<TravelRuleData>('GET', `/v1/compliance/travel-rule/${carried}`));
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };
  return (
    <Section title="Travel Rule data of a transfer">
      <Group align="end">
        <TextInput label="Transaction hash" value={hash} onChange={(event) => setHash(event.currentTarget.value)} w={560} />
        <Button onClick={() => void find()} disabled={hash.trim().length !== 64}>Show</Button>
      </Group>
      {error !== null && <Text c="red" role="alert">{error}</Text>}
      {data !== null && (
        <>
          <Text size="sm">{data.originator ?? '?'} ({data.originatorAccount}) → {data.beneficiary ?? '?'} ({data.beneficiaryAccount}); sent by {data.submittedBy}; SHA-256 <Code>{data.hash}</Code></Text>
          <Code block>{JSON.stringify(data.payload, null, 2)}</Code>
        </>
      )}
    </Section>
  );
}
