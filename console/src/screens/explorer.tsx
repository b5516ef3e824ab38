import { Alert, Anchor, Button, Code, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Route, Routes, useNavigate, useParams } from 'react-router';
import type { SignedBlock, TransactionRecord } from '../../../src/sdk/browser.js';
import { LiveActivity } from '../activity.js';
import { errorMessage, useRead } from '../api.js';
import { useLive } from '../live.js';
import { ListTable, ReadError, Section, StatusBadge } from '../parts.js';
import { useSession } from '../session.js';
import { utcSecond } from '../time.js';

const time = (ms: number): string => `${utcSecond(ms)} UTC`;
const short = (hash: string): string => `${hash.slice(0, 12)}…`;

/** Blocks, transactions and receipts; receipts are verified here, in the browser, against the validator keys. */
export function ExplorerScreen() {
  return (
    <Routes>
      <Route index element={<ChainOverview />} />
      <Route path="blocks/:height" element={<BlockView />} />
      <Route path="transactions/:hash" element={<TransactionView />} />
    </Routes>
  );
}

function Health() {
  const { client, network } = useSession();
  const live = useLive();
  const health = useRead(['health'], () => fetch(`${client.url}/health`).then((response) => response.json() as Promise<{ status: string; height: number }>));
  const ready = useRead(['ready'], () => fetch(`${client.url}/ready`).then((response) => response.json() as Promise<{ ready: boolean; role: string; height: number }>));
  return (
    <Section title="Chain health">
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stack gap={0}><Text size="xs" c="dimmed">Node</Text><Group gap="xs"><StatusBadge status={health.data?.status ?? '…'} /><Text size="sm">{ready.data?.role ?? ''}</Text></Group></Stack>
        <Stack gap={0}><Text size="xs" c="dimmed">Height</Text><Text data-testid="chain-height">{live.head?.height ?? health.data?.height ?? network.height}</Text></Stack>
        <Stack gap={0}><Text size="xs" c="dimmed">Last block</Text><Text size="sm">{live.head === null ? '—' : time(live.head.timeMs)}</Text></Stack>
        <Stack gap={0}><Text size="xs" c="dimmed">Event feed</Text><StatusBadge status={live.state} /></Stack>
      </SimpleGrid>
      <Text size="xs">Validator keys (from the node; compare with the genesis you hold, hash <Code>{short(network.genesisHash)}</Code>): {network.validators.map((v) => <Code key={v.id}>{v.id}: {v.publicKey}</Code>)}</Text>
    </Section>
  );
}

function ChainOverview() {
  const { client } = useSession();
  const navigate = useNavigate();
  const live = useLive();
  const [prefix, setPrefix] = useState('');
  const [findError, setFindError] = useState<string | null>(null);
  const head = live.head?.height ?? null;
  const blocks = useRead(['blocks', head], async () => {
    const { height } = await client.request<{ height: number }>('GET', '/v1/network');
    return (await client.blocks(Math.max(0, height - 100), 100)).data.reverse();
  });
  const find = async (): Promise<void> => {
    setFindError(null);
    try {
      const found = await client.transactionByHashPrefix(prefix.trim().toLowerCase());
      navigate(`/explorer/transactions/${found.hash}`);
    } catch (error) {
      setFindError(errorMessage(error));
    }
  };
  return (
    <Stack>
      <Title order={2}>Explorer</Title>
      <Health />
      <Group align="end">
        <TextInput label="Find a transaction by hash (6 hex digits or more)" value={prefix} onChange={(event) => setPrefix(event.currentTarget.value)} w={420} />
        <Button onClick={() => void find()} disabled={prefix.trim().length < 6}>Find</Button>
      </Group>
      {findError !== null && <Alert color="red" role="alert">{findError}</Alert>}
      <Section title="Latest blocks">
        <ReadError error={blocks.error} />
        <ListTable<SignedBlock>
          label="blocks" records={blocks.data} idAccessor="hash" fetching={blocks.isFetching}
          onRowClick={(block) => navigate(`/explorer/blocks/${block.header.height}`)}
          columns={[
            { accessor: 'header.height', title: 'Height', render: (block) => <Anchor component="button" onClick={() => navigate(`/explorer/blocks/${block.header.height}`)}>{block.header.height}</Anchor> },
            { accessor: 'hash', title: 'Hash', render: (block) => <Code>{short(block.hash)}</Code> },
            { accessor: 'header.transactionCount', title: 'Transactions' },
            { accessor: 'header.timestampMs', title: 'Time', render: (block) => time(block.header.timestampMs) },
          ]}
        />
      </Section>
      <LiveActivity />
    </Stack>
  );
}

