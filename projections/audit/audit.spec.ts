import type { InMemoryDocuments } from '@registry/projector';
import {
  ASGM,
  EventLog,
  FOCAL_POINT,
  ISWA,
  KENYA,
  NRDC,
  UNEP,
  UNIDO,
  USA,
  WASTE,
  asgmDetails,
  project,
  wasteDetails,
} from '../shared/testing/recorded-events';
import { partnershipsProjection } from '../partnerships';
import { AUDIT, type AuditDocument } from './index';

const audit = (documents: InMemoryDocuments, eventId: string) =>
  documents.collections.get(AUDIT)?.get(eventId) as AuditDocument | undefined;
const changesOf = (documents: InMemoryDocuments, eventId: string) => audit(documents, eventId)!.changes;

function asgmRegistered(): EventLog {
  const log = new EventLog();
  log.register(ASGM, asgmDetails, [UNEP, USA, NRDC], '2005-02-01', { recordedAt: '2005-02-03T09:00:00.000Z' });
  return log;
}

// The partnerships projection keeps the audit trail (see AUDIT).
describe('audit trail', () => {
  it('is declared first by the partnerships projection, with the indexes of the audit queries', () => {
    expect(partnershipsProjection.collections.map((c) => c.name)).toEqual(['audit', 'partnerships']);
    expect(partnershipsProjection.collections[0].indexes.map((index) => index.keys)).toEqual([{ partnershipId: 1, globalPosition: 1 }]);
  });

  it('one document per event, with the whole envelope: who, when, why, on what authority', async () => {
    const log = asgmRegistered();
    const source = { file: 'seed-partnerships.jsonl', sha256: 'ab'.repeat(32), line: 12 };
    log.amend(ASGM, { scope: 'regional' }, '2009-01-01', {
      recordedAt: '2009-01-02T08:00:00.000Z',
      reason: 'Focus on Africa agreed at CSD-17',
      correlationId: 'req-42',
      causationId: 'req-42',
      source,
    });

    const documents = await project(partnershipsProjection, log.events);

    expect(documents.all(AUDIT).map((d) => d._id)).toEqual(['evt-1', 'evt-2', 'evt-3', 'evt-4', 'evt-5']);
    expect(audit(documents, 'evt-5')).toEqual({
      _id: 'evt-5',
      eventId: 'evt-5',
      partnershipId: 'gmp-asgm',
      globalPosition: 5,
      streamVersion: 5,
      type: 'PartnershipAmended',
      schemaVersion: 1,
      actor: { id: 'secretariat-1', role: 'secretariat' },
      recordedAt: '2009-01-02T08:00:00.000Z',
      effectiveAt: '2009-01-01T00:00:00.000Z',
      reason: 'Focus on Africa agreed at CSD-17',
      correlationId: 'req-42',
      causationId: 'req-42',
      source,
      hash: '0000000000000000000000000000000000000000000000000000000000000005',
      data: { partnershipId: 'gmp-asgm', changes: { scope: 'regional' } },
      changes: [{ path: 'details.scope', before: 'global', after: 'regional' }],
    });
    expect(audit(documents, 'evt-1')).toMatchObject({ reason: null, source: null, correlationId: 'register-gmp-asgm' });
  });

  it('registration: the status and each attribute, from nothing', async () => {
    const documents = await project(partnershipsProjection, asgmRegistered().events);

    expect(changesOf(documents, 'evt-1')).toEqual([
      { path: 'status', before: 'unknown', after: 'active' },
      { path: 'partnershipId', before: null, after: 'gmp-asgm' },
      { path: 'details.name', before: null, after: 'Reducing Mercury in Artisanal and Small-Scale Gold Mining' },
      { path: 'details.description', before: null, after: 'Reduce mercury use and emissions in artisanal gold mining.' },
      { path: 'details.themes', before: null, after: { primary: ['chemicals', 'mining'], secondary: ['health'] } },
      { path: 'details.scope', before: null, after: 'global' },
      { path: 'details.regions', before: null, after: [] },
      { path: 'details.countries', before: null, after: [] },
      { path: 'details.startDate', before: null, after: '2005-02-01' },
      {
        path: 'details.resources',
        before: null,
        after: { financialSecured: true, inKind: ['staff'], seekingFunding: false, fundingSources: ['government'] },
      },
      { path: 'details.mechanisms', before: null, after: ['training', 'technology-transfer'] },
      { path: 'registeredAt', before: null, after: '2005-02-01T00:00:00.000Z' },
    ]);
  });

  it('a partner joining is one change: the partner at partners.<orgId>', async () => {
    const log = asgmRegistered();
    log.join(ASGM, KENYA, '2006-03-01');

    const documents = await project(partnershipsProjection, log.events);

    expect(changesOf(documents, 'evt-2')).toEqual([
      { path: 'partners.unep', before: null, after: { orgId: 'unep', name: 'UNEP', type: 'un-system', lead: true } },
    ]);
    expect(changesOf(documents, 'evt-5')).toEqual([
      { path: 'partners.kenya', before: null, after: { orgId: 'kenya', name: 'Republic of Kenya', type: 'government', country: 'KE', lead: false } },
    ]);
  });

  it('a lead designation changes partners.<orgId>.lead; a leave removes the partner', async () => {
    const log = asgmRegistered();
    log.designateLead(ASGM, 'us-government', '2007-01-15');
    log.leave(ASGM, 'unep', '2008-06-30');

    const documents = await project(partnershipsProjection, log.events);

    expect(changesOf(documents, 'evt-5')).toEqual([{ path: 'partners.us-government.lead', before: false, after: true }]);
    expect(changesOf(documents, 'evt-6')).toEqual([
      { path: 'partners.unep', before: { orgId: 'unep', name: 'UNEP', type: 'un-system', lead: true }, after: null },
    ]);
  });

  it('an amendment: each attribute it changes, nested objects field by field', async () => {
    const log = asgmRegistered();
    log.amend(
      ASGM,
      {
        scope: 'regional',
        regions: ['africa'],
        themes: { primary: ['chemicals', 'mining'], secondary: ['health', 'gender'] },
        resources: { financialSecured: true, inKind: ['staff'], seekingFunding: true, fundingSources: ['government'] },
      },
      '2009-01-01',
    );

    const documents = await project(partnershipsProjection, log.events);

    expect(changesOf(documents, 'evt-5')).toEqual([
      { path: 'details.themes.secondary', before: ['health'], after: ['health', 'gender'] },
      { path: 'details.scope', before: 'global', after: 'regional' },
      { path: 'details.regions', before: [], after: ['africa'] },
      { path: 'details.resources.seekingFunding', before: false, after: true },
    ]);
  });

  it('a back-dated amendment: changes only what a later-effective amendment recorded before it did not set', async () => {
    const log = asgmRegistered();
    log.amend(ASGM, { scope: 'regional' }, '2009-01-01', { recordedAt: '2009-01-02T08:00:00.000Z' });
    log.amend(ASGM, { scope: 'national', countries: ['GH'] }, '2008-01-01', { recordedAt: '2009-06-01T08:00:00.000Z' });
    log.amend(ASGM, { scope: 'local' }, '2008-06-01', { recordedAt: '2009-07-01T08:00:00.000Z' });

    const documents = await project(partnershipsProjection, log.events);

    expect(changesOf(documents, 'evt-6')).toEqual([{ path: 'details.countries', before: [], after: ['GH'] }]);
    expect(changesOf(documents, 'evt-7')).toEqual([]);
  });

  it('reports: the report count and the latest report date (the report id is in the event)', async () => {
    const log = asgmRegistered();
    log.fileReport(ASGM, { reportId: 'r-2009', period: { from: '2008-01-01', to: '2009-12-31' }, summary: 'Pilots.', activities: [] }, '2009-12-31');

    const documents = await project(partnershipsProjection, log.events);

    expect(audit(documents, 'evt-5')!.actor).toEqual(FOCAL_POINT);
    expect(changesOf(documents, 'evt-5')).toEqual([
      { path: 'reportCount', before: 0, after: 1 },
      { path: 'lastReportAt', before: null, after: '2009-12-31T00:00:00.000Z' },
    ]);
  });

  it('merge: each stream\'s events with their diffs, correlated and caused by the merge event', async () => {
    const log = asgmRegistered();
    log.register(WASTE, wasteDetails, [UNIDO, ISWA], '2006-01-01');
    log.merge(WASTE, ASGM, [UNIDO], '2009-03-01');

    const documents = await project(partnershipsProjection, log.events);
    const mergeEvents = documents.all<AuditDocument>(AUDIT).filter((d) => d.correlationId === 'merge-gmp-waste')
      .sort((a, b) => a.globalPosition - b.globalPosition);

    expect(mergeEvents.map(({ partnershipId, type, causationId, changes }) => ({ partnershipId, type, causationId, changes }))).toEqual([
      { partnershipId: 'gmp-waste', type: 'PartnershipMerged', causationId: 'merge-gmp-waste', changes: [{ path: 'mergedInto', before: null, after: 'gmp-asgm' }] },
      {
        partnershipId: 'gmp-waste',
        type: 'PartnershipEnded',
        causationId: 'evt-8',
        changes: [
          { path: 'status', before: 'active', after: 'ended' },
          { path: 'endReason', before: null, after: 'merged' },
        ],
      },
      { partnershipId: 'gmp-asgm', type: 'PartnershipAbsorbed', causationId: 'evt-8', changes: [{ path: 'absorbed', before: [], after: ['gmp-waste'] }] },
      {
        partnershipId: 'gmp-asgm',
        type: 'PartnerJoined',
        causationId: 'evt-8',
        changes: [{ path: 'partners.unido', before: null, after: { orgId: 'unido', name: 'UNIDO', type: 'un-system', lead: false } }],
      },
    ]);
  });

  it('end: status and reason', async () => {
    const log = asgmRegistered();
    log.end(ASGM, 'dissolved', '2010-01-31', { reason: 'Funding ended' });

    const documents = await project(partnershipsProjection, log.events);

    expect(audit(documents, 'evt-5')).toMatchObject({
      reason: 'Funding ended',
      changes: [
        { path: 'status', before: 'active', after: 'ended' },
        { path: 'endReason', before: null, after: 'dissolved' },
      ],
    });
  });

  it('applies an event only once', async () => {
    const log = asgmRegistered();
    log.join(ASGM, KENYA, '2006-03-01');
    const documents = await project(partnershipsProjection, log.events);
    const once = documents.all(AUDIT);
    await project(partnershipsProjection, log.events.slice(3), documents);

    expect(documents.all(AUDIT)).toEqual(once);
    expect(changesOf(documents, 'evt-5')).toHaveLength(1);
  });
});
