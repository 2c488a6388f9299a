/**
 * A FIFO queue on a circular array: O(1) push and shift, where Array#shift
 * is O(n). It starts small and doubles as needed, so an idle queue with a
 * large bound does not hold a large array; the owner enforces the bound.
 * The capacity stays a power of two so wrapping is a mask, not a division.
 */
export class Ring<T> {
  #slots: (T | undefined)[] = new Array(8);
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(value: T): void {
    if (this.#size === this.#slots.length) this.#grow();
    this.#slots[(this.#head + this.#size) & (this.#slots.length - 1)] = value;
    this.#size++;
  }

  /** The oldest value, removed; undefined when empty. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const value = this.#slots[this.#head];
    this.#slots[this.#head] = undefined; // let the item be collected
    this.#head = (this.#head + 1) & (this.#slots.length - 1);
    this.#size--;
    return value;
  }

  /** Removes one value by identity, O(n): only for rare cases (an aborted waiter). */
  remove(value: T): boolean {
    const len = this.#slots.length;
    for (let i = 0; i < this.#size; i++) {
      if (this.#slots[(this.#head + i) & (len - 1)] !== value) continue;
      for (let j = i; j < this.#size - 1; j++) {
        this.#slots[(this.#head + j) & (len - 1)] = this.#slots[(this.#head + j + 1) & (len - 1)];
      }
      this.#slots[(this.#head + this.#size - 1) & (len - 1)] = undefined;
      this.#size--;
      return true;
    }
    return false;
  }

  #grow(): void {
    const next: (T | undefined)[] = new Array(this.#slots.length * 2);
    for (let i = 0; i < this.#size; i++)
      next[i] = this.#slots[(this.#head + i) & (this.#slots.length - 1)];
    this.#slots = next;
    this.#head = 0;
  }
}
