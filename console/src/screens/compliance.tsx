import { Stack, Tabs, Title } from '@mantine/core';
import { useState } from 'react';
import { Alerts, Cases } from './compliance/cases.js';
import { Screening } from './compliance/screening.js';
import { TravelRule } from './compliance/travel-rule.js';

/** The compliance desk: screening, alerts worked into cases and decisions, reports, Travel Rule data. */
export function ComplianceScreen() {
  const [tab, setTab] = useState<string | null>('cases');
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={2}>Compliance</Title>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="cases">Alerts and cases</Tabs.Tab>
          <Tabs.Tab value="screening">Screening</Tabs.Tab>
          <Tabs.Tab value="travel-rule">Travel Rule</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="cases" pt="md"><Stack><Alerts onOpened={setSelected} /><Cases selected={selected} onSelect={setSelected} /></Stack></Tabs.Panel>
        <Tabs.Panel value="screening" pt="md"><Screening /></Tabs.Panel>
        <Tabs.Panel value="travel-rule" pt="md"><TravelRule /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
