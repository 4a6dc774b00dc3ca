/**
 * cdktf records a full stack trace for every token it creates (`captureStackTrace` in cdktf 0.21.0
 * `lib/tokens/private/stack-trace.js`, called by `Lazy`, `Intrinsic`, the complex computed attributes
 * and dynamic blocks), only to add it to the message when resolving that token fails. Taking and
 * formatting those traces is about a quarter of synth's CPU time at 200 stacks (a CPU profile of
 * `npm run bench`), and cdktf has no switch for it: `App({ stackTraces: false })` covers annotations
 * only. Synth therefore replaces the function for its duration with one that records nothing;
 * ENTRA_AUDIT_TOKEN_TRACES=1 keeps cdktf's traces for debugging a construct.
 *
 * This reaches into cdktf: `test/stacks/token-stack-traces.test.ts` fails when cdktf stops calling the
 * function through its module (so replacing it would do nothing) or changes what it returns, and
 * `test/stacks/synth-shortcuts.test.ts` shows the output is byte-identical either way.
 */
import type * as StackTrace from 'cdktf/lib/tokens/private/stack-trace';

/** Environment variable that keeps cdktf's per-token stack traces (`1`). */
export const TOKEN_TRACES_ENV_VAR = 'ENTRA_AUDIT_TOKEN_TRACES';

type CaptureStackTrace = typeof StackTrace.captureStackTrace;
const NO_TRACE: CaptureStackTrace = () => [];

/** Turns cdktf's per-token stack traces off until the returned function is called. */
export function withoutTokenStackTraces(): () => void {
  // The module object itself (not an import's copy of it): cdktf reads the function from it at every call.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const traceModule = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: CaptureStackTrace };
  const original = traceModule.captureStackTrace;
  traceModule.captureStackTrace = NO_TRACE;
  return () => {
    if (traceModule.captureStackTrace === NO_TRACE) traceModule.captureStackTrace = original;
  };
}