function BlockView() {
  const { client } = useSession();
  const navigate = useNavigate();
  const height = Number(useParams()['height']);
  const block = useRead(['block', height], () => client.block(height));
  const transactions = useRead(['block-transactions', height], () => client.blockTransactions(height));
  return (
    <Stack>
      <Title order={2}>Block {height}</Title>
      <ReadError error={block.error ?? transactions.error} />
      {block.data !== undefined && (
        <Table withTableBorder aria-label="Block header">
          <Table.Tbody>
            {Object.entries({ ...block.data.header, hash: block.data.hash }).map(([name, value]) => (
              <Table.Tr key={name}><Table.Th w={180}>{name}</Table.Th><Table.Td><Code>{name === 'timestampMs' ? `${value} (${time(Number(value))})` : String(value)}</Code></Table.Td></Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Section title="Transactions">
        {transactions.data?.complete === false && <Text size="sm" c="dimmed">Only your own transactions of this block are shown.</Text>}
        <ListTable<TransactionRecord>
          label="transactions" records={transactions.data?.data} idAccessor="hash"
          onRowClick={(record) => navigate(`/explorer/transactions/${record.hash}`)}
          columns={[
            { accessor: 'position', title: '#' },
            { accessor: 'hash', title: 'Hash', render: (record) => <Anchor component="button" onClick={() => navigate(`/explorer/transactions/${record.hash}`)}><Code>{short(record.hash)}</Code></Anchor> },
            { accessor: 'sender', title: 'Sender', render: (record) => (record.envelope ?? record.disclosed)?.body.sender ?? '' },
            { accessor: 'result.status', title: 'Result', render: (record) => <StatusBadge status={record.result.status} /> },
          ]}
        />
      </Section>
    </Stack>
  );
}

function TransactionView() {
  const { client } = useSession();
  const hash = useParams()['hash'] ?? '';
  const record = useRead(['transaction', hash], () => client.transaction(hash));
  const receipt = useRead(['receipt', hash], () => client.receipt(hash));
  const [check, setCheck] = useState<{ ok: boolean; text: string } | null>(null);
  const verify = async (): Promise<void> => {
    const envelope = record.data?.envelope ?? record.data?.disclosed;
    if (receipt.data === undefined || envelope === undefined) return;
    const problem = await client.receiptProblem(receipt.data, envelope);
    setCheck(problem === null
      ? { ok: true, text: `Verified in your browser: the transaction and its result are in block ${receipt.data.block.header.height} (Merkle inclusion proofs checked against its roots), and the block is signed by the validator key.` }
      : { ok: false, text: `Not verified: ${problem}` });
  };
  const body = (record.data?.envelope ?? record.data?.disclosed)?.body;
  return (
    <Stack>
      <Title order={2}>Transaction <Code>{short(hash)}</Code></Title>
      <ReadError error={record.error ?? receipt.error} />
      {record.data !== undefined && body !== undefined && (
        <Table withTableBorder aria-label="Transaction">
          <Table.Tbody>
            <Table.Tr><Table.Th w={180}>Hash</Table.Th><Table.Td><Code>{record.data.hash}</Code></Table.Td></Table.Tr>
            <Table.Tr><Table.Th>Block</Table.Th><Table.Td>{record.data.height} (position {record.data.position})</Table.Td></Table.Tr>
            <Table.Tr><Table.Th>Sender and id</Table.Th><Table.Td>{body.sender} / {body.id}</Table.Td></Table.Tr>
            {body.reference !== undefined && <Table.Tr><Table.Th>Reference</Table.Th><Table.Td>{body.reference}</Table.Td></Table.Tr>}
            {body.memo !== undefined && <Table.Tr><Table.Th>Memo</Table.Th><Table.Td>{body.memo}</Table.Td></Table.Tr>}
            <Table.Tr><Table.Th>Signers</Table.Th><Table.Td>{record.data.signers.join(', ')}</Table.Td></Table.Tr>
            <Table.Tr><Table.Th>Result</Table.Th><Table.Td><StatusBadge status={record.data.result.status} /> {record.data.result.status === 'rejected' ? record.data.result.code : ''}</Table.Td></Table.Tr>
            <Table.Tr><Table.Th>Operations</Table.Th><Table.Td><Code block>{JSON.stringify(body.operations, null, 2)}</Code></Table.Td></Table.Tr>
          </Table.Tbody>
        </Table>
      )}
      <Group>
        <Button onClick={() => void verify()} disabled={receipt.data === undefined || record.data === undefined}>Verify the receipt in this browser</Button>
      </Group>
      {check !== null && <Alert color={check.ok ? 'green' : 'red'} title={check.ok ? 'Verified in your browser' : 'Not verified'} data-testid="proof-check">{check.text}</Alert>}
      {receipt.data !== undefined && (
        <Section title="Receipt">
          <Text size="sm">Transaction proof: {receipt.data.transactionProof.length} hashes; result proof: {receipt.data.resultProof.length} hashes; block signed by {receipt.data.block.signatures.map((s) => s.validator).join(', ')}.</Text>
        </Section>
      )}
    </Stack>
  );
}
