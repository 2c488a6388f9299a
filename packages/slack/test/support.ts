import { kubeEventerLines, podEvent } from '@keventer/testing';

export const ctx = () => ({ signal: AbortSignal.timeout(10_000) });

/** kube-eventer's `Name: value` lines for `podEvent(name, { message })`. */
export const fieldLines = (name: string, message?: string): string =>
  kubeEventerLines(podEvent(name, { message }));
