import { generateHistory, type ImportLine } from '@registry/generator';
import { trendsProjection, TREND_FACETS, TRENDS, trendTables, trendTablesFor, type TrendFacet, type TrendTables } from '@registry/projections';
import { readLog, replayAsOf, type AsOf } from '@registry/time-travel';
import { registration } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Acceptance 2 of issue 4: a history whose registrations span 2002-2012 is imported (late: every
 * event is recorded today, effective in the past), then corrected later (back-dated amendment,
 * end and partner changes). Trends at `session=CSD-18` and at `asOf=2010-02-01&knownAt=K`, K
 * between the import and the corrections, are checked against counts computed here: from the
 * import lines themselves (registrations by date) and a brute-force fold of the filtered log.
 */

const CUT_OFF = '2010-02-01';
const CUT_OFF_INSTANT = '2010-02-01T00:00:00.000Z';
const CLUSTER = ['transport', 'chemicals', 'mining', 'waste-management', 'consumption-production'];

/** An import line as the HTTP request it stands for. */
function requestOf(line: ImportLine): { method: 'POST' | 'PATCH'; url: string; body: Record<string, unknown> } {
  const extra = { effectiveDate: line.effectiveDate, ...(line.rationale !== undefined && { rationale: line.rationale }) };
  if (line.command === 'RegisterPartnership') return { method: 'POST', url: '/partnerships', body: { ...line.data, ...extra } };
  const { partnershipId, ...data } = line.data as { partnershipId: string } & Record<string, unknown>;
  const base = `/partnerships/${partnershipId}`;
  switch (line.command) {
    case 'JoinPartner':
      return { method: 'POST', url: `${base}/partners`, body: { ...data, ...extra } };
    case 'LeavePartner': {
      const { orgId, ...rest } = data as { orgId: string };
      return { method: 'POST', url: `${base}/partners/${orgId}/leave`, body: { ...rest, ...extra } };
    }
    case 'DesignateLead':
      return { method: 'POST', url: `${base}/leads`, body: { ...data, ...extra } };
    case 'FileReport':
      return { method: 'POST', url: `${base}/reports`, body: { ...data, ...extra } };
    case 'AmendPartnership':
      return { method: 'PATCH', url: base, body: { ...data, ...extra } };
    case 'MergePartnership':
      return { method: 'POST', url: `${base}/merge`, body: { ...data, ...extra } };
    case 'EndPartnership':
      return { method: 'POST', url: `${base}/end`, body: { ...data, ...extra } };
  }
}

