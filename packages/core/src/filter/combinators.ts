import type { KubeEvent } from '../event/model.js';

/** True when the event should go on. Runs on every event: keep it allocation-free. */
export type EventFilter = (event: KubeEvent) => boolean;

/** Lets every event through; the identity of `allOf`. */
export const passAll: EventFilter = () => true;

/** Passes when every filter passes (short-circuits left to right); `allOf()` passes all. */
export function allOf(...filters: readonly EventFilter[]): EventFilter {
  const [a, b] = filters;
  if (filters.length === 0 || !a) return passAll;
  if (filters.length === 1) return a;
  if (filters.length === 2 && b) return (e) => a(e) && b(e);
  const list = filters.slice();
  return (e) => {
    for (let i = 0; i < list.length; i++) if (!(list[i] as EventFilter)(e)) return false;
    return true;
  };
}

/** Passes when at least one filter passes; `anyOf()` passes nothing. */
export function anyOf(...filters: readonly EventFilter[]): EventFilter {
  const [a, b] = filters;
  if (filters.length === 0 || !a) return () => false;
  if (filters.length === 1) return a;
  if (filters.length === 2 && b) return (e) => a(e) || b(e);
  const list = filters.slice();
  return (e) => {
    for (let i = 0; i < list.length; i++) if ((list[i] as EventFilter)(e)) return true;
    return false;
  };
}

export function not(filter: EventFilter): EventFilter {
  return (e) => !filter(e);
}
