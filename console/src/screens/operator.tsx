import { Stack, Tabs, Title } from '@mantine/core';
import { Assets, FreezeAccount } from './operator/assets.js';
import { BankingDesk } from './operator/banking.js';
import { Participants } from './operator/directory.js';
import { Approvals } from './treasurer/approvals.js';

/** The operator's and an issuer's desk: the registry, assets and minters, pause and freeze, dual control, the bank's books. */
export function OperatorScreen() {
  return (
    <Stack>
      <Title order={2}>Operator and issuer</Title>
      <Tabs defaultValue="assets" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="assets">Assets and controls</Tabs.Tab>
          <Tabs.Tab value="participants">Participants and KYC</Tabs.Tab>
          <Tabs.Tab value="approvals">Dual-control approvals</Tabs.Tab>
          <Tabs.Tab value="banking">Banking: suspense and reconciliation</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="assets" pt="md"><Stack><Assets /><FreezeAccount /></Stack></Tabs.Panel>
        <Tabs.Panel value="participants" pt="md"><Participants /></Tabs.Panel>
        <Tabs.Panel value="approvals" pt="md"><Approvals /></Tabs.Panel>
        <Tabs.Panel value="banking" pt="md"><BankingDesk /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
