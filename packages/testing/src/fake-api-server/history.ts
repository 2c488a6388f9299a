import type { CoreV1EventObject } from '@keventer/core';

/** The kind of a change, as a watch reports it. */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change to the store, at its own resourceVersion. */
export interface ChangeRecord {
  readonly rv: number;
  readonly type: ChangeType;
  /** `namespace/name`. */
  readonly key: string;
  /** The object after the change (for DELETED: the last state, at the deletion's RV). */
  readonly object: CoreV1EventObject;
  /** The object before the change; undefined for ADDED. */
  readonly previous: CoreV1EventObject | undefined;
}

/**
 * The bounded log of the latest changes, one per resourceVersion with no gaps
 * (like the apiserver's watch cache). Changes at or below `compactedRv` are gone.
 */
export class ChangeHistory {
  private records: ChangeRecord[] = [];
  private head = 0;
  /** Every change with rv <= compactedRv has been dropped (or happened before the start). */
  compactedRv: number;

  constructor(
    readonly limit: number,
    startRv: number,
  ) {
    if (!(limit >= 1)) throw new RangeError('historyLimit must be at least 1');
    this.compactedRv = startRv;
  }

  /** The resourceVersion of the newest change (or the start RV). */
  get latestRv(): number {
    return this.compactedRv + this.records.length - this.head;
  }

  /** The oldest resourceVersion a watch may resume from. */
  get oldestRv(): number {
    return this.compactedRv + 1;
  }

  /** Appends a change; its rv must be latestRv + 1. Drops the oldest past the limit. */
  append(record: ChangeRecord): void {
    if (record.rv !== this.latestRv + 1) throw new Error(`history gap at ${record.rv}`);
    this.records.push(record);
    while (this.records.length - this.head > this.limit) {
      this.head++;
      this.compactedRv++;
    }
    if (this.head > 1024 && this.head * 2 > this.records.length) {
      this.records = this.records.slice(this.head);
      this.head = 0;
    }
  }

  /** The change at a resourceVersion, if it is still kept. */
  at(rv: number): ChangeRecord | undefined {
    if (rv <= this.compactedRv || rv > this.latestRv) return undefined;
    return this.records[this.head + rv - this.compactedRv - 1];
  }
}
