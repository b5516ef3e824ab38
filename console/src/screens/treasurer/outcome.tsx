import { Alert } from '@mantine/core';
import { errorMessage } from '../../api.js';

/** What came of a submission: the node's words, committed or refused. */
export function Outcome({ error, outcome, label }: { error: unknown; outcome: string | undefined; label: string }) {
  if (error !== null && error !== undefined) return <Alert color="red" role="alert" title={`${label}: refused`} data-testid="outcome">{errorMessage(error)}</Alert>;
  if (outcome === undefined) return null;
  return <Alert color="green" role="status" title={label} data-testid="outcome">{outcome}</Alert>;
}
