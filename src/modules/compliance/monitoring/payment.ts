/** A committed payment as monitoring sees it: from the `transferred` event, the amount in minor units of its asset. */
export interface Payment {
  /** The event's position in the feed: unique, ordered. */
  readonly position: string;
  readonly timeMs: number;
  readonly transaction: string | null;
  readonly from: string;
  readonly to: string;
  readonly asset: string;
  readonly currency: string;
  readonly decimals: number;
  readonly amount: bigint;
}

/** What a rule found: the rule, the account it is about, and the payments (and path) that show it. */
export interface AlertDraft {
  readonly rule: string;
  readonly subject: string;
  /** Alerts with one key are one alert: a pattern seen again in the same window raises nothing new. */
  readonly key: string;
  readonly detail: string;
  readonly payments: readonly Payment[];
  readonly path?: readonly string[];
}
