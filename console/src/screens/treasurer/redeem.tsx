import { Button, FileInput, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { errorMessage, useAssets, useSubmit } from '../../api.js';
import { Section } from '../../parts.js';
import { useSession } from '../../session.js';
import { useOwnAccounts } from './balances.js';
import { Outcome } from './outcome.js';

/**
 * Redeem tokens back into the bank's books. The burn needs the issuer's consent: its officer
 * loads the issuer's key file here to co-sign (the key, like the user's, stays in this browser).
 */
export function Redeem() {
  const { cosigners, addCosigner } = useSession();
  const accounts = useOwnAccounts();
  const assets = useAssets();
  const submit = useSubmit();
  const [account, setAccount] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [payout, setPayout] = useState('');
  const [keyError, setKeyError] = useState<string | null>(null);
  const issuer = assets.get((accounts.data ?? []).find((a) => a.id === account)?.asset ?? '')?.issuer;
  const cosigner = issuer === undefined ? undefined : cosigners.get(issuer);
  const redeem = (): void => {
    if (account === null) return;
    submit.mutate({ operations: [{ type: 'redeem', account, amount: amount.trim(), payoutReference: payout.trim() }], ...(cosigner !== undefined && { cosigners: [cosigner] }) });
  };
  const load = (file: File | null): void => {
    setKeyError(null);
    if (file !== null) addCosigner(file).catch((error: unknown) => setKeyError(errorMessage(error)));
  };
  return (
    <Section title="Redeem">
      <Stack gap="xs" maw={720}>
        <Group grow align="start">
          <Select label="Account" data={(accounts.data ?? []).map((a) => a.id)} value={account} onChange={setAccount} />
          <TextInput label="Amount" value={amount} onChange={(event) => setAmount(event.currentTarget.value)} inputMode="decimal" />
          <TextInput label="Payout reference (your bank account)" value={payout} onChange={(event) => setPayout(event.currentTarget.value)} />
        </Group>
        {issuer !== undefined && (
          <Group align="end">
            <FileInput label={`Co-signature of the issuer, ${issuer}: its key file`} placeholder={cosigner === undefined ? `${issuer}.json` : `loaded: ${cosigner.keyId}`} accept="application/json,.json" onChange={load} w={380} error={keyError} />
            <Text size="sm" c={cosigner === undefined ? 'dimmed' : 'green'}>{cosigner === undefined ? 'not loaded: the ledger will refuse the burn without it' : `${issuer} co-signs`}</Text>
          </Group>
        )}
        <Group><Button onClick={redeem} loading={submit.isPending} disabled={account === null || amount.trim() === '' || payout.trim() === ''}>Redeem</Button></Group>
        <Outcome label="Redemption" error={submit.error} outcome={submit.data?.outcome} />
      </Stack>
    </Section>
  );
}
