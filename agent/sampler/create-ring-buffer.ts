/** A fixed-size buffer of the newest items: pushing past capacity overwrites the oldest. */
export interface RingBuffer<T> {
  push(item: T): void;
  /** oldest first */
  items(): T[];
  readonly size: number;
}

export function createRingBuffer<T>(capacity: number): RingBuffer<T> {
  const slots: T[] = [];
  let next = 0;
  return {
    push(item) {
      if (slots.length < capacity) slots.push(item);
      else slots[next] = item;
      next = (next + 1) % capacity;
    },
    items: () => (slots.length < capacity ? [...slots] : [...slots.slice(next), ...slots.slice(0, next)]),
    get size() {
      return slots.length;
    },
  };
}
