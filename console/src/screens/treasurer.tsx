import { Stack, Tabs, Title } from '@mantine/core';
import { LiveActivity } from '../activity.js';
import { Approvals } from './treasurer/approvals.js';
import { Balances } from './treasurer/balances.js';
import { Holds } from './treasurer/holds.js';
import { Pay } from './treasurer/pay.js';
import { ConditionalPayments, Settlements } from './treasurer/programmable.js';
import { Redeem } from './treasurer/redeem.js';
import { StandingInstructions } from './treasurer/instructions.js';
import { StatementExport } from './treasurer/statement.js';

/** A client's treasury: balances, payments, holds, redemptions, programmable payments, standing instructions, approvals, statements. */
export function TreasurerScreen() {
  return (
    <Stack>
      <Title order={2}>Treasurer</Title>
      <Balances />
      <Tabs defaultValue="pay" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="pay">Pay</Tabs.Tab>
          <Tabs.Tab value="holds">Holds</Tabs.Tab>
          <Tabs.Tab value="redeem">Redeem</Tabs.Tab>
          <Tabs.Tab value="programmable">Conditional and settlement</Tabs.Tab>
          <Tabs.Tab value="instructions">Standing instructions</Tabs.Tab>
          <Tabs.Tab value="approvals">Approvals</Tabs.Tab>
          <Tabs.Tab value="statements">Statements</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="pay" pt="md"><Pay /></Tabs.Panel>
        <Tabs.Panel value="holds" pt="md"><Holds /></Tabs.Panel>
        <Tabs.Panel value="redeem" pt="md"><Redeem /></Tabs.Panel>
        <Tabs.Panel value="programmable" pt="md"><Stack><ConditionalPayments /><Settlements /></Stack></Tabs.Panel>
        <Tabs.Panel value="instructions" pt="md"><StandingInstructions /></Tabs.Panel>
        <Tabs.Panel value="approvals" pt="md"><Approvals /></Tabs.Panel>
        <Tabs.Panel value="statements" pt="md"><StatementExport /></Tabs.Panel>
      </Tabs>
      <LiveActivity />
    </Stack>
  );
}