/** The trend tables without the echo of the point (what the brute force computes). */
function tablesOf(body: Record<string, unknown>): TrendTables {
  const { asOf: _a, knownAt: _k, session: _s, position: _p, cluster: _c, ...tables } = body;
  return tables as unknown as TrendTables;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('time travel over HTTP', () => {
  let t: TestApp;
  let head = 0;
  /** Between the import and the corrections. */
  let knownAt = '';
  /** Registrations by effective date, from the import lines: the independent count. */
  const registrationDates: string[] = [];
  /** GET /trends?session=CSD-18 before the corrections. */
  let trendsBeforeCorrections: TrendTables;

  async function send(request: Parameters<TestApp['request']>[0]) {
    const response = await t.request(request);
    if (response.statusCode >= 300) throw new Error(`${request.method} ${request.url}: ${response.statusCode} ${JSON.stringify(response.json)}`);
    head = Number(response.headers['x-event-position']);
    return response;
  }
  const get = (url: string, headers: Record<string, string> = {}) =>
    t.request({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}minPosition=${head}`, token: null, headers });

  /** The brute force: every event of the log, filtered, folded by the trends projection alone. */
  async function bruteForceTrends(point: AsOf, cluster?: string[]): Promise<TrendTables> {
    const { documents } = await replayAsOf(readLog(t.store), [trendsProjection], point);
    if (!cluster) return trendTables(documents.all(TRENDS)[0]);
    return trendTablesFor(documents.all<TrendFacet>(TREND_FACETS).filter((facet) => (facet.themes as { primary: string[] }).primary.some((theme) => cluster.includes(theme))));
  }

  const registeredBy = (date: string) => registrationDates.filter((effective) => effective <= date).length;

  beforeAll(async () => {
    t = await startTestApp({ MIN_POSITION_WAIT_MS: '20000' });
    // The generated history, registrations 2002-2012, every line recorded now.
    const lines = [...generateHistory({ partnerships: 30, seed: 4, until: '2012-12-31' })];
    for (const line of lines) {
      if (line.command === 'RegisterPartnership') registrationDates.push(line.effectiveDate);
      await send(requestOf(line));
    }
    // Partnerships of our own whose corrections are easy to count by hand.
    const own = [
      registration({ id: 'tt-regional', scope: 'regional', regions: ['africa'], startDate: '2003-01-01', effectiveDate: '2003-05-01' }),
      registration({ id: 'tt-local', scope: 'local', regions: [], startDate: '2009-01-01', effectiveDate: '2009-03-02' }),
      registration({ id: 'tt-late', scope: 'global', startDate: '2012-03-01', effectiveDate: '2012-03-01' }),
    ];
    for (const body of own) {
      registrationDates.push(body.effectiveDate as string);
      await send({ method: 'POST', url: '/partnerships', body });
    }
    trendsBeforeCorrections = tablesOf((await get('/trends?session=CSD-18')).json);

    await sleep(20);
    knownAt = new Date().toISOString();
    await sleep(20);

    // Corrections recorded later, back-dated.
    await send({ method: 'PATCH', url: '/partnerships/tt-regional', body: { scope: 'national', effectiveDate: '2004-01-01', rationale: 'national since 2004, per the 2009 report' } });
    await send({ method: 'POST', url: '/partnerships/tt-local/end', body: { reason: 'dissolved', effectiveDate: '2009-11-30', rationale: 'dissolution notified late' } });
    await send({ method: 'POST', url: '/partnerships/tt-regional/partners', body: { orgId: 'tt-ngo', name: 'A late-recorded NGO', type: 'ngo', effectiveDate: '2006-01-10' } });
    await send({ method: 'POST', url: '/partnerships/tt-regional/partners/unido/leave', body: { effectiveDate: '2007-03-01' } });
  }, 120_000);
  afterAll(() => t.close());

  describe('GET /trends as of a session and a knowledge time', () => {
    it('the import spans 2002-2012', () => {
      const years = new Set(registrationDates.map((date) => date.slice(0, 4)));
      expect([...years].sort()[0]).toBe('2002');
      expect([...years].sort().pop()).toBe('2012');
      expect(registeredBy(CUT_OFF)).toBeLessThan(registrationDates.length);
    });

    it('session=CSD-18 answers as of the cut-off 2010-02-01 with everything recorded, corrections included', async () => {
      const response = await get('/trends?session=CSD-18');
      expect(response.statusCode).toBe(200);
      expect(response.json).toMatchObject({ asOf: CUT_OFF_INSTANT, knownAt: null, session: 'CSD-18', position: head });
      const tables = tablesOf(response.json);
      expect(tables.registered).toBe(registeredBy(CUT_OFF));
      for (const [year, count] of Object.entries(tables.byRegistrationYear)) {
        expect({ year, count }).toEqual({ year, count: registrationDates.filter((date) => date.startsWith(year) && date <= CUT_OFF).length });
      }
      expect(Object.keys(tables.byRegistrationYear).every((year) => year <= '2010')).toBe(true);
      expect(tables).toEqual(await bruteForceTrends({ asOf: CUT_OFF_INSTANT, knownAt: null }));
    });

    it('asOf=2010-02-01&knownAt=K (before the corrections) still returns the old answer', async () => {
      const response = await get(`/trends?asOf=${CUT_OFF}&knownAt=${knownAt}`);
      expect(response.statusCode).toBe(200);
      expect(response.json).toMatchObject({ asOf: CUT_OFF_INSTANT, knownAt, session: null });
      expect(response.json.position).toBeLessThan(head);
      const tables = tablesOf(response.json);
      expect(tables).toEqual(trendsBeforeCorrections);
      expect(tables).toEqual(await bruteForceTrends({ asOf: CUT_OFF_INSTANT, knownAt }));
      expect(tables.registered).toBe(registeredBy(CUT_OFF));
    });

    it('the corrections change the as-of answer by what they corrected, and only that', async () => {
      const before = tablesOf((await get(`/trends?asOf=${CUT_OFF}&knownAt=${knownAt}`)).json);
      const after = tablesOf((await get('/trends?session=CSD-18')).json);
      expect(after.registered).toBe(before.registered);
      expect(after.active).toBe(before.active - 1); // tt-local dissolved 2009-11-30
      expect(after.byScope.local).toBe(before.byScope.local - 1);
      expect(after.byScope.regional).toBe(before.byScope.regional - 1); // tt-regional: national since 2004
      expect(after.byScope.national).toBe(before.byScope.national + 1);
      expect(after.partnerTypes.listings.ngo).toBe(before.partnerTypes.listings.ngo + 1); // tt-ngo joined 2006
      // unido left tt-regional; tt-local's two UN partners (unep, unido) no longer count once it ended
      expect(after.partnerTypes.listings['un-system']).toBe(before.partnerTypes.listings['un-system'] - 3);
    });

    it('cluster narrows the as-of tables as the brute force does', async () => {
      const response = await get(`/trends?session=CSD-18&cluster=${CLUSTER.join(',')}`);
      expect(response.statusCode).toBe(200);
      expect(response.json.cluster).toEqual(CLUSTER);
      expect(tablesOf(response.json)).toEqual(await bruteForceTrends({ asOf: CUT_OFF_INSTANT, knownAt: null }, CLUSTER));
    });

    it('knownAt alone means asOf = knownAt: the registry as it showed itself then', async () => {
      const alone = await get(`/trends?knownAt=${knownAt}`);
      const both = await get(`/trends?asOf=${knownAt}&knownAt=${knownAt}`);
      expect(alone.json).toMatchObject({ asOf: knownAt, knownAt, session: null });
      expect(tablesOf(alone.json)).toEqual(tablesOf(both.json));
      expect(tablesOf(alone.json).registered).toBe(registrationDates.length);
    });

    it('without a point, GET /trends is the current tables, without an echo', async () => {
      const response = await get('/trends');
      expect(response.json).not.toHaveProperty('asOf');
      expect(tablesOf(response.json)).toEqual(await bruteForceTrends({ asOf: new Date().toISOString(), knownAt: null }));
    });
  });

  describe('other endpoints as of a point', () => {
    it('GET /partnerships/:id: the correction applies from its effective date, not before it was known', async () => {
      expect((await get('/partnerships/tt-regional?asOf=2003-12-31')).json).toMatchObject({ scope: 'regional', asOf: '2003-12-31T00:00:00.000Z' });
      expect((await get('/partnerships/tt-regional?asOf=2005-01-01')).json).toMatchObject({ scope: 'national' });
      expect((await get(`/partnerships/tt-regional?asOf=2005-01-01&knownAt=${knownAt}`)).json).toMatchObject({ scope: 'regional', knownAt });
      const partners = (await get('/partnerships/tt-regional?session=CSD-18')).json.partners.map((partner: { orgId: string }) => partner.orgId);
      expect(partners).toEqual(['tt-ngo', 'unep']);
      expect((await get('/partnerships/tt-local?session=CSD-18')).json).toMatchObject({ status: 'ended', endReason: 'dissolved' });
      expect((await get(`/partnerships/tt-local?session=CSD-18&knownAt=${knownAt}`)).json).toMatchObject({ status: 'active' });
    });

    it('GET /partnerships/:id: 404 before its registration', async () => {
      const response = await get('/partnerships/tt-late?session=CSD-18');
      expect(response.statusCode).toBe(404);
      expect(response.json.message).toContain('as of 2010-02-01T00:00:00.000Z (session CSD-18)');
      expect((await get('/partnerships/tt-late?asOf=2012-03-01')).statusCode).toBe(200);
    });

    it('GET /partnerships filters on the state as of the point, with the point echoed', async () => {
      const now = await get('/partnerships?session=CSD-18&scope=national&limit=200');
      expect(now.statusCode).toBe(200);
      expect(now.json).toMatchObject({ asOf: CUT_OFF_INSTANT, session: 'CSD-18' });
      expect(now.json.items.map((p: { _id: string }) => p._id)).toContain('tt-regional');
      const then = await get(`/partnerships?session=CSD-18&scope=national&limit=200&knownAt=${knownAt}`);
      expect(then.json.items.map((p: { _id: string }) => p._id)).not.toContain('tt-regional');
      const all = await get('/partnerships?session=CSD-18&limit=200');
      expect(all.json.items).toHaveLength(registeredBy(CUT_OFF));
    });

    it('GET /reporting/compliance counts every partnership registered by then, closed ones included', async () => {
      const after = await get('/reporting/compliance?session=CSD-18');
      expect(after.statusCode).toBe(200);
      expect(after.json).toMatchObject({ asOf: CUT_OFF_INSTANT, at: CUT_OFF_INSTANT, session: 'CSD-18' });
      const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
      expect(sum(after.json.counts)).toBe(registeredBy(CUT_OFF));
      const before = await get(`/reporting/compliance?session=CSD-18&knownAt=${knownAt}`);
      expect(after.json.counts.closed).toBe(before.json.counts.closed + 1);
    });

    it('GET /reporting/compliance lists each partnership as of the point, by id, filtered by its status then', async () => {
      const all = await get('/reporting/compliance?session=CSD-18&limit=200');
      expect(all.json.items).toHaveLength(registeredBy(CUT_OFF));
      expect(all.json.total).toBe(registeredBy(CUT_OFF));
      const ids = all.json.items.map((item: { _id: string }) => item._id);
      expect(ids).toEqual([...ids].sort());
      for (const status of ['green', 'yellow', 'red', 'closed']) {
        expect(all.json.items.filter((item: { status: string }) => item.status === status)).toHaveLength(all.json.counts[status]);
      }
      expect(all.json.items.find((item: { _id: string }) => item._id === 'tt-local')).toMatchObject({ status: 'closed', endReason: 'dissolved' });
      const closedThen = await get(`/reporting/compliance?session=CSD-18&status=closed&knownAt=${knownAt}`);
      expect(closedThen.json.items.map((item: { _id: string }) => item._id)).not.toContain('tt-local');
      expect(closedThen.json.items).toHaveLength(closedThen.json.counts.closed);
      const first = await get('/reporting/compliance?session=CSD-18&limit=2');
      expect(first.json.items).toHaveLength(2);
      const second = await get(`/reporting/compliance?session=CSD-18&limit=200&cursor=${first.json.nextCursor}`);
      expect([...first.json.items, ...second.json.items].map((item: { _id: string }) => item._id)).toEqual(ids);
    });

    it('GET /organisations/:id: its partnerships as of the point', async () => {
      expect((await get('/organisations/tt-ngo?asOf=2005-12-31')).statusCode).toBe(404);
      const joined = await get('/organisations/tt-ngo?asOf=2006-06-01');
      expect(joined.statusCode).toBe(200);
      expect(joined.json).toMatchObject({ asOf: '2006-06-01T00:00:00.000Z', partnershipCount: 1, partnerships: [{ partnershipId: 'tt-regional', lead: false }] });
      expect((await get(`/organisations/tt-ngo?asOf=2006-06-01&knownAt=${knownAt}`)).statusCode).toBe(404);
      const unido = await get('/organisations/unido?session=CSD-18');
      expect(unido.json.partnerships.map((m: { partnershipId: string }) => m.partnershipId)).not.toContain('tt-regional');
      expect(unido.json.formerPartnerships).toEqual(expect.arrayContaining([expect.objectContaining({ partnershipId: 'tt-regional', endedBy: 'left' })]));
    });

    it('GET /organisations/:id with knownAt: a leave recorded later is not known yet, and dates are those of the point', async () => {
      const unido = await get(`/organisations/unido?session=CSD-18&knownAt=${knownAt}`);
      expect(unido.statusCode).toBe(200);
      expect(unido.json).toMatchObject({ asOf: CUT_OFF_INSTANT, knownAt });
      expect(unido.json.partnerships).toContainEqual({ partnershipId: 'tt-regional', lead: false, since: '2003-05-01T00:00:00.000Z' });
      expect(unido.json.formerPartnerships.map((m: { partnershipId: string }) => m.partnershipId)).not.toContain('tt-regional');
      expect(unido.json.partnershipCount).toBe(unido.json.partnerships.length);
      const ngo = await get('/organisations/tt-ngo?asOf=2006-06-01');
      expect(ngo.json).toMatchObject({ name: 'A late-recorded NGO', type: 'ngo', partnerships: [{ partnershipId: 'tt-regional', lead: false, since: '2006-01-10T00:00:00.000Z' }] });
      const left = (await get('/organisations/unido?asOf=2008-01-01')).json.formerPartnerships.find((m: { partnershipId: string }) => m.partnershipId === 'tt-regional');
      expect(left).toMatchObject({ since: '2003-05-01T00:00:00.000Z', until: '2007-03-01T00:00:00.000Z', endedBy: 'left' });
    });
  });

  describe('GET /sessions', () => {
    it('lists the sessions of the reference file', async () => {
      const response = await t.request({ method: 'GET', url: '/sessions', token: null });
      expect(response.statusCode).toBe(200);
      expect(response.json.items).toHaveLength(12);
      expect(response.json.items.find((session: { id: string }) => session.id === 'CSD-18')).toEqual({
        id: 'CSD-18',
        name: 'Commission on Sustainable Development, 18th session',
        start: '2010-05-03',
        end: '2010-05-14',
        cutOff: '2010-02-01',
        asOf: CUT_OFF_INSTANT,
      });
    });
  });

  describe('GET /trends/compare', () => {
    it('puts CSD-16 and CSD-18 side by side with absolute and relative changes', async () => {
      const response = await get('/trends/compare?sessions=CSD-16,CSD-18');
      expect(response.statusCode).toBe(200);
      expect(response.json.points).toEqual([
        expect.objectContaining({ label: 'CSD-16', session: 'CSD-16', asOf: '2008-05-05T00:00:00.000Z', knownAt: null }),
        expect.objectContaining({ label: 'CSD-18', session: 'CSD-18', asOf: CUT_OFF_INSTANT, knownAt: null }),
      ]);
      const [at16, at18] = [registeredBy('2008-05-05'), registeredBy(CUT_OFF)];
      const registered = response.json.rows.find((row: { table: string; key: string }) => row.table === 'summary' && row.key === 'registered');
      expect(registered).toEqual({ table: 'summary', key: 'registered', values: [at16, at18], change: at18 - at16, relativeChange: at16 === 0 ? null : Math.round(((at18 - at16) / at16) * 1e6) / 1e6 });
      expect(response.json.tables.summary.registered).toEqual({ values: registered.values, change: registered.change, relativeChange: registered.relativeChange });
      const [t16, t18] = await Promise.all([bruteForceTrends({ asOf: '2008-05-05T00:00:00.000Z', knownAt: null }), bruteForceTrends({ asOf: CUT_OFF_INSTANT, knownAt: null })]);
      const scope = response.json.tables.byScope.global;
      expect(scope.values).toEqual([t16.byScope.global, t18.byScope.global]);
    });

    it('accepts dates, a knownAt for every point and a cluster', async () => {
      const response = await get(`/trends/compare?asOf=2008-05-05,${CUT_OFF}&knownAt=${knownAt}&cluster=${CLUSTER.join(',')}`);
      expect(response.statusCode).toBe(200);
      expect(response.json).toMatchObject({ knownAt, cluster: CLUSTER });
      expect(response.json.points.map((point: { label: string }) => point.label)).toEqual(['2008-05-05', CUT_OFF]);
      const clustered = await bruteForceTrends({ asOf: CUT_OFF_INSTANT, knownAt }, CLUSTER);
      expect(response.json.tables.summary.registered.values[1]).toBe(clustered.registered);
    });

    it('answers CSV for Accept: text/csv', async () => {
      const response = await t.request({ method: 'GET', url: `/trends/compare?sessions=CSD-16,CSD-18&minPosition=${head}`, token: null, headers: { accept: 'text/csv' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      const lines = (response.json as string).split('\r\n');
      expect(lines[0]).toBe('table,key,CSD-16,CSD-18,change,relativeChange');
      const [at16, at18] = [registeredBy('2008-05-05'), registeredBy(CUT_OFF)];
      expect(lines[1]).toBe(`summary,registered,${at16},${at18},${at18 - at16},${at16 === 0 ? '' : Math.round(((at18 - at16) / at16) * 1e6) / 1e6}`);
      expect(lines.pop()).toBe('');
      expect(lines.every((line) => line.split(',').length === 6)).toBe(true);
    });
  });

  describe('GET /trends as CSV', () => {
    it('table,key,value with the point in headers', async () => {
      const response = await get('/trends?session=CSD-18', { accept: 'text/csv' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['x-as-of']).toBe(CUT_OFF_INSTANT);
      expect(response.headers['x-session']).toBe('CSD-18');
      const lines = (response.json as string).split('\r\n');
      expect(lines[0]).toBe('table,key,value');
      expect(lines[1]).toBe(`summary,registered,${registeredBy(CUT_OFF)}`);
      expect(lines).toContain('byScope,national,' + tablesOf((await get('/trends?session=CSD-18')).json).byScope.national);
    });

    it('current tables too; JSON stays the default', async () => {
      const csv = await get('/trends', { accept: 'text/csv,application/json;q=0.5' });
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      const json = await get('/trends', { accept: 'application/json, text/csv;q=0.5' });
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      const any = await get('/trends', { accept: '*/*' });
      expect(any.headers['content-type']).toMatch(/^application\/json/);
    });
  });

  describe('400s', () => {
    it.each([
      ['/trends?asOf=2010-13-01', 'asOf', /asOf must be a date/],
      ['/trends?asOf=yesterday', 'asOf', /asOf must be a date/],
      ['/trends?knownAt=2010-02-01T10:00', 'knownAt', /knownAt must be a date/],
      ['/trends?session=CSD-99', 'session', /session "CSD-99" is not a known session; valid ids: WSSD, CSD-11, .*CSD-18, INC-1/],
      ['/trends?session=CSD-18&asOf=2010-01-01', 'session', /either session or asOf/],
      ['/partnerships/tt-regional?session=nope', 'session', /not a known session/],
      ['/partnerships?asOf=2010-02-01&sort=name', 'sort', /sort is not available with asOf/],
      ['/reporting/compliance?session=CSD-18&at=2010-01-01', 'at', /not available with asOf/],
      ['/organisations/unep?asOf=02-01-2010', 'asOf', /asOf must be a date/],
      ['/trends/compare?sessions=CSD-18', 'sessions', /at least two sessions/],
      ['/trends/compare?sessions=CSD-16,CSD-99', 'sessions', /CSD-99 is not a known session; valid ids:/],
      ['/trends/compare?sessions=CSD-16,CSD-18&asOf=2008-01-01,2009-01-01', 'sessions', /one of the two/],
      ['/trends/compare', 'sessions', /one of the two/],
      ['/trends/compare?asOf=2008-01-01,soon', 'asOf', /asOf must be comma-separated dates/],
    ])('%s → 400 naming %s', async (url, field, message) => {
      const response = await t.request({ method: 'GET', url, token: null });
      expect(response.statusCode).toBe(400);
      expect(response.json.details.map((detail: { field: string }) => detail.field)).toContain(field);
      expect(response.json.message).toMatch(message);
    });

    it('the timeline has no asOf: an unknown parameter', async () => {
      const response = await t.request({ method: 'GET', url: '/partnerships/tt-regional/timeline?asOf=2010-01-01', token: null });
      expect(response.statusCode).toBe(400);
      expect(response.json.details).toEqual([expect.objectContaining({ field: 'asOf', rule: 'unknown-field' })]);
    });
  });

  it('documents the as-of parameters in OpenAPI', async () => {
    const document = (await t.request({ method: 'GET', url: '/openapi.json', token: null })).json;
    for (const route of ['/trends', '/partnerships', '/partnerships/{id}', '/reporting/compliance', '/organisations/{id}']) {
      const names = document.paths[route].get.parameters.map((parameter: { name: string }) => parameter.name);
      expect({ route, names }).toEqual({ route, names: expect.arrayContaining(['asOf', 'knownAt', 'session']) });
    }
    expect(document.paths['/trends/compare'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['sessions', 'asOf', 'knownAt', 'cluster']));
    expect(document.paths['/sessions']).toBeDefined();
  });
});
