// What an origin fetch gives back to handler.ts. The outcome is the message
// finish() reads (engine-messages.ts, generated from src/handler/messages.cpp).
import type { FetchOutcome } from './engine-messages';

export interface FetchResult {
  outcome: FetchOutcome;
  body: Uint8Array;
}

export interface FetchLimits {
  /** Absolute time (Date.now()) by which the download must be complete. */
  deadline: number;
}
