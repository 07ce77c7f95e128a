import type { InMemoryDocuments } from '@registry/projector';
import {
  ASGM,
  EventLog,
  KENYA,
  ISWA,
  NRDC,
  UNEP,
  UNIDO,
  USA,
  WASTE,
  asgmDetails,
  project,
  wasteDetails,
} from '../shared/testing/recorded-events';
import type { ExistingPartnership, PartnershipState } from '@registry/domain';
import { foldEvent } from '../shared/partnership-state';
import { PARTNERSHIPS, partnershipsProjection, stateOfDocument, toDocument, type PartnershipDocument } from './index';

const partnership = (documents: InMemoryDocuments, id = ASGM) =>
  documents.collections.get(PARTNERSHIPS)?.get(id) as PartnershipDocument | undefined;

/** Given: the ASGM area registered on 1 Feb 2005, UNEP leading, the United States and NRDC taking part. */
function asgmRegistered(): EventLog {
  const log = new EventLog();
  log.register(ASGM, asgmDetails, [UNEP, USA, NRDC], '2005-02-01', { recordedAt: '2005-02-03T09:00:00.000Z' });
  return log;
}

describe('partnerships projection', () => {
  it('declares its collections (the audit trail first, see audit.spec) and the indexes of the query filters', () => {
    expect(partnershipsProjection.name).toBe('partnerships');
    expect(partnershipsProjection.collections.map((c) => c.name)).toEqual(['audit', 'partnerships']);
    expect(partnershipsProjection.collections[1].indexes.map((index) => index.keys)).toEqual([
      { status: 1 },
      { 'themes.primary': 1 },
      { 'themes.secondary': 1 },
      { scope: 1 },
      { regions: 1 },
      { countries: 1 },
      { 'partners.orgId': 1 },
      { registeredAt: 1 },
      { updatedAt: 1 },
      { name: 1 },
    ]);
  });

  it('registration with partners: one document with every attribute and the partners sorted by orgId', async () => {
    const documents = await project(partnershipsProjection, asgmRegistered().events);

    expect(documents.all(PARTNERSHIPS).map((d) => d._id)).toEqual([ASGM]);
    const { _fold, ...document } = partnership(documents)!;
    expect(document).toEqual({
      _id: 'gmp-asgm',
      name: 'Reducing Mercury in Artisanal and Small-Scale Gold Mining',
      description: 'Reduce mercury use and emissions in artisanal gold mining.',
      themes: { primary: ['chemicals', 'mining'], secondary: ['health'] },
      scope: 'global',
      regions: [],
      countries: [],
      startDate: '2005-02-01',
      endDate: null,
      resources: { financialSecured: true, inKind: ['staff'], seekingFunding: false, fundingSources: ['government'] },
      mechanisms: ['training', 'technology-transfer'],
      partners: [
        { orgId: 'nrdc', name: 'Natural Resources Defense Council', type: 'ngo', lead: false },
        { orgId: 'unep', name: 'UNEP', type: 'un-system', lead: true },
        { orgId: 'us-government', name: 'United States of America', type: 'government', country: 'US', lead: false },
      ],
      leadCount: 1,
      partnerCount: 3,
      status: 'active',
      endReason: null,
      endedAt: null,
      mergedInto: null,
      absorbedFrom: [],
      registeredAt: '2005-02-01T00:00:00.000Z',
      registeredYear: 2005,
      lastReportAt: null,
      reportCount: 0,
      version: 4,
      updatedAt: '2005-02-03T09:00:00.000Z',
      lastPosition: 4,
      searchText:
        'reducing mercury in artisanal and small-scale gold mining reduce mercury use and emissions in artisanal gold mining. ' +
        'natural resources defense council unep united states of america',
    });
    expect(_fold).toEqual({
      detailsEffectiveAt: expect.objectContaining({ name: '2005-02-01T00:00:00.000Z', themes: '2005-02-01T00:00:00.000Z' }),
      lastMembershipChangeAt: '2005-02-01T00:00:00.000Z',
      lastEffectiveAt: '2005-02-01T00:00:00.000Z',
      reportIds: [],
    });
  });

  it('a document gives back its domain state: folding the next event into it makes the document folding into the original state makes', () => {
    // Given a history touching every attribute the document shows or keeps in _fold
    const log = asgmRegistered();
    log.join(ASGM, KENYA, '2006-03-01');
    log.fileReport(ASGM, { reportId: 'r-1', period: { from: '2006-01-01', to: '2006-12-31' }, summary: 'first year', activities: ['capacity-building'] }, '2007-02-01');
    log.amend(ASGM, { scope: 'regional', regions: ['africa'], endDate: '2015-12-31', description: 'Narrower.' }, '2008-01-01');
    log.amend(ASGM, { scope: 'subregional' }, '2007-06-01', { reason: 'back-dated correction, superseded by the 2008 amendment' });
    log.designateLead(ASGM, 'us-government', '2009-01-15');
    log.leave(ASGM, 'unep', '2009-06-30');
    log.end(ASGM, 'completed', '2010-01-31');
    let original: PartnershipState | undefined;
    let document: PartnershipDocument | undefined;
    for (const event of log.events) {
      // When the event is folded into the original state, and into the state given back by the last document
      const next = foldEvent(original, event) as ExistingPartnership;
      const before = document && stateOfDocument(document);
      const fromDocument = foldEvent(before, event) as ExistingPartnership;
      // Then both make the same document, also when the one from the document shares the previous document's unchanged parts
      const endedAt = event.type === 'PartnershipEnded' ? event.metadata.effectiveAt : (document?.endedAt ?? null);
      expect(toDocument(fromDocument, event, endedAt)).toEqual(toDocument(next, event, endedAt));
      const sharing = before && document ? { state: before, document } : undefined;
      expect(JSON.stringify(toDocument(fromDocument, event, endedAt, sharing))).toBe(JSON.stringify(toDocument(next, event, endedAt)));
      original = next;
      document = toDocument(next, event, endedAt);
    }
    expect(document).toMatchObject({ status: 'ended', scope: 'regional', reportCount: 1, _fold: { reportIds: ['r-1'] } });
  });

  it('given a partnership document, when a report is filed, then the new document shares its details and partners; when a partner joins, only the details', () => {
    // given
    const log = asgmRegistered();
    const registered = log.events.reduce<PartnershipDocument | undefined>(
      (document, event) => toDocument(foldEvent(document && stateOfDocument(document), event) as ExistingPartnership, event, null),
      undefined,
    )!;
    const report = log.fileReport(ASGM, { reportId: 'r-1', period: { from: '2006-01-01', to: '2006-12-31' }, summary: 'first year', activities: [] }, '2007-02-01');
    const join = log.join(ASGM, KENYA, '2007-03-01');
    const next = (document: PartnershipDocument, event: typeof report) => {
      const before = stateOfDocument(document);
      return toDocument(foldEvent(before, event) as ExistingPartnership, event, null, { state: before, document });
    };

    // when
    const reported = next(registered, report);
    const joined = next(reported, join);

    // then
    expect(reported.reportCount).toBe(1);
    expect(reported.partners).toBe(registered.partners);
    expect(reported.themes).toBe(registered.themes);
    expect(reported.searchText).toBe(registered.searchText);
    expect(joined.partners).toHaveLength(registered.partners.length + 1);
    expect(joined.themes).toBe(registered.themes);
    expect(joined.searchText).not.toBe(registered.searchText);
  });

  it('a partner joins, another is designated lead, the first lead leaves: partners, counts and search text follow', async () => {
    const log = asgmRegistered();
    log.join(ASGM, KENYA, '2006-03-01');
    log.designateLead(ASGM, 'us-government', '2007-01-15');
    log.leave(ASGM, 'unep', '2008-06-30', { recordedAt: '2008-07-01T10:00:00.000Z' });

    const doc = partnership(await project(partnershipsProjection, log.events))!;

    expect(doc.partners).toEqual([
      { orgId: 'kenya', name: 'Republic of Kenya', type: 'government', country: 'KE', lead: false },
      { orgId: 'nrdc', name: 'Natural Resources Defense Council', type: 'ngo', lead: false },
      { orgId: 'us-government', name: 'United States of America', type: 'government', country: 'US', lead: true },
    ]);
    expect(doc.leadCount).toBe(1);
    expect(doc.partnerCount).toBe(3);
    expect(doc.searchText).toContain('republic of kenya');
    expect(doc.searchText).not.toContain('unep');
    expect(doc.version).toBe(7);
    expect(doc.updatedAt).toBe('2008-07-01T10:00:00.000Z');
  });

  it('reports: the count, and the latest effective date even when a report is filed back-dated', async () => {
    const log = asgmRegistered();
    log.fileReport(ASGM, { reportId: 'r-2009', period: { from: '2008-01-01', to: '2009-12-31' }, summary: 'Pilots in 5 countries.', activities: ['capacity-building'] }, '2009-12-31');
    log.fileReport(ASGM, { reportId: 'r-2007', period: { from: '2006-01-01', to: '2007-12-31' }, summary: 'Late report.', activities: [] }, '2007-12-31');

    const doc = partnership(await project(partnershipsProjection, log.events))!;

    expect(doc.reportCount).toBe(2);
    expect(doc.lastReportAt).toBe('2009-12-31T00:00:00.000Z');
  });

  it('a back-dated amendment recorded after a later-effective one does not override it, but sets what it alone changes', async () => {
    const log = asgmRegistered();
    log.amend(ASGM, { scope: 'regional', regions: ['africa'] }, '2009-01-01', { recordedAt: '2009-01-02T08:00:00.000Z' });
    // Recorded later, effective earlier: the scope it sets was already superseded on 2009-01-01.
    log.amend(ASGM, { scope: 'national', countries: ['GH'] }, '2008-01-01', { recordedAt: '2009-06-01T08:00:00.000Z' });

    const doc = partnership(await project(partnershipsProjection, log.events))!;

    expect(doc.scope).toBe('regional');
    expect(doc.regions).toEqual(['africa']);
    expect(doc.countries).toEqual(['GH']);
    expect(doc.version).toBe(6);
    expect(doc.updatedAt).toBe('2009-06-01T08:00:00.000Z');
  });

  it('amending the name and clearing the end date and resources shows in the document and its search text', async () => {
    const log = new EventLog();
    log.register(WASTE, wasteDetails, [UNIDO], '2006-01-01');
    log.amend(WASTE, { name: 'Mercury Waste Partnership', endDate: null, resources: null }, '2007-01-01');

    const doc = partnership(await project(partnershipsProjection, log.events), WASTE)!;

    expect(doc.name).toBe('Mercury Waste Partnership');
    expect(doc.endDate).toBeNull();
    expect(doc.resources).toBeNull();
    expect(doc.searchText.startsWith('mercury waste partnership ')).toBe(true);
  });

  it('merge: the absorbed one ends as merged into the survivor, which lists it and carries its partners as non-leads', async () => {
    const log = asgmRegistered();
    log.register(WASTE, wasteDetails, [UNIDO, ISWA, USA], '2006-01-01');
    log.merge(WASTE, ASGM, [UNIDO, ISWA], '2009-03-01', { reason: 'CSD-17 consolidation', recordedAt: '2009-03-02T12:00:00.000Z' });

    const documents = await project(partnershipsProjection, log.events);
    const absorbed = partnership(documents, WASTE)!;
    const survivor = partnership(documents, ASGM)!;

    expect(absorbed).toMatchObject({
      status: 'ended',
      endReason: 'merged',
      endedAt: '2009-03-01T00:00:00.000Z',
      mergedInto: 'gmp-asgm',
      absorbedFrom: [],
      version: 6,
    });
    expect(survivor).toMatchObject({ status: 'active', mergedInto: null, absorbedFrom: ['gmp-waste'], partnerCount: 5, leadCount: 1, version: 7 });
    expect(survivor.partners.map((p) => `${p.orgId}:${p.lead}`)).toEqual([
      'iswa:false',
      'nrdc:false',
      'unep:true',
      'unido:false',
      'us-government:false',
    ]);
  });

  it('end: status ended with its reason and effective date', async () => {
    const log = asgmRegistered();
    log.end(ASGM, 'completed', '2010-01-31', { recordedAt: '2010-02-01T09:30:00.000Z' });

    const doc = partnership(await project(partnershipsProjection, log.events))!;

    expect(doc).toMatchObject({ status: 'ended', endReason: 'completed', endedAt: '2010-01-31T00:00:00.000Z', version: 5, updatedAt: '2010-02-01T09:30:00.000Z' });
  });

  it('applies an event only once: replaying a batch from an older checkpoint changes nothing', async () => {
    const log = asgmRegistered();
    log.join(ASGM, KENYA, '2006-03-01');
    const documents = await project(partnershipsProjection, log.events);
    await project(partnershipsProjection, log.events.slice(2), documents);

    expect(partnership(documents)).toMatchObject({ partnerCount: 4, version: 5, lastPosition: 5 });
  });

  it('ignores events that are not a partnership\'s', async () => {
    const log = asgmRegistered();
    const foreign = { ...log.events[0], type: 'SomethingElse', globalPosition: 5, eventId: 'x' };
    const documents = await project(partnershipsProjection, [...log.events, foreign]);

    expect(partnership(documents)!.version).toBe(4);
  });
});
