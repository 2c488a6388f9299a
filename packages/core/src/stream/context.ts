import type { EventsResource } from './events-resource.js';
import type { ResolvedStreamOptions } from './options.js';
import type { StreamProgress } from './progress.js';
import type { StreamPhase, StreamState, StreamStats } from './state.js';

/** What the parts of a running EventStream (list, watch, reconnect loop) share. */
export interface StreamContext {
  readonly options: ResolvedStreamOptions;
  readonly resource: EventsResource;
  /** The position, what was emitted and what of it was handled. */
  readonly progress: StreamProgress;
  readonly stats: StreamStats;
  /** Aborted when the stream stops. */
  readonly signal: AbortSignal;
  setState(phase: StreamPhase, extra?: Partial<StreamState>): void;
  /** Sets what retrying alone will not fix (401, 403), or clears it (undefined) once the server answers. */
  setProblem(problem: string | undefined): void;
}
