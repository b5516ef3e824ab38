import { BarChart, LineChart } from '@mantine/charts';
import { Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useModuleRead, useRead } from '../../api.js';
import { Amount, ListTable, ReadError, Section, StatusBadge } from '../../parts.js';
import { useSession } from '../../session.js';
import { plotted } from '../../charts.js';
import { utcMinute } from '../../time.js';

interface Status { asset: string; profile: string; supplyMinor: string | null; actions: { atMs: number; level: string; coverage: string; liquidity: string; supply: string; action: string; transaction: string | null }[] }
interface Check {
  asset: string; profile: string; registerVersion: number; asOf: string; currency: string; supply: string; reserves: string; coverage: string; liquidity: string; status: string;
  rules: { rule: string; description: string; value: string; limit: string; status: string }[];
  tiers: { tier: string; value: string; share: string }[];
}
interface OnChain { attestations: { report: string; reserves: string; supply: string; covered: boolean; attestedAtMs: number }[]; throttle: { ceiling: string; reason: string } | null }

const REFRESH_MS = 3_000;

/** Coverage and liquidity now and over time, the early-warning level, composition by tier against the profile's rules. */
export function ReservesOverview() {
  const { client } = useSession();
  const status = useModuleRead<Status>('/v1/reserves/status', { refetchMs: REFRESH_MS });
  const check = useModuleRead<Check>('/v1/reserves/check', { refetchMs: REFRESH_MS });
  const asset = status.data?.asset;
  const onChain = useRead(['reserves-on-chain', asset], () => client.request<OnChain>('GET', `/v1/assets/${encodeURIComponent(asset!)}/reserves`), { enabled: asset !== undefined });
  const history = [...(status.data?.actions ?? [])].reverse().map((a) => ({ at: utcMinute(a.atMs), coverage: plotted(a.coverage), liquidity: plotted(a.liquidity) }));
  const c = check.data;
  return (
    <Stack>
      <ReadError error={status.error ?? check.error} module="reserves" />
      {c !== undefined && (
        <Section title={`Reserves of ${c.asset} under the ${c.profile} profile`}>
          <SimpleGrid cols={{ base: 2, md: 5 }} data-testid="reserves-figures">
            <Stack gap={0}><Text size="xs" c="dimmed">Supply</Text><Amount value={c.supply} asset={c.asset} /></Stack>
            <Stack gap={0}><Text size="xs" c="dimmed">Eligible reserves</Text><Amount value={c.reserves} asset={c.asset} /></Stack>
            <Stack gap={0}><Text size="xs" c="dimmed">Coverage</Text><Text>{c.coverage}</Text></Stack>
            <Stack gap={0}><Text size="xs" c="dimmed">Liquidity</Text><Text>{c.liquidity}</Text></Stack>
            <Stack gap={0}><Text size="xs" c="dimmed">Status (register v{c.registerVersion}, {c.asOf})</Text><StatusBadge status={c.status} /></Stack>
          </SimpleGrid>
          {onChain.data?.throttle != null && <Text c="orange" size="sm">Minting throttled on the ledger: ceiling {onChain.data.throttle.ceiling} ({onChain.data.throttle.reason})</Text>}
        </Section>
      )}
      <Section title="Coverage and liquidity over time (early warning)">
        {history.length === 0 ? <Text size="sm" c="dimmed">No reading yet.</Text> : (
          <LineChart h={220} curveType="linear" data={history} dataKey="at" unit="%" series={[{ name: 'coverage', color: 'blue.6' }, { name: 'liquidity', color: 'teal.6' }]} withLegend />
        )}
        <Group gap="xs"><Text size="sm">Latest level:</Text><StatusBadge status={status.data?.actions[0]?.level ?? 'none'} /><Text size="sm">{status.data?.actions[0]?.action ?? ''}</Text></Group>
      </Section>
      {c !== undefined && (
        <Section title="Composition by tier">
          <BarChart h={200} data={c.tiers.map((t) => ({ tier: t.tier, share: plotted(t.share) }))} dataKey="tier" unit="%" series={[{ name: 'share', color: 'indigo.6' }]} />
          <ListTable<Check['rules'][number]>
            label="rules of the profile" records={c.rules} idAccessor="rule"
            columns={[
              { accessor: 'rule', title: 'Rule' },
              { accessor: 'description', title: 'What it requires' },
              { accessor: 'value', title: 'Value', textAlign: 'right' },
              { accessor: 'limit', title: 'Limit', textAlign: 'right' },
              { accessor: 'status', title: 'Status', render: (r) => <StatusBadge status={r.status} /> },
            ]}
          />
        </Section>
      )}
      <Section title="Attestations on the ledger">
        <ListTable<OnChain['attestations'][number]>
          label="attestations" records={onChain.data?.attestations} idAccessor="report"
          columns={[
            { accessor: 'report', title: 'Report' },
            { accessor: 'reserves', title: 'Reserves', textAlign: 'right', render: (a) => <Amount value={a.reserves} asset={asset ?? ''} /> },
            { accessor: 'supply', title: 'Supply', textAlign: 'right', render: (a) => <Amount value={a.supply} asset={asset ?? ''} /> },
            { accessor: 'covered', title: 'Covered', render: (a) => <StatusBadge status={a.covered ? 'covered' : 'breach'} /> },
            { accessor: 'attestedAtMs', title: 'Attested (UTC)', render: (a) => utcMinute(a.attestedAtMs) },
          ]}
        />
      </Section>
    </Stack>
  );
}
