import { findChainBreak } from '@registry/event-store';
import { registration, report } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

type Request = Parameters<TestApp['request']>[0];

describe('write API over HTTP', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await startTestApp({ BODY_LIMIT_BYTES: String(64 * 1024) });
  });
  afterEach(() => t.close());

  const register = (overrides: Record<string, unknown> = {}) =>
    t.request({ method: 'POST', url: '/partnerships', body: registration(overrides) });

  /** Sends a request that must be refused, and checks the error shape and that nothing was appended. */
  async function expectRejected(request: Request, statusCode: number, detail?: { field: string; rule?: string }) {
    const before = await t.store.headPosition();
    const response = await t.request(request);
    expect(response.statusCode).toBe(statusCode);
    expect(response.json).toMatchObject({ statusCode, error: expect.any(String), message: expect.any(String), details: expect.any(Array) });
    if (detail) expect(response.json.details).toContainEqual(expect.objectContaining(detail));
    expect(await t.store.headPosition()).toBe(before);
    return response;
  }

  describe('POST /partnerships', () => {
    it('registers a partnership: 201, Location, ETag, position, events with actor and reason', async () => {
      const response = await register();

      expect(response.statusCode).toBe(201);
      expect(response.headers.location).toBe('/partnerships/gmp-asgm');
      expect(response.headers.etag).toBe('"3"');
      expect(response.headers['x-event-position']).toBe('3');
      expect(response.json).toMatchObject({ partnershipId: 'gmp-asgm', version: 3, position: 3 });
      expect(response.json.events.map((e: { type: string }) => e.type)).toEqual(['PartnershipRegistered', 'PartnerJoined', 'PartnerJoined']);

      const [registered] = await t.store.readStream('gmp-asgm');
      expect(registered.metadata).toMatchObject({
        actor: { id: 'secretariat-user', role: 'secretariat' },
        effectiveAt: '2005-03-01T00:00:00.000Z',
        reason: 'registered after Governing Council decision 23/9',
      });
      expect(Date.parse(registered.metadata.recordedAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(registered.data).toMatchObject({ scope: 'global', themes: { primary: ['chemicals'], secondary: ['mining', 'health'] } });
      expect(findChainBreak(await t.store.readAll(1, 100))).toBeNull();
    });

    it('generates an id when none is given', async () => {
      const response = await t.request({ method: 'POST', url: '/partnerships', body: registration({ id: undefined }) });
      expect(response.statusCode).toBe(201);
      expect(response.json.partnershipId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('400: names each bad field and its rule', async () => {
      const response = await expectRejected(
        { method: 'POST', url: '/partnerships', body: registration({ scope: 'planetary', startDate: '2005-02-30', partners: [{ orgId: 'x', name: 'X', type: 'alien' }] }) },
        400,
      );
      expect(response.json.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'scope', rule: 'isIn' }),
          expect.objectContaining({ field: 'startDate', rule: 'isCalendarDate' }),
          expect.objectContaining({ field: 'partners.0.type', rule: 'isIn' }),
        ]),
      );
    });

    it('400: unknown fields are refused, not ignored', async () => {
      await expectRejected({ method: 'POST', url: '/partnerships', body: registration({ actor: 'someone-else' }) }, 400, { field: 'actor', rule: 'unknown-field' });
    });

    it('400: missing required fields, wrong types, malformed JSON, a non-object body', async () => {
      await expectRejected({ method: 'POST', url: '/partnerships', body: registration({ name: undefined }) }, 400, { field: 'name' });
      await expectRejected({ method: 'POST', url: '/partnerships', body: registration({ partners: 'unep' }) }, 400, { field: 'partners' });
      await expectRejected({ method: 'POST', url: '/partnerships', rawBody: '{"name": ' }, 400, { field: 'body', rule: 'valid-json' });
      await expectRejected({ method: 'POST', url: '/partnerships', rawBody: '[1,2]' }, 400);
      await expectRejected({ method: 'POST', url: '/partnerships', body: registration({ partners: [{ orgId: 'unep', name: 'UNEP', type: 'un-system', country: 'XX', lead: true }] }) }, 400, { field: 'partners.0.country', rule: 'isCountryCode' });
    });

    it('401 without a token or with a bad one', async () => {
      await expectRejected({ method: 'POST', url: '/partnerships', body: registration(), token: null }, 401, { field: 'Authorization', rule: 'bearer-token-present' });
      await expectRejected({ method: 'POST', url: '/partnerships', body: registration(), token: 'not.a.jwt' }, 401, { field: 'Authorization', rule: 'bearer-token-valid' });
      const forged = t.token('secretariat').replace(/\.[^.]+$/, '.c2lnbmF0dXJl');
      await expectRejected({ method: 'POST', url: '/partnerships', body: registration(), token: forged }, 401);
    });

    it('403 for roles that may not register', async () => {
      for (const role of ['auditor', 'analyst', 'focal-point'] as const) {
        await expectRejected({ method: 'POST', url: '/partnerships', body: registration(), token: t.token(role, ['gmp-asgm']) }, 403, { field: 'Authorization', rule: 'role-allowed' });
      }
    });

    it('413 past the body limit', async () => {
      await expectRejected({ method: 'POST', url: '/partnerships', body: registration({ description: 'x'.repeat(70 * 1024) }) }, 413, { field: 'body', rule: 'within-body-limit' });
    });

    it('422: a rule of the registry (end date after start date, a lead partner, no second registration)', async () => {
      await expectRejected({ method: 'POST', url: '/partnerships', body: registration({ endDate: '2004-01-01' }) }, 422, { field: 'endDate', rule: 'after-start-date' });
      await expectRejected({ method: 'POST', url: '/partnerships', body: registration({ partners: [{ orgId: 'unep', name: 'UNEP', type: 'un-system' }] }) }, 422, { field: 'partners', rule: 'has-lead-partner' });
      await expectRejected({ method: 'POST', url: '/partnerships', body: registration({ effectiveDate: '2999-01-01' }) }, 422, { field: 'effectiveDate', rule: 'not-in-future' });
      expect((await register()).statusCode).toBe(201);
      await expectRejected({ method: 'POST', url: '/partnerships', body: registration() }, 422, { field: 'partnershipId', rule: 'not-already-registered' });
    });

    it('Idempotency-Key: a repeat answers the first response and appends nothing; another body with the key is a 422', async () => {
      const headers = { 'idempotency-key': 'reg-gmp-1' };
      const first = await t.request({ method: 'POST', url: '/partnerships', body: registration({ id: undefined }), headers });
      const head = await t.store.headPosition();

      const again = await t.request({ method: 'POST', url: '/partnerships', body: registration({ id: undefined }), headers });

      expect(again.statusCode).toBe(201);
      expect(again.json).toEqual(first.json);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.headers.location).toBe(first.headers.location);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await t.store.headPosition()).toBe(head);
      await expectRejected({ method: 'POST', url: '/partnerships', body: registration({ id: undefined, name: 'Another' }), headers }, 422, { field: 'Idempotency-Key', rule: 'same-request-for-same-key' });
    });

    it('concurrent repeats with one Idempotency-Key append once', async () => {
      const headers = { 'idempotency-key': 'reg-race' };
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => t.request({ method: 'POST', url: '/partnerships', body: registration(), headers })),
      );
      expect(responses.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
      expect(await t.store.headPosition()).toBe(3);
    });
  });

  describe('with a registered partnership', () => {
    beforeEach(async () => {
      expect((await register()).statusCode).toBe(201);
    });

    const url = (suffix = '') => `/partnerships/gmp-asgm${suffix}`;

    it('POST /:id/partners records a partner joining; 404 unknown partnership; 422 already a partner; 409 stale If-Match', async () => {
      const joined = await t.request({ method: 'POST', url: url('/partners'), body: { orgId: 'wwf', name: 'WWF', type: 'ngo', country: 'CH', effectiveDate: '2006-01-10' } });
      expect(joined.statusCode).toBe(200);
      expect(joined.headers.etag).toBe('"4"');
      expect(joined.json.events).toEqual([expect.objectContaining({ type: 'PartnerJoined', streamVersion: 4, globalPosition: 4 })]);

      await expectRejected({ method: 'POST', url: '/partnerships/nope/partners', body: { orgId: 'wwf', name: 'WWF', type: 'ngo' } }, 404);
      await expectRejected({ method: 'POST', url: url('/partners'), body: { orgId: 'wwf', name: 'WWF', type: 'ngo' } }, 422, { field: 'partner.orgId', rule: 'not-already-partner' });
      await expectRejected({ method: 'POST', url: url('/partners'), body: { orgId: 'iucn', name: 'IUCN', type: 'ngo' }, headers: { 'if-match': '"3"' } }, 409, { field: 'If-Match' });
      await expectRejected({ method: 'POST', url: url('/partners'), body: { orgId: 'iucn', type: 'ngo' } }, 400, { field: 'name' });
      await expectRejected({ method: 'POST', url: url('/partners'), body: { orgId: 'iucn', name: 'IUCN', type: 'ngo' }, token: null }, 401);
      await expectRejected({ method: 'POST', url: url('/partners'), body: { orgId: 'iucn', name: 'IUCN', type: 'ngo' }, token: t.token('analyst') }, 403);
      await expectRejected({ method: 'POST', url: url('/partners'), body: { orgId: 'iucn', name: 'IUCN', type: 'ngo', note: 'x'.repeat(70 * 1024) } }, 413, { field: 'body', rule: 'within-body-limit' });
    });

    it('409 carries the current version; the matching If-Match succeeds', async () => {
      const conflict = await expectRejected({ method: 'POST', url: url('/partners'), body: { orgId: 'iucn', name: 'IUCN', type: 'ngo' }, headers: { 'if-match': '"1"' } }, 409);
      expect(conflict.json.currentVersion).toBe(3);
      expect(conflict.headers.etag).toBe('"3"');
      const ok = await t.request({ method: 'POST', url: url('/partners'), body: { orgId: 'iucn', name: 'IUCN', type: 'ngo' }, headers: { 'if-match': '"3"' } });
      expect(ok.statusCode).toBe(200);
      await expectRejected({ method: 'POST', url: url('/partners'), body: { orgId: 'iied', name: 'IIED', type: 'ngo' }, headers: { 'if-match': 'three' } }, 400, { field: 'If-Match', rule: 'stream-version' });
    });

    it('without If-Match, concurrent commands on one partnership are all applied (retry on conflict)', async () => {
      const responses = await Promise.all(
        ['a', 'b', 'c', 'd', 'e', 'f'].map((org) => t.request({ method: 'POST', url: url('/partners'), body: { orgId: `org-${org}`, name: org, type: 'ngo' } })),
      );
      expect(responses.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
      expect(await t.store.streamVersion('gmp-asgm')).toBe(9);
    });

    it('with the same If-Match, concurrent commands: exactly one wins, the others get 409', async () => {
      const responses = await Promise.all(
        ['a', 'b', 'c', 'd'].map((org) =>
          t.request({ method: 'POST', url: url('/partners'), body: { orgId: `org-${org}`, name: org, type: 'ngo' }, headers: { 'if-match': '"3"' } }),
        ),
      );
      expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
      expect(await t.store.streamVersion('gmp-asgm')).toBe(4);
    });

    it('POST /:id/partners/:orgId/leave; the last lead needs designateLead', async () => {
      await expectRejected({ method: 'POST', url: url('/partners/unep/leave'), body: {} }, 422, { field: 'orgId', rule: 'not-last-lead' });
      await expectRejected({ method: 'POST', url: url('/partners/nobody/leave'), body: {} }, 422, { field: 'orgId', rule: 'is-partner' });
      await expectRejected({ method: 'POST', url: '/partnerships/nope/partners/unep/leave', body: {} }, 404);
      await expectRejected({ method: 'POST', url: url('/partners/unep/leave'), body: { designateLead: 42 } }, 400, { field: 'designateLead' });
      await expectRejected({ method: 'POST', url: url('/partners/unep/leave'), body: {}, token: t.token('auditor') }, 403);
      await expectRejected({ method: 'POST', url: url('/partners/unep/leave'), body: {}, token: null }, 401);
      await expectRejected({ method: 'POST', url: url('/partners/unep/leave'), body: { designateLead: 'unido' }, headers: { 'if-match': '2' } }, 409);

      const left = await t.request({ method: 'POST', url: url('/partners/unep/leave'), body: { designateLead: 'unido', rationale: 'UNEP hands over the lead' } });
      expect(left.statusCode).toBe(200);
      expect(left.json.events.map((e: { type: string }) => e.type)).toEqual(['LeadPartnerDesignated', 'PartnerLeft']);
    });

    it('POST /:id/leads designates a lead', async () => {
      const ok = await t.request({ method: 'POST', url: url('/leads'), body: { orgId: 'unido' } });
      expect(ok.statusCode).toBe(200);
      await expectRejected({ method: 'POST', url: url('/leads'), body: { orgId: 'unido' } }, 422, { field: 'orgId', rule: 'not-already-lead' });
      await expectRejected({ method: 'POST', url: url('/leads'), body: {} }, 400, { field: 'orgId' });
      await expectRejected({ method: 'POST', url: '/partnerships/nope/leads', body: { orgId: 'unido' } }, 404);
      await expectRejected({ method: 'POST', url: url('/leads'), body: { orgId: 'unep' }, token: t.token('focal-point', ['gmp-asgm']) }, 403);
    });

    it('POST /:id/reports: secretariat and the focal point of this partnership only', async () => {
      const filed = await t.request({ method: 'POST', url: url('/reports'), body: report({ reportId: 'r-2009' }) });
      expect(filed.statusCode).toBe(201);
      const byFocalPoint = await t.request({ method: 'POST', url: url('/reports'), body: report({ reportId: 'r-2010' }), token: t.token('focal-point', ['gmp-asgm'], 'fp-gmp') });
      expect(byFocalPoint.statusCode).toBe(201);
      const [event] = await t.store.readStream('gmp-asgm', byFocalPoint.json.version);
      expect(event.metadata.actor).toEqual({ id: 'fp-gmp', role: 'focal-point' });

      await expectRejected({ method: 'POST', url: url('/reports'), body: report(), token: t.token('focal-point', ['another-partnership']) }, 403, { field: 'Authorization', rule: 'partnership-in-token' });
      await expectRejected({ method: 'POST', url: url('/reports'), body: report({ period: { from: '2010-01-01', to: '2009-01-01' } }) }, 422, { field: 'period.from', rule: 'not-after-period-to' });
      await expectRejected({ method: 'POST', url: url('/reports'), body: report({ reportId: 'r-2009' }) }, 422, { field: 'reportId', rule: 'unique-report' });
      await expectRejected({ method: 'POST', url: url('/reports'), body: report({ activities: ['gardening'] }) }, 400, { field: 'activities', rule: 'isIn' });
      await expectRejected({ method: 'POST', url: '/partnerships/nope/reports', body: report() }, 404);
      await expectRejected({ method: 'POST', url: url('/reports'), body: report(), token: null }, 401);
      await expectRejected({ method: 'POST', url: url('/reports'), body: report({ summary: 'x'.repeat(70 * 1024) }) }, 413);
      await expectRejected({ method: 'POST', url: url('/reports'), body: report(), headers: { 'if-match': '"1"' } }, 409);
    });

    it('Idempotency-Key on a report: the retry appends nothing', async () => {
      const headers = { 'idempotency-key': 'report-2009' };
      const first = await t.request({ method: 'POST', url: url('/reports'), body: report(), headers });
      const head = await t.store.headPosition();
      const again = await t.request({ method: 'POST', url: url('/reports'), body: report(), headers });
      expect(again.statusCode).toBe(201);
      expect(again.json).toEqual(first.json);
      expect(await t.store.headPosition()).toBe(head);
      await expectRejected({ method: 'POST', url: url('/reports'), body: report({ summary: 'other' }), headers }, 422, { field: 'Idempotency-Key' });
    });

    it('PATCH /:id amends attributes with an effective date in the past', async () => {
      const amended = await t.request({ method: 'PATCH', url: url(), body: { scope: 'regional', regions: ['africa'], effectiveDate: '2007-06-01', rationale: 'correction: regional since 2007' } });
      expect(amended.statusCode).toBe(200);
      const [event] = await t.store.readStream('gmp-asgm', amended.json.version);
      expect(event).toMatchObject({ type: 'PartnershipAmended', data: { changes: { scope: 'regional', regions: ['africa'] } }, metadata: { effectiveAt: '2007-06-01T00:00:00.000Z', reason: 'correction: regional since 2007' } });

      await expectRejected({ method: 'PATCH', url: url(), body: { endDate: '2001-01-01' } }, 422, { field: 'changes.endDate', rule: 'after-start-date' });
      await expectRejected({ method: 'PATCH', url: url(), body: {} }, 422, { field: 'changes' });
      await expectRejected({ method: 'PATCH', url: url(), body: { scope: 'regional', regions: ['africa'] } }, 422, { field: 'changes' });
      await expectRejected({ method: 'PATCH', url: url(), body: { scope: 'galactic' } }, 400, { field: 'scope', rule: 'isIn' });
      await expectRejected({ method: 'PATCH', url: url(), body: { name: 'Renamed', effectiveDate: '2001-01-01' } }, 422, { field: 'effectiveDate', rule: 'not-before-registration' });
      await expectRejected({ method: 'PATCH', url: '/partnerships/nope', body: { name: 'X' } }, 404);
      await expectRejected({ method: 'PATCH', url: url(), body: { name: 'X' }, token: t.token('analyst') }, 403);
      await expectRejected({ method: 'PATCH', url: url(), body: { name: 'X' }, token: null }, 401);
      await expectRejected({ method: 'PATCH', url: url(), body: { name: 'X' }, headers: { 'if-match': '"3"' } }, 409);
      await expectRejected({ method: 'PATCH', url: url(), body: { description: 'x'.repeat(70 * 1024) } }, 413);
    });

    it('POST /:id/merge moves partners to the survivor and ends the absorbed one, atomically across both streams', async () => {
      expect((await register({ id: 'gmp-waste', name: 'Mercury waste management', partners: [
        { orgId: 'basel-secretariat', name: 'Basel Convention Secretariat', type: 'un-system', lead: true },
        { orgId: 'unep', name: 'United Nations Environment Programme', type: 'un-system' },
      ] })).statusCode).toBe(201);

      const merged = await t.request({ method: 'POST', url: '/partnerships/gmp-waste/merge', body: { into: 'gmp-asgm', rationale: 'areas combined' } });

      expect(merged.statusCode).toBe(200);
      expect(merged.json.events.map((e: { type: string; streamId: string }) => `${e.streamId}:${e.type}`)).toEqual([
        'gmp-waste:PartnershipMerged',
        'gmp-waste:PartnershipEnded',
        'gmp-asgm:PartnershipAbsorbed',
        'gmp-asgm:PartnerJoined',
      ]);
      const survivor = await t.store.readStream('gmp-asgm', 4);
      const mergedEvent = (await t.store.readStream('gmp-waste')).find((e) => e.type === 'PartnershipMerged')!;
      expect(survivor[1]).toMatchObject({ type: 'PartnerJoined', data: { partner: { orgId: 'basel-secretariat' }, viaMergeOf: 'gmp-waste' }, metadata: { causationId: mergedEvent.eventId } });

      await expectRejected({ method: 'POST', url: '/partnerships/gmp-asgm/merge', body: { into: 'gmp-asgm' } }, 422, { field: 'into', rule: 'not-self' });
      await expectRejected({ method: 'POST', url: '/partnerships/gmp-asgm/merge', body: { into: 'gmp-waste' } }, 422, { field: 'into', rule: 'partnership-active' });
      await expectRejected({ method: 'POST', url: '/partnerships/gmp-asgm/merge', body: { into: 'nope' } }, 422, { field: 'into', rule: 'partnership-exists' });
      await expectRejected({ method: 'POST', url: '/partnerships/nope/merge', body: { into: 'gmp-asgm' } }, 404);
      await expectRejected({ method: 'POST', url: '/partnerships/gmp-asgm/merge', body: {} }, 400, { field: 'into' });
      await expectRejected({ method: 'POST', url: '/partnerships/gmp-asgm/merge', body: { into: 'gmp-waste' }, token: t.token('auditor') }, 403);
      await expectRejected({ method: 'POST', url: '/partnerships/gmp-asgm/merge', body: { into: 'gmp-waste' }, token: null }, 401);
    });

    it('POST /:id/end ends a partnership; nothing can be done to it afterwards', async () => {
      await expectRejected({ method: 'POST', url: url('/end'), body: { reason: 'merged' } }, 400, { field: 'reason', rule: 'isIn' });
      await expectRejected({ method: 'POST', url: url('/end'), body: { reason: 'completed' }, headers: { 'if-match': '"2"' } }, 409);
      const ended = await t.request({ method: 'POST', url: url('/end'), body: { reason: 'completed', effectiveDate: '2012-12-31', rationale: 'objectives met' } });
      expect(ended.statusCode).toBe(200);
      expect(ended.json.events).toEqual([expect.objectContaining({ type: 'PartnershipEnded' })]);

      await expectRejected({ method: 'POST', url: url('/end'), body: { reason: 'completed' } }, 422, { field: 'partnershipId', rule: 'partnership-active' });
      await expectRejected({ method: 'POST', url: url('/reports'), body: report() }, 422, { field: 'partnershipId', rule: 'partnership-active' });
      await expectRejected({ method: 'POST', url: '/partnerships/nope/end', body: { reason: 'completed' } }, 404);
      await expectRejected({ method: 'POST', url: url('/end'), body: { reason: 'completed' }, token: t.token('focal-point', ['gmp-asgm']) }, 403);
      await expectRejected({ method: 'POST', url: url('/end'), body: { reason: 'completed' }, token: null }, 401);
    });

    it('400 for a malformed path id; 404 in the same error shape for an unknown route', async () => {
      await expectRejected({ method: 'POST', url: '/partnerships/%20bad%20id/end', body: { reason: 'completed' } }, 400, { field: 'id', rule: 'id-format' });
      await expectRejected({ method: 'POST', url: '/nowhere', body: {} }, 404);
    });
  });

  it('serves the OpenAPI document', async () => {
    const response = await t.request({ method: 'GET', url: '/openapi.json', token: null });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json.paths)).toEqual(expect.arrayContaining(['/partnerships', '/partnerships/{id}/merge']));
  });
});
