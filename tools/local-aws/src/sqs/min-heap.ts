/** A binary min-heap ordered by a numeric key; the queue's timeline of pending wake-ups. */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly keyOf: (item: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    this.items.push(item);
    this.siftUp(this.items.length - 1);
  }

  pop(): T | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last !== undefined) {
      this.items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }

  private key(index: number): number {
    const item = this.items[index];
    return item === undefined ? Number.POSITIVE_INFINITY : this.keyOf(item);
  }

  private swap(a: number, b: number): void {
    const itemA = this.items[a] as T;
    this.items[a] = this.items[b] as T;
    this.items[b] = itemA;
  }

  private siftUp(start: number): void {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.key(parent) <= this.key(index)) return;
      this.swap(parent, index);
      index = parent;
    }
  }

  private siftDown(start: number): void {
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < this.items.length && this.key(left) < this.key(smallest)) smallest = left;
      if (right < this.items.length && this.key(right) < this.key(smallest)) smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }
}
