import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Migration } from 'kysely';
import type { Registry } from 'prom-client';
import type { Role } from '../../core/index.js';
import type { AdmissionPolicy } from '../../node/admission.js';
import type { DepositumClient, LedgerEvent } from '../../sdk/index.js';
import type { AnyDatabase } from './database.js';

/** What every part of a module is given: its tables, a log, and the clock (the only one it reads). */
export interface ModuleServices {
  readonly name: string;
  readonly db: AnyDatabase;
  readonly log: FastifyBaseLogger;
  readonly nowMs: () => number;
}

/** What the part that follows the ledger is given besides: a client signed as the module's own participant. */
export interface ModuleContext extends ModuleServices {
  readonly client: DepositumClient;
  /**
   * Asks for the module's next step now rather than after the runner's pause: work arrived
   * from outside the feed (a message from the bank pushed by its broker).
   */
  readonly wake?: () => void;
  /**
   * Follows the feed up to its head now, from the module's work (which runs after the step
   * followed it): for an act that must see every event committed until this moment (the
   * banking module's reconciliation of a statement just received against the supply).
   */
  readonly follow?: () => Promise<void>;
  /**
   * The registry its process serves at /metrics (the node's, for a module in the node's
   * process): a module adds its own figures there, named `depositum_<module>_…`.
   */
  readonly metrics?: Registry;
}

/**
 * An event's lasting effects in the module's tables. The kit runs it in the database
 * transaction that also moves the module's offset past the event, so either both happen
 * or neither does: a crash in between repeats the event, never its effect.
 */
export type Recorder = (trx: AnyDatabase) => Promise<void>;

/** Who asks a module's route: as the node authenticated them (a signed request or a session). */
export interface Caller {
  readonly participant: string;
  /** Its roles on the ledger, as registered. */
  readonly roles: readonly Role[];
  /** Operator, compliance, auditors and readers see every participant's objects. */
  readonly seesAll: boolean;
}

/**
 * A module: a participant-like service beside the ledger. It talks to the ledger only
 * through the event feed and signed transactions (`context.client`), keeps its state in
 * its own tables (`<name>_…`, created by `migrations`), and may serve routes under
 * `/v1/<name>/` with the node's authentication and error shape. The same definition runs
 * inside the node (`start --modules <name>`) or as its own process (`module run <name>`).
 */
export interface LedgerModule {
  /** Lower-case letters and digits: the route prefix, the table prefix and the lease's name. */
  readonly name: string;
  readonly description: string;
  /** The roles its participant must hold (checked at start, so a misconfigured identity fails early). */
  readonly roles: readonly Role[];
  readonly migrations: Readonly<Record<string, Migration>>;
  /** Event types it follows (the node filters); every type when absent. */
  readonly eventTypes?: readonly string[];
  /**
   * Handles one event, in feed order. External effects made here must be idempotent,
   * keyed by the event's position or transaction (a transaction's id derived from them,
   * say), because after a crash the event is handled again; lasting records go in the
   * returned Recorder.
   */
  handle(event: LedgerEvent, context: ModuleContext): Promise<Recorder | undefined>;
  /**
   * Handles a page of events at once, in feed order, in place of `handle` one by one: its
   * Recorder commits with the offset past the page's last event in one transaction, so a
   * page's records can be written in bulk. For a module whose handling never reads what an
   * earlier event's records wrote (its working state is in memory, rebuilt from its tables
   * after a restart). A page whose commit fails is handled again whole: the module must
   * notice events it has already seen (by position) and go back to what its tables hold.
   */
  handlePage?(events: readonly LedgerEvent[], context: ModuleContext): Promise<Recorder | undefined>;
  /** Work between pages of the feed (retries, schedules), on the lease holder only. */
  work?(context: ModuleContext): Promise<void>;
  /** Lets go of what `work` opened (a broker connection), when the runner stops. */
  close?(): Promise<void>;
  /**
   * A policy the node applies at admission while the module runs in its process (a module
   * in its own process cannot gate what the node admits).
   */
  admissionPolicy?(services: ModuleServices): AdmissionPolicy;
  /** Routes, mounted under `/v1/<name>`; `callerOf` says who is asking. */
  routes?(services: ModuleServices, callerOf: (request: FastifyRequest) => Caller): FastifyPluginAsyncTypebox;
}
