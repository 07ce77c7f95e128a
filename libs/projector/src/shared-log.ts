import type { EventStore, RecordedEvent } from '@registry/event-store';
import { Subscription } from 'rxjs';

/** Full batches `SharedLog.read` keeps for runners reading the same part of the log. */
const KEPT_BATCHES = 2;

/** What a member of the shared log is told, as an rxjs observer would be. */
export interface LogListener {
  next(event: RecordedEvent): void;
  error(error: unknown): void;
  /** The event store closed: nothing more will come. */
  complete(): void;
}

interface Member {
  listener: LogListener;
  /** Position of the last event handed to this member. */
  position: number;
}

/**
 * One live subscription to the event log for every projection that follows it, so that a
 * commit's events are read and parsed once rather than once per projection. The events are
 * handed to every member as they are read, in order; members must not change them.
 *
 * A runner joins at the position it needs next. It can when the shared reader has not passed it,
 * or has passed it by no more than the events it retains (a runner that has just caught up on
 * its own is usually a few events behind under load). Otherwise `join` refuses, and the runner
 * catches up with its own reads before it tries again. The subscription starts with the first
 * member and stops with the last.
 *
 * Runners catching up read through it too (`read`): those that start from the same position (a
 * first start, a rebuild of every projection, a version bump of several) then read and parse each
 * batch of the log once between them.
 */
export class SharedLog {
  private readonly members = new Set<Member>();
  private subscription?: Subscription;
  /** Position of the next event the subscription emits. */
  private nextPosition = 0;
  /** The last events emitted (from `retained` to twice that many), oldest first. */
  private recent: RecordedEvent[] = [];
  /** The last full batches `read` returned, by first position, oldest first. */
  private readonly batches = new Map<number, { limit: number; events: Promise<RecordedEvent[]> }>();

  constructor(
    private readonly eventStore: EventStore,
    /** How many of the last events are kept for members that join a little behind. */
    private readonly retained: number,
  ) {}

  /**
   * Joins at `fromPosition`: `listener` is told every event from there on (the retained ones at
   * once), until `leave` is called or the log errors or completes. Undefined when the shared
   * reader is further ahead than it retains.
   */
  join(fromPosition: number, listener: LogListener): { leave: () => void } | undefined {
    if (this.subscription && fromPosition < this.nextPosition && !(this.recent.length > 0 && this.recent[0].globalPosition <= fromPosition)) {
      return undefined;
    }
    // A runner that has caught up no longer reads: the batches kept for catching up are behind the head.
    this.batches.clear();
    const member: Member = { listener, position: fromPosition - 1 };
    for (const event of this.recent) this.deliver(member, event);
    this.members.add(member);
    if (!this.subscription) this.open(fromPosition);
    return { leave: () => this.leave(member) };
  }

  /**
   * `EventStore.readAll`, sharing the batches read lately. Runners catching up together ask for
   * the same batches at about the same time, since each yields to the others as it applies one
   * (see `ProjectionRunner`), so keeping the last two is enough; a runner that falls further
   * behind reads on its own. A batch shorter than its limit ends at the head, which moves: it is
   * not kept.
   */
  read(fromPosition: number, limit: number): Promise<RecordedEvent[]> {
    const kept = this.batches.get(fromPosition);
    if (kept?.limit === limit) return kept.events;
    const batch = { limit, events: this.eventStore.readAll(fromPosition, limit) };
    this.batches.delete(fromPosition); // set again below, as the newest
    this.batches.set(fromPosition, batch);
    const settled = (full: boolean) => {
      if (!full && this.batches.get(fromPosition) === batch) this.batches.delete(fromPosition);
      while (this.batches.size > KEPT_BATCHES) this.batches.delete(this.batches.keys().next().value!);
    };
    batch.events.then((events) => settled(events.length === limit), () => settled(false));
    return batch.events;
  }

  private open(fromPosition: number): void {
    this.nextPosition = fromPosition;
    // Held before subscribing: on a closed store the subscription completes at once, and `end`
    // must then find it to clear it.
    const subscription = (this.subscription = new Subscription());
    subscription.add(this.eventStore.subscribe(fromPosition).subscribe({
      next: (event) => this.emit(event),
      error: (error: unknown) => this.end((member) => member.listener.error(error)),
      complete: () => this.end((member) => member.listener.complete()),
    }));
  }

  private emit(event: RecordedEvent): void {
    this.nextPosition = event.globalPosition + 1;
    this.recent.push(event);
    if (this.recent.length >= 2 * this.retained) this.recent = this.recent.slice(-this.retained);
    for (const member of this.members) this.deliver(member, event);
  }

  /** A member that joined ahead of the reader skips what it already has. */
  private deliver(member: Member, event: RecordedEvent): void {
    if (event.globalPosition <= member.position) return;
    member.position = event.globalPosition;
    member.listener.next(event);
  }

  private leave(member: Member): void {
    if (this.members.delete(member) && this.members.size === 0) this.close();
  }

  /** The subscription errored or completed: every member is told, and a later join starts afresh. */
  private end(tell: (member: Member) => void): void {
    const members = [...this.members];
    this.members.clear();
    this.close();
    for (const member of members) tell(member);
  }

  private close(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.recent = [];
  }
}
