import type { VerifyClients } from './clients';
import type { Expectations } from './expectations';
import type { Locations } from './outputs';
import type { RetryContext } from './retry';

/** Everything a check reads; built once per run by `run.ts`. */
export interface CheckContext {
  readonly stack: string;
  readonly clients: VerifyClients;
  readonly expectations: Expectations;
  readonly locations: Locations;
  /** The look-back window `[now - since, now]`. */
  readonly window: { readonly start: Date; readonly end: Date };
  readonly retry: RetryContext;
}
