import type { InMemoryDocuments } from '@registry/projector';
import {
  ASGM,
  EventLog,
  FOCAL_POINT,
  ISWA,
  KENYA,
  NRDC,
  SECRETARIAT,
  UNEP,
  UNIDO,
  USA,
  WASTE,
  asgmDetails,
  project,
  wasteDetails,
} from '../shared/testing/recorded-events';
import { TIMELINE_ENTRIES, TIMELINES, timelineView, timelinesProjection, type TimelineDocument, type TimelineEntry } from './index';
import { describeChanges } from './summary';

/** The timeline as GET /partnerships/:id/timeline shows it: the head, and its entries in `order` without the sort and link fields. */
function timeline(documents: InMemoryDocuments, id = ASGM) {
  const head = documents.collections.get(TIMELINES)?.get(id) as TimelineDocument | undefined;
  if (!head) return undefined;
  const ours = documents.all<TimelineEntry>(TIMELINE_ENTRIES).filter((entry) => entry.partnershipId === id);
  const last = ours.reduce<TimelineEntry | null>((latest, entry) => (latest && latest.streamVersion > entry.streamVersion ? latest : entry), null);
  const entries = ours.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0)).map(({ _id, order, partnershipId, ...entry }) => entry);
  return { ...timelineView(head, ours.length, last), entries };
}
const summaries = (documents: InMemoryDocuments, id = ASGM) => timeline(documents, id)!.entries.map((entry) => entry.summary);

function asgmRegistered(): EventLog {
  const log = new EventLog();
  log.register(ASGM, asgmDetails, [UNEP, USA, NRDC], '2005-02-01', { recordedAt: '2005-02-03T09:00:00.000Z' });
  return log;
}

