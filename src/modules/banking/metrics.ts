import { Counter, type Registry } from 'prom-client';
import { perRegistry } from '../kit/per-registry.js';
import type { CreditOutcome } from './deposits.js';
import type { ReconciliationOutcome } from './reconcile.js';

/** What the banking module tells its process's metrics: what the bank sent became of. */
export interface BankingMetrics {
  /** The credits of camt.054 notifications taken, by what became of each. */
  credits(outcomes: readonly CreditOutcome[]): void;
  /** A message from the bank refused and set aside with its reason. */
  setAside(): void;
  /** A statement reconciled: balanced with no break, with breaks, or received again. */
  statement(outcome: Pick<ReconciliationOutcome, 'duplicate' | 'reconciled'>): void;
}

const CREDIT_OUTCOMES = ['minted', 'held', 'duplicate', 'suspense', 'ignored'] as const satisfies readonly CreditOutcome['outcome'][];
const STATEMENT_RESULTS = ['reconciled', 'breaks', 'duplicate'] as const;

const NONE: BankingMetrics = { credits: () => undefined, setAside: () => undefined, statement: () => undefined };
const onRegistry = perRegistry(metricsOn);

/**
 * The banking module's figures on `registry` (none without one), so an operator sees
 * credits set aside or statements with breaks without opening the desk: alert on
 * `increase(depositum_banking_credits_total{outcome="suspense"}[1h]) > 0`,
 * `depositum_banking_messages_set_aside_total` and `{result="breaks"}`.
 */
export function bankingMetrics(registry: Registry | undefined): BankingMetrics {
  return registry === undefined ? NONE : onRegistry(registry);
}

function metricsOn(registry: Registry): BankingMetrics {
  const registers = [registry];
  const credits = new Counter({ name: 'depositum_banking_credits_total', help: 'Credits of the bank\'s camt.054 notifications taken, by what became of them', labelNames: ['outcome'], registers });
  const setAside = new Counter({ name: 'depositum_banking_messages_set_aside_total', help: 'Messages from the bank refused and set aside with their reason', registers });
  const statements = new Counter({ name: 'depositum_banking_statements_total', help: 'Statements of the omnibus account reconciled, by result', labelNames: ['result'], registers });
  // Present from the start, at zero: an alert on an increase needs the series before it.
  for (const outcome of CREDIT_OUTCOMES) credits.inc({ outcome }, 0);
  for (const result of STATEMENT_RESULTS) statements.inc({ result }, 0);
  setAside.inc(0);
  return {
    credits: (outcomes) => {
      for (const { outcome } of outcomes) credits.inc({ outcome });
    },
    setAside: () => setAside.inc(),
    statement: ({ duplicate, reconciled }) => statements.inc({ result: duplicate ? 'duplicate' : reconciled ? 'reconciled' : 'breaks' }),
  };
}
