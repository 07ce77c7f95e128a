import { expectedFigures, generateHistory, type ImportLine } from '@registry/generator';
import { InMemoryDocuments } from '@registry/projector';
import { applyRecorded, ended, joined, leadDesignated, left, merged, org, project, registered, reportFiled } from '../shared/testing/events';
import { recordedHistory } from '../shared/testing/recorded-history';
import { ORGANISATION_ROSTERS, ORGANISATIONS, organisationsProjection, type OrganisationDocument } from './index';

const at = (date: string) => `${date}T00:00:00.000Z`;
const UNEP = org('unep', 'un-system');
const USA = org('usa', 'government', 'US');
const ICCT = org('icct', 'ngo');

const registration = (id: string, date: string, partners: [ReturnType<typeof org>, boolean][]) => [
  registered(id, date),
  ...partners.map(([partner, lead]) => joined(id, partner, date, lead)),
];
const orgOf = async (documents: InMemoryDocuments, id: string) => (await documents.get<OrganisationDocument>(ORGANISATIONS, id))!;

describe('organisations projection', () => {
  it('lists the partnerships an organisation joined, sorted, with counts', async () => {
    const documents = await project(organisationsProjection, [
      registration('pcfv', '2002-09-04', [[UNEP, true], [USA, false]]),
      registration('gmp', '2005-03-01', [[UNEP, false], [ICCT, true]]),
      reportFiled('gmp', 'r1', '2006-01-01'),
    ]);
    expect(await orgOf(documents, 'unep')).toEqual({
      _id: 'unep',
      name: 'Organisation unep',
      type: 'un-system',
      country: null,
      seenAt: at('2005-03-01'),
      partnerships: [
        { partnershipId: 'gmp', lead: false, since: at('2005-03-01') },
        { partnershipId: 'pcfv', lead: true, since: at('2002-09-04') },
      ],
      formerPartnerships: [],
      partnershipCount: 2,
      leadCount: 1,
    });
    expect(await orgOf(documents, 'usa')).toMatchObject({ type: 'government', country: 'US', partnershipCount: 1, leadCount: 0 });
  });

  it('counts a designated lead', async () => {
    const documents = await project(organisationsProjection, [
      registration('pcfv', '2002-09-04', [[UNEP, true], [USA, false]]),
      leadDesignated('pcfv', 'usa', '2003-01-01'),
    ]);
    expect(await orgOf(documents, 'usa')).toMatchObject({ partnerships: [{ partnershipId: 'pcfv', lead: true }], leadCount: 1 });
  });

  it('moves a membership to former when the organisation leaves, and back when it rejoins', async () => {
    const documents = await project(organisationsProjection, [
      registration('pcfv', '2002-09-04', [[UNEP, true], [USA, false]]),
      left('pcfv', 'usa', '2004-01-01'),
    ]);
    expect(await orgOf(documents, 'usa')).toMatchObject({
      partnerships: [],
      formerPartnerships: [{ partnershipId: 'pcfv', lead: false, since: at('2002-09-04'), until: at('2004-01-01'), endedBy: 'left' }],
      partnershipCount: 0,
    });
    expect(await documents.get(ORGANISATION_ROSTERS, 'pcfv')).toEqual({ _id: 'pcfv', members: ['unep'] });

    const rejoined = await project(organisationsProjection, [
      registration('pcfv', '2002-09-04', [[UNEP, true], [USA, false]]),
      left('pcfv', 'usa', '2004-01-01'),
      joined('pcfv', org('usa', 'government', 'US'), '2006-01-01'),
    ]);
    expect(await orgOf(rejoined, 'usa')).toMatchObject({
      partnerships: [{ partnershipId: 'pcfv', since: at('2006-01-01') }],
      formerPartnerships: [{ partnershipId: 'pcfv', until: at('2004-01-01') }],
      partnershipCount: 1,
    });
  });

  it('ends every membership when the partnership ends', async () => {
    const documents = await project(organisationsProjection, [
      registration('pcfv', '2002-09-04', [[UNEP, true], [USA, false]]),
      registration('gmp', '2005-03-01', [[UNEP, true]]),
      ended('pcfv', 'completed', '2008-01-01'),
    ]);
    expect(await orgOf(documents, 'unep')).toMatchObject({
      partnerships: [{ partnershipId: 'gmp' }],
      formerPartnerships: [{ partnershipId: 'pcfv', lead: true, until: at('2008-01-01'), endedBy: 'completed' }],
      partnershipCount: 1,
      leadCount: 1,
    });
    expect(await orgOf(documents, 'usa')).toMatchObject({ partnerships: [], formerPartnerships: [{ partnershipId: 'pcfv', endedBy: 'completed' }], partnershipCount: 0 });
    expect(await documents.get(ORGANISATION_ROSTERS, 'pcfv')).toBeNull();
  });

  it('on a merge, moves the absorbed partnership to former and carries partners over to the survivor', async () => {
    const documents = await project(organisationsProjection, [
      registration('pcfv', '2002-09-04', [[UNEP, true], [USA, false]]),
      registration('gmp', '2005-03-01', [[UNEP, true], [ICCT, false]]),
      merged('gmp', 'pcfv', '2007-01-01', [ICCT]),
    ]);
    expect(await orgOf(documents, 'icct')).toMatchObject({
      partnerships: [{ partnershipId: 'pcfv', lead: false, since: at('2007-01-01'), viaMergeOf: 'gmp' }],
      formerPartnerships: [{ partnershipId: 'gmp', until: at('2007-01-01'), endedBy: 'merged', mergedInto: 'pcfv' }],
      partnershipCount: 1,
    });
    expect(await orgOf(documents, 'unep')).toMatchObject({
      partnerships: [{ partnershipId: 'pcfv', lead: true, since: at('2002-09-04') }],
      formerPartnerships: [{ partnershipId: 'gmp', lead: true, endedBy: 'merged' }],
      partnershipCount: 1,
      leadCount: 1,
    });
  });

  it('keeps the name, type and country of the latest listing', async () => {
    const documents = await project(organisationsProjection, [
      registration('pcfv', '2002-09-04', [[UNEP, true], [USA, false]]),
      registration('gmp', '2005-03-01', [[UNEP, true], [{ ...USA, name: 'United States of America', country: undefined } as never, false]]),
    ]);
    expect(await orgOf(documents, 'usa')).toMatchObject({ name: 'United States of America', country: 'US', seenAt: at('2005-03-01') });
  });

  it('agrees with the oracle on a generated history: current listings and leads', async () => {
    const lines: ImportLine[] = [...generateHistory({ partnerships: 150, seed: 3 })];
    const { partnerships } = expectedFigures(lines);
    const documents = new InMemoryDocuments();
    await applyRecorded(organisationsProjection, recordedHistory(lines), documents);

    const expected = new Map<string, { partnerships: string[]; leads: number }>();
    for (const p of partnerships.values()) {
      if (p.status !== 'active') continue;
      for (const { orgId, lead } of Object.values(p.partners)) {
        const entry = expected.get(orgId) ?? { partnerships: [], leads: 0 };
        entry.partnerships.push(p.id);
        if (lead) entry.leads++;
        expected.set(orgId, entry);
      }
    }
    const actual = documents.all<OrganisationDocument>(ORGANISATIONS).filter((o) => o.partnershipCount > 0);
    expect(actual.length).toBe(expected.size);
    for (const o of actual) {
      expect({ id: o._id, partnerships: o.partnerships.map((m) => m.partnershipId), leads: o.leadCount }).toEqual({
        id: o._id,
        partnerships: expected.get(o._id)?.partnerships.sort(),
        leads: expected.get(o._id)?.leads,
      });
    }
  });
});