describe('timelines projection', () => {
  it('registration: one entry per event, with who, when and a readable summary', async () => {
    const documents = await project(timelinesProjection, asgmRegistered().events);
    const doc = timeline(documents)!;

    expect(doc).toMatchObject({ _id: 'gmp-asgm', partnershipId: 'gmp-asgm', entryCount: 4, mergedTimelines: [], mergedInto: null, version: 4 });
    expect(doc.entries[0]).toEqual({
      globalPosition: 1,
      streamVersion: 1,
      eventId: 'evt-1',
      type: 'PartnershipRegistered',
      effectiveAt: '2005-02-01T00:00:00.000Z',
      recordedAt: '2005-02-03T09:00:00.000Z',
      actor: { id: 'secretariat-1', role: 'secretariat' },
      summary: 'Registered as "Reducing Mercury in Artisanal and Small-Scale Gold Mining" (global; primary themes: chemicals, mining)',
    });
    expect(summaries(documents)).toEqual([
      'Registered as "Reducing Mercury in Artisanal and Small-Scale Gold Mining" (global; primary themes: chemicals, mining)',
      'UNEP joined as lead partner',
      'United States of America joined as partner',
      'Natural Resources Defense Council joined as partner',
    ]);
  });

  it('join, lead designation and leave are told with the partner\'s name; the reason is kept', async () => {
    const log = asgmRegistered();
    log.join(ASGM, KENYA, '2006-03-01');
    log.designateLead(ASGM, 'us-government', '2007-01-15');
    log.leave(ASGM, 'unep', '2008-06-30', { reason: 'UNEP hands over to the United States' });

    const doc = timeline(await project(timelinesProjection, log.events))!;

    expect(doc.entries.slice(4).map(({ type, summary, reason }) => ({ type, summary, reason }))).toEqual([
      { type: 'PartnerJoined', summary: 'Republic of Kenya joined as partner', reason: undefined },
      { type: 'LeadPartnerDesignated', summary: 'United States of America designated as lead partner', reason: undefined },
      { type: 'PartnerLeft', summary: 'UNEP left', reason: 'UNEP hands over to the United States' },
    ]);
    expect('reason' in doc.entries[4]).toBe(false);
  });

  it('a report: period and activities in the summary, the focal point as actor', async () => {
    const log = asgmRegistered();
    log.fileReport(
      ASGM,
      { reportId: 'r-2009', period: { from: '2008-01-01', to: '2009-12-31' }, summary: 'Pilots.', activities: ['capacity-building', 'technical-cooperation'] },
      '2009-12-31',
    );
    log.fileReport(ASGM, { reportId: 'r-2010', period: { from: '2010-01-01', to: '2010-01-31' }, summary: 'Nothing yet.', activities: [] }, '2010-02-01');

    const doc = timeline(await project(timelinesProjection, log.events))!;

    expect(doc.entries[4]).toMatchObject({
      type: 'ReportFiled',
      actor: FOCAL_POINT,
      summary: 'Progress report r-2009 filed for 2008-01-01 to 2009-12-31 (capacity-building, technical-cooperation)',
    });
    expect(doc.entries[5].summary).toBe('Progress report r-2010 filed for 2010-01-01 to 2010-01-31');
  });

  it('a back-dated amendment lands at its effective date, before a later-effective one recorded earlier', async () => {
    const log = asgmRegistered();
    log.join(ASGM, KENYA, '2006-03-01'); // position 5
    log.amend(ASGM, { scope: 'regional', regions: ['africa'] }, '2009-01-01', { recordedAt: '2009-01-02T08:00:00.000Z' }); // 6
    log.amend(ASGM, { endDate: '2012-12-31', countries: ['GH', 'TZ'] }, '2008-01-01', { recordedAt: '2009-06-01T08:00:00.000Z', reason: 'correction' }); // 7

    const doc = timeline(await project(timelinesProjection, log.events))!;

    expect(doc.entries.map((entry) => entry.globalPosition)).toEqual([1, 2, 3, 4, 5, 7, 6]);
    expect(doc.entries.slice(5).map(({ effectiveAt, recordedAt, summary }) => ({ effectiveAt, recordedAt, summary }))).toEqual([
      {
        effectiveAt: '2008-01-01T00:00:00.000Z',
        recordedAt: '2009-06-01T08:00:00.000Z',
        summary: 'Countries amended to GH, TZ; end date amended to 2012-12-31',
      },
      {
        effectiveAt: '2009-01-01T00:00:00.000Z',
        recordedAt: '2009-01-02T08:00:00.000Z',
        summary: 'Scope amended to regional; regions amended to Africa',
      },
    ]);
    expect(doc.version).toBe(7);
    expect(doc.updatedAt).toBe('2009-06-01T08:00:00.000Z');
  });

  it('events with the same effective instant stay in log order', async () => {
    const log = asgmRegistered();
    log.amend(ASGM, { scope: 'regional' }, '2009-01-01');
    log.amend(ASGM, { scope: 'national' }, '2009-01-01');

    const doc = timeline(await project(timelinesProjection, log.events))!;

    expect(doc.entries.slice(4).map((entry) => entry.summary)).toEqual(['Scope amended to regional', 'Scope amended to national']);
  });

  it('merge: both timelines tell it and link to each other; carried-over partners say where they come from', async () => {
    const log = asgmRegistered();
    log.register(WASTE, wasteDetails, [UNIDO, ISWA], '2006-01-01');
    log.merge(WASTE, ASGM, [UNIDO, ISWA], '2009-03-01', { reason: 'CSD-17 consolidation' });

    const documents = await project(timelinesProjection, log.events);

    expect(timeline(documents, WASTE)).toMatchObject({ mergedInto: 'gmp-asgm', mergedTimelines: [] });
    expect(timeline(documents, ASGM)).toMatchObject({ mergedInto: null, mergedTimelines: ['gmp-waste'] });
    expect(summaries(documents, WASTE).slice(3)).toEqual(['Merged into gmp-asgm', 'Ended: merged into gmp-asgm']);
    expect(summaries(documents, ASGM).slice(4)).toEqual([
      'Absorbed gmp-waste',
      'UNIDO joined as partner, carried over from gmp-waste',
      'International Solid Waste Association joined as partner, carried over from gmp-waste',
    ]);
    expect(timeline(documents, ASGM)!.entries[4]).toMatchObject({ reason: 'CSD-17 consolidation', actor: SECRETARIAT });
  });

  it('end: "Ended: completed"', async () => {
    const log = asgmRegistered();
    log.end(ASGM, 'completed', '2010-01-31');

    expect(summaries(await project(timelinesProjection, log.events)).at(-1)).toBe('Ended: completed');
  });

  it('summaries of every kind of amendment are readable English', () => {
    expect(describeChanges({ name: 'Mercury Waste Partnership', description: 'New text.' })).toBe(
      'name amended to "Mercury Waste Partnership"; description amended',
    );
    expect(describeChanges({ themes: { primary: ['waste-management'], secondary: [] } })).toBe(
      'themes amended to primary waste-management; secondary none',
    );
    expect(describeChanges({ regions: ['asia-pacific', 'western-asia'], countries: [] })).toBe(
      'regions amended to Asia and the Pacific, Western Asia; countries cleared',
    );
    expect(describeChanges({ startDate: '2005-01-01', endDate: null })).toBe('start date amended to 2005-01-01; end date cleared (open-ended)');
    expect(
      describeChanges({
        resources: { financialSecured: false, inKind: ['office'], seekingFunding: true, seekingAmount: { amount: 50000, currency: 'USD' }, fundingSources: ['foundation'] },
        mechanisms: ['education-awareness'],
      }),
    ).toBe('resources amended (no financial resources secured, in kind: office, seeking 50000 USD, funded by foundation); mechanisms amended to education-awareness');
    expect(describeChanges({ resources: null })).toBe('resources cleared');
  });

  it('given a registered partnership, when a report and an amendment come, then only entries are written and the view counts them', async () => {
    // given
    const log = asgmRegistered();
    const documents = await project(timelinesProjection, log.events);
    const headBefore = structuredClone(documents.collections.get(TIMELINES)!.get(ASGM));

    // when
    log.fileReport(ASGM, { reportId: 'r-1', period: { from: '2006-01-01', to: '2006-12-31' }, summary: 'first year', activities: [] }, '2007-02-01', {
      recordedAt: '2007-02-02T10:00:00.000Z',
    });
    log.amend(ASGM, { scope: 'regional' }, '2007-03-01', { recordedAt: '2007-03-02T10:00:00.000Z' });
    await project(timelinesProjection, log.events.slice(-2), documents);

    // then
    expect(documents.collections.get(TIMELINES)!.get(ASGM)).toEqual(headBefore);
    expect(timeline(documents)).toMatchObject({ entryCount: 6, version: 6, updatedAt: '2007-03-02T10:00:00.000Z' });
    expect(summaries(documents).slice(-2)).toEqual(['Progress report r-1 filed for 2006-01-01 to 2006-12-31', 'Scope amended to regional']);
  });

  it('applies an event only once', async () => {
    const log = asgmRegistered();
    const documents = await project(timelinesProjection, log.events);
    await project(timelinesProjection, log.events.slice(1), documents);

    expect(timeline(documents)!.entries).toHaveLength(4);
    expect(timeline(documents)!.entryCount).toBe(4);
  });

  it('an entry is a document of its own, keyed by event, ordered by effective instant then position', async () => {
    const log = asgmRegistered();
    log.amend(ASGM, { scope: 'regional' }, '2003-06-01', { recordedAt: '2009-01-02T08:00:00.000Z' });

    const documents = await project(timelinesProjection, log.events);
    const amendment = documents.all<TimelineEntry>(TIMELINE_ENTRIES).find((entry) => entry.type === 'PartnershipAmended')!;

    expect(amendment).toMatchObject({ _id: amendment.eventId, partnershipId: ASGM, order: '2003-06-01T00:00:00.000Z#000000000000005' });
  });
});
