import { Query } from 'mingo';
import { amended, ended, joined, org, project, registered, reportFiled } from '../shared/testing/events';
import {
  addMonths,
  COMPLIANCE,
  COMPLIANCE_STATUSES,
  complianceProjection,
  complianceStatus,
  complianceStatusFilter,
  type ComplianceDocument,
} from './index';

const at = (date: string) => `${date}T00:00:00.000Z`;
const docOf = async (events: Parameters<typeof project>[1], policy = {}) =>
  (await (await project(complianceProjection(policy), events)).get<ComplianceDocument>(COMPLIANCE, 'pcfv'))!;

const registration = [registered('pcfv', '2002-09-04'), joined('pcfv', org('unep', 'un-system'), '2002-09-04', true)];

describe('addMonths', () => {
  it.each([
    ['2002-09-04T00:00:00.000Z', 12, '2003-09-04T00:00:00.000Z'],
    ['2003-01-31T10:30:00.000Z', 1, '2003-02-28T10:30:00.000Z'],
    ['2004-01-31T00:00:00.000Z', 1, '2004-02-29T00:00:00.000Z'],
    ['2004-02-29T00:00:00.000Z', 12, '2005-02-28T00:00:00.000Z'],
    ['2003-08-31T00:00:00.000Z', 24, '2005-08-31T00:00:00.000Z'],
    ['2003-12-15T00:00:00.000Z', 1, '2004-01-15T00:00:00.000Z'],
    ['2003-03-31T00:00:00.000Z', -1, '2003-02-28T00:00:00.000Z'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected);
  });
});

describe('compliance projection', () => {
  it('schedules from the registration when nothing was reported', async () => {
    const doc = await docOf(registration);
    expect(doc).toMatchObject({
      _id: 'pcfv',
      registeredAt: at('2002-09-04'),
      lastReportAt: null,
      reports: 0,
      basis: at('2002-09-04'),
      dueAt: at('2003-09-04'),
      inactiveAt: at('2004-09-04'),
      closed: false,
    });
    expect(doc).not.toHaveProperty('status');
  });

  it('green before dueAt, yellow from dueAt, red from inactiveAt', async () => {
    const doc = await docOf(registration);
    expect(complianceStatus(doc, '2003-09-03T23:59:59.999Z')).toBe('green');
    expect(complianceStatus(doc, at('2003-09-04'))).toBe('yellow');
    expect(complianceStatus(doc, '2004-09-03T12:00:00Z')).toBe('yellow');
    expect(complianceStatus(doc, new Date(at('2004-09-04')))).toBe('red');
  });

  it('a report moves the basis; a back-dated one does not move it back', async () => {
    const doc = await docOf([...registration, reportFiled('pcfv', 'r2', '2005-03-01'), reportFiled('pcfv', 'r1', '2004-03-01')]);
    expect(doc).toMatchObject({ lastReportAt: at('2005-03-01'), reports: 2, basis: at('2005-03-01'), dueAt: at('2006-03-01'), inactiveAt: at('2007-03-01') });
    expect(complianceStatus(doc, at('2006-01-01'))).toBe('green');
    expect(complianceStatus(doc, at('2006-06-01'))).toBe('yellow');
    expect(complianceStatus(doc, at('2007-06-01'))).toBe('red');
  });

  it('an ended partnership is closed whatever now is', async () => {
    const doc = await docOf([...registration, ended('pcfv', 'inactive', '2006-01-01')]);
    expect(doc).toMatchObject({ closed: true, endedAt: at('2006-01-01'), endReason: 'inactive' });
    expect(complianceStatus(doc, at('2003-01-01'))).toBe('closed');
    expect(complianceStatus(doc, at('2020-01-01'))).toBe('closed');
  });

  it('follows the configured policy (every two years, inactive after three)', async () => {
    const doc = await docOf([...registration, reportFiled('pcfv', 'r1', '2003-01-31')], { intervalMonths: 24, inactiveAfterMonths: 36 });
    expect(doc).toMatchObject({ dueAt: at('2005-01-31'), inactiveAt: at('2006-01-31') });
    expect(complianceStatus(doc, at('2004-12-31'))).toBe('green');
    expect(complianceStatus(doc, at('2005-06-01'))).toBe('yellow');
  });

  it('keeps the latest-effective name', async () => {
    const doc = await docOf([...registration, amended('pcfv', { name: 'New' }, '2005-01-01'), amended('pcfv', { name: 'Older' }, '2004-01-01')]);
    expect(doc.name).toBe('New');
  });

  it('changes its version when the policy changes, and refuses an incoherent policy', () => {
    const versions = new Set([complianceProjection(), complianceProjection({ intervalMonths: 6 }), complianceProjection({ inactiveAfterMonths: 36 })].map((p) => p.version));
    expect(versions.size).toBe(3);
    expect(complianceProjection().version).toBe(complianceProjection({ intervalMonths: 12, inactiveAfterMonths: 24 }).version);
    expect(complianceProjection().policy).toEqual({ intervalMonths: 12, inactiveAfterMonths: 24 });
    expect(() => complianceProjection({ intervalMonths: 24, inactiveAfterMonths: 12 })).toThrow(RangeError);
    expect(() => complianceProjection({ intervalMonths: 0 })).toThrow(RangeError);
  });

  it('the store filter selects exactly the documents with that status', async () => {
    const documents = await project(complianceProjection(), [
      [registered('a', '2002-09-04'), registered('b', '2003-06-30'), registered('c', '2004-01-31'), registered('d', '2002-09-04')],
      reportFiled('a', 'r1', '2003-05-01'),
      ended('d', 'completed', '2004-01-01'),
    ]);
    const docs = documents.all<ComplianceDocument>(COMPLIANCE);
    for (const now of ['2003-01-01', '2004-05-01', '2004-06-30', '2004-07-01', '2005-05-01', '2006-02-01'].map(at)) {
      for (const status of COMPLIANCE_STATUSES) {
        const query = new Query(complianceStatusFilter(status, now));
        const selected = docs.filter((doc) => query.test(doc)).map((doc) => doc._id);
        expect({ now, status, ids: selected }).toEqual({ now, status, ids: docs.filter((doc) => complianceStatus(doc, now) === status).map((doc) => doc._id) });
      }
    }
    expect(docs.map((doc) => complianceStatus(doc, at('2004-07-01')))).toEqual(['yellow', 'yellow', 'green', 'closed']);
    expect(docs.map((doc) => complianceStatus(doc, at('2005-05-01')))).toEqual(['red', 'yellow', 'yellow', 'closed']);
  });
});
