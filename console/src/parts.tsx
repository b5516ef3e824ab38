import { Alert, Badge, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { useMemo, useState, type ReactNode } from 'react';
import { DepositumApiError } from '../../src/sdk/browser.js';
import { errorMessage, useAssets } from './api.js';
import { formatMoney } from './money.js';

/** An amount of an asset, formatted by its currency; a tabular figure, right-aligned by its column. */
export function Amount({ value, asset }: { value: string; asset: string }) {
  const found = useAssets().get(asset);
  return <Text span ff="monospace" size="sm">{found === undefined ? value : formatMoney(value, found.code, found.decimals)}</Text>;
}

/** What the node answered when a read failed; a module that does not run on this node says so. */
export function ReadError({ error, module }: { error: Error | null; module?: string }) {
  if (error === null) return null;
  if (module !== undefined && error instanceof DepositumApiError && error.code === 'not_found') {
    return <Alert color="gray" title={`The ${module} module does not run on this node`}>Start the node with <code>--modules {module}</code> to use this screen.</Alert>;
  }
  return <Alert color="red" title="The node refused">{errorMessage(error)}</Alert>;
}

export function Section({ title, children, right }: { title: string; children: ReactNode; right?: ReactNode }) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Group justify="space-between"><Title order={3}>{title}</Title>{right}</Group>
      {children}
    </Stack>
  );
}

const PAGE_SIZE = 10;

/**
 * A list as the console shows every list: filtered by a text typed above it (matching any
 * column's text) and paginated. Rows come from the API's pages; mantine-datatable draws them.
 */
export function ListTable<T extends object>({ label, records, columns, idAccessor, fetching, onRowClick, empty, pageSize = PAGE_SIZE }: {
  label: string;
  records: readonly T[] | undefined;
  columns: DataTableColumn<T>[];
  idAccessor: keyof T & string;
  fetching?: boolean;
  onRowClick?: (record: T) => void;
  empty?: string;
  pageSize?: number;
}) {
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(1);
  const filtered = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const all = records ?? [];
    return needle === '' ? all : all.filter((record) => JSON.stringify(record).toLowerCase().includes(needle));
  }, [records, filter]);
  const pages = Math.max(1, Math.ceil(filtered.length / pageSize));
  const shown = filtered.slice((Math.min(page, pages) - 1) * pageSize, Math.min(page, pages) * pageSize);
  return (
    <Stack gap={4}>
      <TextInput aria-label={`Filter ${label}`} placeholder={`Filter ${label}`} value={filter} size="xs" w={260} onChange={(event) => { setFilter(event.currentTarget.value); setPage(1); }} />
      <DataTable<T>
        aria-label={label}
        withTableBorder striped highlightOnHover minHeight={shown.length === 0 ? 120 : 0}
        records={shown as T[]} columns={columns} idAccessor={idAccessor}
        totalRecords={filtered.length} recordsPerPage={pageSize} page={Math.min(page, pages)} onPageChange={setPage}
        fetching={fetching ?? false} noRecordsText={empty ?? 'Nothing yet'}
        {...(onRowClick !== undefined && { onRowClick: ({ record }: { record: T }) => onRowClick(record) })}
      />
    </Stack>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const color = /committed|approved|settled|released|cleared|clear|pass|reconciled|ok|covered|live|posted|closed_false_positive|active|concluded|filed/.test(status) ? 'green'
    : /rejected|failed|blocked|confirmed|breach|frozen|critical|voided|expired|cancelled/.test(status) ? 'red'
      : /pending|open|review|warning|retrying|held|escalated/.test(status) ? 'yellow' : 'gray';
  return <Badge color={color} variant="light">{status}</Badge>;
}
