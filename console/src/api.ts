import { useMutation, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useMemo } from 'react';
import { DepositumApiError, type AssetSupply, type Operation, type Page, type Signer, type SubmitOptions, type Submission } from '../../src/sdk/browser.js';
import { useSession } from './session.js';

/** A read of the API, keyed by what it reads; refreshed when a block lands (see live.tsx). */
export function useRead<T>(key: readonly unknown[], read: () => Promise<T>, options: { enabled?: boolean; refetchMs?: number } = {}): UseQueryResult<T, Error> {
  const { me } = useSession();
  return useQuery({
    queryKey: [me.id, ...key], queryFn: read, enabled: options.enabled ?? true, retry: false,
    ...(options.refetchMs !== undefined && { refetchInterval: options.refetchMs }),
  });
}

/** A GET of a module's route (`/v1/<module>/...`). */
export function useModuleRead<T>(path: string, options: { enabled?: boolean; refetchMs?: number } = {}): UseQueryResult<T, Error> {
  const { client } = useSession();
  return useRead(['module', path], () => client.request<T>('GET', path), options);
}

/** The assets, by id: their currency code and decimals format every amount. */
export function useAssets(): ReadonlyMap<string, AssetSupply> {
  const { client } = useSession();
  const assets = useRead(['assets'], async () => (await client.assets()).data);
  // Every amount on screen asks for this: one map per answer, not one per amount drawn.
  return useMemo(() => new Map((assets.data ?? []).map((asset) => [asset.id, asset])), [assets.data]);
}

/** What the node said, as it said it: the API's message (and its code), never a guess. */
export function errorMessage(error: unknown): string {
  if (error instanceof DepositumApiError) return `${error.message} (${error.code}${error.param === undefined ? '' : `, ${error.param}`})`;
  return error instanceof Error ? error.message : String(error);
}


/** The submission's outcome for people: sealed and committed, held back for approval, or why it was rejected. */
function outcomeOf(submission: Submission): string {
  if (submission.status !== 'sealed') return `accepted, pending (${submission.hash.slice(0, 12)}…)`;
  const { result } = submission.receipt;
  if (result.status === 'rejected') {
    const why = submission.explanations?.[0]?.message;
    throw new Error(`rejected: ${result.code}${why === undefined ? '' : ` — ${why}`}`);
  }
  if (submission.heldBack !== undefined && submission.heldBack.length > 0) return `held for approval (proposal ${submission.heldBack.join(', ')})`;
  return `committed in block ${submission.receipt.block.header.height}`;
}

/** Signs (with any co-signers) and submits operations; resolves to what happened, rejects with the node's reason. */
export function useSubmit() {
  const { client } = useSession();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async ({ operations, options = {}, cosigners = [] }: { operations: Operation[]; options?: SubmitOptions; cosigners?: Signer[] }) => {
      const submission = await client.submit(operations, { ...options, cosigners, wait: true });
      return { submission, outcome: outcomeOf(submission) };
    },
    onSettled: () => queries.invalidateQueries(),
  });
}

/** A POST to a route of the API or of a module (`/v1/compliance/cases/…/decision`). */
export function usePost<T>() {
  const { client } = useSession();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body }: { path: string; body: unknown }) => client.request<T>('POST', path, body),
    onSettled: () => queries.invalidateQueries(),
  });
}

/** Every page of a list the API answers by id (holds, conditional payments, settlements), read in turn. */
export function useEveryPage<T extends { id: string }>(key: string, page: (startingAfter: string | undefined) => Promise<Page<T>>) {
  return useRead([key], async () => {
    const all: T[] = [];
    for (let read = await page(undefined); ; read = await page(all.at(-1)?.id)) {
      all.push(...read.data);
      if (!read.has_more) return all;
    }
  });
}
