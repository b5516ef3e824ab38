import { Stack, Tabs, Title } from '@mantine/core';
import { DailyReports, RegisterImport, StressTests } from './reserves/desk.js';
import { ReservesOverview } from './reserves/overview.js';

/** A stablecoin's reserves: coverage and liquidity, composition against the profile, stress tests, reports and attestations. */
export function ReservesScreen() {
  return (
    <Stack>
      <Title order={2}>Reserves</Title>
      <Tabs defaultValue="overview" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">Coverage and composition</Tabs.Tab>
          <Tabs.Tab value="stress">Stress tests</Tabs.Tab>
          <Tabs.Tab value="reports">Reports and register</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md"><ReservesOverview /></Tabs.Panel>
        <Tabs.Panel value="stress" pt="md"><StressTests /></Tabs.Panel>
        <Tabs.Panel value="reports" pt="md"><Stack><RegisterImport /><DailyReports /></Stack></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
