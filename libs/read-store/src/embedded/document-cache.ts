import type { StoredDocument } from './json-documents';

interface Entry {
  document: StoredDocument;
  size: number;
}

/**
 * The parsed documents of every collection that were read or written last, up to `capacity`
 * (the length of their JSON text, so a big timeline weighs what it costs): least recently used
 * first out. Keys are made by the collections (see `StoredCollection`), so that a renamed
 * collection keeps its entries.
 */
export class DocumentCache {
  private readonly entries = new Map<string, Entry>();
  private size = 0;

  constructor(private readonly capacity: number) {}

  get(key: string): StoredDocument | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // A Map iterates in insertion order: re-inserting makes it the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.document;
  }

  /** Whether it holds `key`, without making it the most recently used. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, document: StoredDocument, size: number): void {
    this.delete(key);
    if (size > this.capacity) return;
    this.entries.set(key, { document, size });
    this.size += size;
    if (this.size > this.capacity) this.evict();
  }

  /**
   * Down to 7/8 of the capacity, not just below it: a Map's deleted entries stay as holes that
   * every iteration from the oldest walks over until the table is rehashed, so evicting one
   * entry per `set` cost more than the rest of the cache (6 µs a set in a rebuild).
   */
  private evict(): void {
    const target = this.capacity - this.capacity / 8;
    for (const [oldest, { size: freed }] of this.entries) {
      if (this.size <= target) break;
      this.entries.delete(oldest);
      this.size -= freed;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.size -= entry.size;
  }
}
