import type { EventRow } from '../event-row';
import { RecentCommits } from './recent-commits';

const row = (globalPosition: number): EventRow => ({
  globalPosition,
  eventId: `e-${globalPosition}`,
  streamId: 'p-1',
  streamVersion: globalPosition,
  type: 'ReportFiled',
  schemaVersion: 1,
  data: JSON.stringify({ reportId: `r-${globalPosition}` }),
  metadata: JSON.stringify({ recordedAt: '2026-01-01T00:00:00.000Z' }),
  hash: `h-${globalPosition}`,
});
const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => row(from + i));
const positions = (events: { globalPosition: number }[] | undefined) => events?.map((event) => event.globalPosition);

describe('RecentCommits', () => {
  it('given contiguous announcements, when read from a position they hold, then the events from there come back, parsed, up to the limit', () => {
    // given
    const recent = new RecentCommits();
    recent.add(rows(5, 7));
    recent.add(rows(8, 9));

    // when
    const read = recent.read(6, 3);

    // then
    expect(positions(read)).toEqual([6, 7, 8]);
    expect(read![0]).toMatchObject({ eventId: 'e-6', data: { reportId: 'r-6' }, metadata: { recordedAt: '2026-01-01T00:00:00.000Z' } });
    expect(recent.read(6, 1)![0]).toBe(read![0]); // parsed once
  });

  it('given announcements, when read from a position before or after them, then nothing is answered (the file is)', () => {
    // given
    const recent = new RecentCommits();
    recent.add(rows(5, 7));

    // when / then
    expect(recent.read(4, 10)).toBeUndefined();
    expect(recent.read(8, 10)).toBeUndefined();
    expect(new RecentCommits().read(1, 10)).toBeUndefined();
  });

  it('given an announcement that does not follow the last one, then only it is held', () => {
    // given
    const recent = new RecentCommits();
    recent.add(rows(5, 7));

    // when
    recent.add(rows(10, 11)); // 8 and 9 were announced elsewhere

    // then
    expect(recent.read(5, 10)).toBeUndefined();
    expect(positions(recent.read(10, 10))).toEqual([10, 11]);
  });

  it('given more announced than twice its capacity, then it keeps the last `capacity` events', () => {
    // given
    const recent = new RecentCommits(4);
    recent.add(rows(1, 6));

    // when
    recent.add(rows(7, 9));

    // then
    expect(recent.read(5, 10)).toBeUndefined();
    expect(positions(recent.read(6, 10))).toEqual([6, 7, 8, 9]);
  });
});
