// What an origin fetch gives back to handler.ts. The outcome is the message
// finish() reads (engine-messages.ts, generated from src/handler/message_tables.hpp).
import type { FetchOutcome } from './engine-messages';

/** The source as it arrived: the chunks are copied once, straight into wasm
 * memory (engine.ts), never joined into one more buffer here. */
export interface Body {
  chunks: Uint8Array[];
  length: number;
}

export const EMPTY_BODY: Body = { chunks: [], length: 0 };

export interface FetchResult {
  outcome: FetchOutcome;
  body: Body;
}

export interface FetchLimits {
  /** Absolute time (Date.now()) by which the download must be complete. */
  deadline: number;
}
