import type { RecordedEvent } from '@registry/event-store';
import { amended, registered } from '../../../projections/shared/testing/events';
import { RecordedLog } from '../../../projections/shared/testing/recorded-history';
import { AsOfIndex } from './as-of-index';
import { replayTrendsAsOf } from './brute-force';

async function indexOf(events: RecordedEvent[]): Promise<AsOfIndex> {
  const index = new AsOfIndex();
  const readStream = async (streamId: string) => events.filter((event) => event.streamId === streamId);
  for (const event of events) await index.apply(event, readStream);
  return index;
}

describe('AsOfIndex cluster trends', () => {
  it('given a back-dated theme correction superseded later on, when asked as of a date in between, then the partnership counts in the corrected theme', async () => {
    // p1 is about water from 2009, mining from 2012; a correction recorded last says it was about
    // transport from 2010: transport holds only in 2010-2011 and is never p1's latest theme.
    const log = new RecordedLog();
    log.record([registered('p1', '2009-01-01', { themes: { primary: ['water'], secondary: [] } })], '2024-01-01T00:00:00.000Z');
    log.record([amended('p1', { themes: { primary: ['mining'], secondary: [] } }, '2012-01-01')], '2024-06-01T00:00:00.000Z');
    log.record([amended('p1', { themes: { primary: ['transport'], secondary: [] } }, '2010-01-01')], '2025-01-01T00:00:00.000Z');
    const index = await indexOf(log.events);

    const tables = index.clusterTrends(Date.parse('2011-01-01'), log.events.length, ['transport']);

    expect([tables.registered, tables.active, tables.themes.primary.transport]).toEqual([1, 1, 1]);
    expect(tables).toEqual(replayTrendsAsOf(log.events, { asOf: '2011-01-01T00:00:00.000Z', knownAt: null }, ['transport']));
  });
});
