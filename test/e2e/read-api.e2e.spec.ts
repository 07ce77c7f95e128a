import { registration, report } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/** The query side over HTTP, on read models the projector builds from the commands sent here. */
describe('read API over HTTP', () => {
  let t: TestApp;
  let head = 0;

  /** Sends a command and remembers its position, so that queries can read their own writes. */
  async function send(request: Parameters<TestApp['request']>[0]) {
    const response = await t.request(request);
    expect(response.statusCode).toBeLessThan(300);
    head = Number(response.headers['x-event-position']);
    return response;
  }
  const get = (url: string, token: string | null = null) =>
    t.request({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}minPosition=${head}`, token });

  beforeAll(async () => {
    t = await startTestApp({ MIN_POSITION_WAIT_MS: '300' });
    await send({ method: 'POST', url: '/partnerships', body: registration() });
    await send({
      method: 'POST',
      url: '/partnerships',
      body: registration({
        id: 'pacific-waste',
        name: 'Pacific Islands waste management initiative',
        description: 'Reducing solid and hazardous waste in Pacific island countries',
        themes: { primary: ['waste-management'], secondary: ['sids'] },
        scope: 'regional',
        regions: ['asia-pacific'],
        countries: ['FJ', 'WS'],
        startDate: '2002-09-01',
        endDate: '2012-12-31',
        effectiveDate: '2002-09-04',
        partners: [
          { orgId: 'sprep', name: 'Secretariat of the Pacific Regional Environment Programme', type: 'igo', lead: true },
          { orgId: 'japan', name: 'Government of Japan', type: 'government', country: 'JP' },
        ],
      }),
    });
    await send({ method: 'POST', url: '/partnerships/gmp-asgm/partners', body: { orgId: 'japan', name: 'Government of Japan', type: 'government', country: 'JP', effectiveDate: '2006-01-10' } });
    await send({ method: 'POST', url: '/partnerships/gmp-asgm/reports', body: report({ reportId: 'r-2009' }) });
    await send({ method: 'PATCH', url: '/partnerships/pacific-waste', body: { scope: 'subregional', effectiveDate: '2005-01-01', rationale: 'correction' } });
    await send({ method: 'POST', url: '/partnerships/pacific-waste/end', body: { reason: 'completed', effectiveDate: '2013-01-15' } });
  });
  afterAll(() => t.close());

  describe('GET /partnerships', () => {
    it('lists current states without internal fields', async () => {
      const response = await get('/partnerships');
      expect(response.statusCode).toBe(200);
      expect(response.json.total).toBe(2);
      expect(response.json.items.map((p: { _id: string }) => p._id)).toEqual(['gmp-asgm', 'pacific-waste']);
      const [gmp] = response.json.items;
      expect(gmp).toMatchObject({ status: 'active', scope: 'global', partnerCount: 3, leadCount: 1, reportCount: 1 });
      expect(gmp).not.toHaveProperty('_fold');
      expect(gmp).not.toHaveProperty('searchText');
    });

    it.each([
      ['status=ended', ['pacific-waste']],
      ['theme=sids', ['pacific-waste']],
      ['theme=mining', ['gmp-asgm']],
      ['primaryTheme=chemicals', ['gmp-asgm']],
      ['scope=subregional', ['pacific-waste']],
      ['region=asia-pacific', ['pacific-waste']],
      ['country=WS', ['pacific-waste']],
      ['partner=japan', ['gmp-asgm', 'pacific-waste']],
      ['partner=unido', ['gmp-asgm']],
      ['q=pacific%20waste', ['pacific-waste']],
      ['q=mercury%20gold', ['gmp-asgm']],
      ['q=japan', ['gmp-asgm', 'pacific-waste']],
      ['sort=-registeredAt', ['gmp-asgm', 'pacific-waste']],
      ['sort=registeredAt', ['pacific-waste', 'gmp-asgm']],
    ])('filters and sorts: %s', async (query, ids) => {
      const response = await get(`/partnerships?${query}`);
      expect(response.statusCode).toBe(200);
      expect(response.json.items.map((p: { _id: string }) => p._id)).toEqual(ids);
    });

    it('pages with a cursor', async () => {
      const first = await get('/partnerships?limit=1');
      expect(first.json.items.map((p: { _id: string }) => p._id)).toEqual(['gmp-asgm']);
      const second = await get(`/partnerships?limit=1&cursor=${first.json.nextCursor}`);
      expect(second.json.items.map((p: { _id: string }) => p._id)).toEqual(['pacific-waste']);
      expect(second.json.nextCursor).toBeNull();
    });

    it('400 for an unknown filter value, an unknown parameter or a forged cursor', async () => {
      expect((await get('/partnerships?scope=planetary')).json.details).toContainEqual(expect.objectContaining({ field: 'scope', rule: 'isIn' }));
      expect((await get('/partnerships?colour=blue')).json.details).toContainEqual(expect.objectContaining({ field: 'colour', rule: 'unknown-field' }));
      expect((await get('/partnerships?cursor=bm9wZQ')).statusCode).toBe(400);
      expect((await get('/partnerships?limit=1000')).statusCode).toBe(400);
    });
  });

  it('GET /partnerships/:id: the amended, ended partnership; 404 for an unknown one', async () => {
    const response = await get('/partnerships/pacific-waste');
    expect(response.json).toMatchObject({ _id: 'pacific-waste', status: 'ended', endReason: 'completed', scope: 'subregional' });
    expect((await get('/partnerships/nope')).statusCode).toBe(404);
  });

  it('GET /partnerships/:id/timeline: entries in effective-date order with summaries', async () => {
    const response = await get('/partnerships/pacific-waste/timeline');
    expect(response.statusCode).toBe(200);
    const types = response.json.entries.map((e: { type: string }) => e.type);
    expect(types).toEqual(['PartnershipRegistered', 'PartnerJoined', 'PartnerJoined', 'PartnershipAmended', 'PartnershipEnded']);
    expect(response.json.entries[4].summary).toMatch(/completed/);
    expect(response.json).toMatchObject({ partnershipId: 'pacific-waste', entryCount: 5, total: 5, nextCursor: null });
    for (const internal of ['_id', '_position', 'order', 'partnershipId']) expect(response.json.entries[0]).not.toHaveProperty(internal);
  });

  it('GET /partnerships/:id/timeline pages its entries (limit, cursor) in the same order', async () => {
    const all = (await get('/partnerships/pacific-waste/timeline')).json.entries.map((e: { eventId: string }) => e.eventId);
    const first = await get('/partnerships/pacific-waste/timeline?limit=2');
    expect(first.json.entries.map((e: { eventId: string }) => e.eventId)).toEqual(all.slice(0, 2));
    expect(first.json.total).toBe(5);
    const second = await get(`/partnerships/pacific-waste/timeline?limit=2&cursor=${first.json.nextCursor}`);
    const third = await get(`/partnerships/pacific-waste/timeline?limit=2&cursor=${second.json.nextCursor}`);
    expect([...second.json.entries, ...third.json.entries].map((e: { eventId: string }) => e.eventId)).toEqual(all.slice(2));
    expect(third.json.nextCursor).toBeNull();
    expect((await get('/partnerships/pacific-waste/timeline?limit=0')).statusCode).toBe(400);
    expect((await get('/partnerships/nope/timeline')).statusCode).toBe(404);
  });

  it('GET /partnerships/:id/audit: for auditors and the secretariat only, with who, why and the diff', async () => {
    expect((await get('/partnerships/pacific-waste/audit')).statusCode).toBe(401);
    expect((await get('/partnerships/pacific-waste/audit', t.token('analyst'))).statusCode).toBe(403);
    const response = await get('/partnerships/pacific-waste/audit', t.token('auditor'));
    expect(response.statusCode).toBe(200);
    const amendment = response.json.items.find((entry: { type: string }) => entry.type === 'PartnershipAmended');
    expect(amendment).toMatchObject({ actor: { id: 'secretariat-user', role: 'secretariat' }, reason: 'correction', effectiveAt: '2005-01-01T00:00:00.000Z' });
    expect(amendment.changes).toContainEqual({ path: 'details.scope', before: 'regional', after: 'subregional' });
    expect((await get('/partnerships/nope/audit', t.token('auditor'))).statusCode).toBe(404);
  });

  it('GET /trends: the report tables over active partnerships; cluster narrows them', async () => {
    const response = await get('/trends');
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ registered: 2, active: 1, byScope: { global: 1, subregional: 0 } });
    expect(response.json.byRegistrationYear).toMatchObject({ '2002': 1, '2005': 1 });
    expect(response.json.partnerTypes.partnerships).toMatchObject({ government: 1, 'un-system': 1 });
    const cluster = await get('/trends?cluster=waste-management,transport');
    expect(cluster.json).toMatchObject({ cluster: ['waste-management', 'transport'], registered: 1, active: 0 });
    expect((await get('/trends?cluster=spaceflight')).statusCode).toBe(400);
  });

  it('GET /reporting/compliance: statuses under the policy, at a given date, with counts', async () => {
    const now = await get('/reporting/compliance');
    expect(now.json.counts).toEqual({ green: 0, yellow: 0, red: 1, closed: 1 });
    const in2010 = await get('/reporting/compliance?at=2010-02-01T00:00:00Z&status=green');
    expect(in2010.json.items.map((item: { _id: string; status: string }) => [item._id, item.status])).toEqual([['gmp-asgm', 'green']]);
  });

  it('GET /organisations and /organisations/:id', async () => {
    const list = await get('/organisations?type=government');
    expect(list.json.items.map((o: { _id: string }) => o._id)).toEqual(['japan']);
    const japan = await get('/organisations/japan');
    expect(japan.json).toMatchObject({ partnershipCount: 1, leadCount: 0 });
    expect(japan.json.partnerships.map((m: { partnershipId: string }) => m.partnershipId)).toEqual(['gmp-asgm']);
    expect(japan.json.formerPartnerships.map((m: { partnershipId: string }) => m.partnershipId)).toEqual(['pacific-waste']);
    expect((await get('/organisations/nobody')).statusCode).toBe(404);
  });

  it('GET /admin/projections: every read model caught up', async () => {
    const response = await get('/admin/projections', t.token('analyst'));
    expect(response.statusCode).toBe(200);
    expect(response.json.map((p: { name: string }) => p.name).sort()).toEqual(['compliance', 'organisations', 'partnerships', 'timelines', 'trends']);
    for (const projection of response.json) expect(projection).toMatchObject({ position: head, lagEvents: 0 });
    expect((await get('/admin/projections')).statusCode).toBe(401);
  });

  it('minPosition past the log: 504 after the bound, with how far the read models are', async () => {
    const response = await t.request({ method: 'GET', url: `/trends?minPosition=${head + 1000}`, token: null });
    expect(response.statusCode).toBe(504);
    expect(response.json).toMatchObject({ appliedPosition: head, details: [expect.objectContaining({ field: 'minPosition' })] });
  });
});
