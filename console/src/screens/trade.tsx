import { Stack, Tabs, Title } from '@mantine/core';
import { useState } from 'react';
import { Agreements } from './trade/agreements.js';
import { DraftFromConversation } from './trade/draft.js';

/** B2B trade: agreements with their milestones and releases, drafted from the parties' conversation. */
export function TradeScreen() {
  const [tab, setTab] = useState<string | null>('agreements');
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={2}>Trade</Title>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="agreements">Agreements</Tabs.Tab>
          <Tabs.Tab value="draft">Draft from a conversation</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="agreements" pt="md"><Agreements selected={selected} onSelect={setSelected} /></Tabs.Panel>
        <Tabs.Panel value="draft" pt="md"><DraftFromConversation onProposed={(id) => { setSelected(id); setTab('agreements'); }} /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
