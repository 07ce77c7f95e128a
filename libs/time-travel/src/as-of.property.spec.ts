import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import type { RecordedEvent } from '@registry/event-store';
import type { AsOf } from './as-of';
import { AsOfIndex, type AsOfIndexDump } from './as-of-index';
import { replayComplianceAsOf, replayComplianceCountsAsOf, replayPartnershipAsOf, replayPartnershipDocumentsAsOf, replayTrendsAsOf } from './brute-force';
import { complianceItemAsOf } from './compliance-as-of';
import { matcher, partnershipDocumentAsOf, viewOf } from './partnership-as-of';
import { positionRecordedBy } from './semantics';
import { Random, randomHistory, type RandomHistory } from './testing/random-history';
import { complianceProjection } from '@registry/projections';
import type { PartnershipAsOfFilter } from './time-travel';

/**
 * Acceptance 1 of issue 4: for random histories with back-dated and corrected events, every as-of
 * answer of the engines at random (T, K) equals the brute-force fold of the filtered events.
 */

const POLICY = { intervalMonths: 12, inactiveAfterMonths: 24 };

async function buildIndex(history: RandomHistory, snapshotEveryDeltas: number, restartAt?: number): Promise<AsOfIndex> {
  const readStream = async (streamId: string) => history.events.filter((event) => event.streamId === streamId);
  let index = new AsOfIndex({ policy: POLICY, snapshotEveryDeltas });
  for (const event of history.events) {
    if (restartAt !== undefined && event.globalPosition === restartAt) {
      // a restart: the index is persisted and loaded again, then goes on
      index = AsOfIndex.restore(deserialize(serialize(index.dump())) as AsOfIndexDump, { policy: POLICY, snapshotEveryDeltas })!;
    }
    await index.apply(event, readStream);
  }
  return index;
}

function randomPoints(history: RandomHistory, random: Random, count: number): AsOf[] {
  const points: AsOf[] = [];
  for (let i = 0; i < count; i++) {
    const base = history.instants.length > 0 && random.chance(0.6) ? random.pick(history.instants) : Date.parse('2001-06-01') + random.int(5000) * 86_400_000;
    const shift = random.pick([0, 0, -1, 1, 3_600_000, -3_600_000, 43_200_000, 365 * 86_400_000, 730 * 86_400_000]);
    const knownAt = random.chance(0.4) || history.recordedAts.length === 0 ? null : random.chance(0.1) ? '2025-01-01T00:00:00.000Z' : random.pick(history.recordedAts);
    points.push({ asOf: new Date(base + shift).toISOString(), knownAt });
  }
  return points;
}

const positionOf = (events: RecordedEvent[], knownAt: string | null) =>
  knownAt === null ? Promise.resolve(events.length) : positionRecordedBy(knownAt, events.length, async (p) => events[p - 1]?.metadata.recordedAt ?? null);

const CLUSTERS = [['transport', 'chemicals', 'mining'], ['water'], ['energy', 'health', 'transport']];

describe('as-of engines equal the brute-force fold of the filtered events', () => {
  it('trends (whole registry and clusters) and compliance counts, at random (T, K), with snapshots and a restart', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 20, max: 120 }), fc.integer({ min: 20, max: 400 }), async (seed, commands, every) => {
        const history = randomHistory(seed, commands);
        const random = new Random(seed ^ 0x5bd1e995);
        const restartAt = history.events.length > 2 ? 1 + random.int(history.events.length) : undefined;
        const index = await buildIndex(history, every, restartAt);
        for (const point of randomPoints(history, random, 12)) {
          const position = await positionOf(history.events, point.knownAt);
          const asOf = Date.parse(point.asOf);
          expect(index.trends(asOf, position)).toEqual(replayTrendsAsOf(history.events, point));
          const cluster = random.pick(CLUSTERS);
          expect(index.clusterTrends(asOf, position, cluster)).toEqual(replayTrendsAsOf(history.events, point, cluster));
          expect(index.complianceCounts(asOf, position)).toEqual(await replayComplianceCountsAsOf(history.events, point, POLICY));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('one partnership and the filtered list, and the compliance list, at random (T, K)', async () => {
    const compliance = complianceProjection(POLICY);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const history = randomHistory(seed, 70);
        const random = new Random(seed ^ 0x1234567);
        for (const point of randomPoints(history, random, 6)) {
          const views = [];
          const complianceItems = [];
          for (const id of [...history.ids].sort()) {
            const stream = history.events.filter((event) => event.streamId === id);
            const document = await partnershipDocumentAsOf(stream, point);
            expect(document && viewOf(document)).toEqual(replayPartnershipAsOf(history.events, id, point));
            if (document) views.push(document);
            const item = await complianceItemAsOf(compliance, stream, point);
            if (item) complianceItems.push(item);
          }
          expect(complianceItems).toEqual(await replayComplianceAsOf(history.events, point, POLICY));
          const filter: PartnershipAsOfFilter = random.pick([
            {},
            { status: 'active' },
            { status: 'ended', theme: 'water' },
            { primaryTheme: 'transport' },
            { partner: 'unep' },
            { scope: 'global' },
            { q: 'mercury' },
          ] as PartnershipAsOfFilter[]);
          const matches = matcher(filter);
          expect(views.filter(matches).map(viewOf)).toEqual(replayPartnershipDocumentsAsOf(history.events, point).filter(matches).map(viewOf));
        }
      }),
      { numRuns: 60 },
    );
  });
});
