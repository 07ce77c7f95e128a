import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidConfiguration } from '@registry/config';
import { startTestApp } from './support/test-app';

/** The sessions file is reference data: another one without a code change, checked at start-up. */
describe('SESSIONS_FILE', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sessions-e2e-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves the sessions of another file, and resolves session= by it', async () => {
    const file = path.join(dir, 'sdg.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        sessions: [
          { id: 'HLPF-2016', name: 'High-level political forum 2016', start: '2016-07-11', end: '2016-07-20' },
          { id: 'HLPF-2017', name: 'High-level political forum 2017', start: '2017-07-10', end: '2017-07-19', cutOff: '2017-05-01' },
        ],
      }),
    );
    const t = await startTestApp({ SESSIONS_FILE: file });
    try {
      const sessions = await t.request({ method: 'GET', url: '/sessions', token: null });
      expect(sessions.json.items.map((session: { id: string; asOf: string }) => `${session.id}@${session.asOf}`)).toEqual([
        'HLPF-2016@2016-07-11T00:00:00.000Z',
        'HLPF-2017@2017-05-01T00:00:00.000Z',
      ]);
      const unknown = await t.request({ method: 'GET', url: '/trends?session=CSD-18', token: null });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json.message).toContain('valid ids: HLPF-2016, HLPF-2017');
      const known = await t.request({ method: 'GET', url: '/trends?session=HLPF-2017', token: null });
      expect(known.statusCode).toBe(200);
      expect(known.json).toMatchObject({ asOf: '2017-05-01T00:00:00.000Z', session: 'HLPF-2017', registered: 0 });
    } finally {
      await t.close();
    }
  });

  it('a bad file stops the start-up with a message naming the entry and the field', async () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify([{ id: 'A', name: 'A', start: '2001-01-01', end: '2001-01-02' }, { id: 'B', name: 'B', start: '2001-01-01', end: '2001-01-02', cutOff: '1 Feb' }]));
    const starting = startTestApp({ SESSIONS_FILE: file });
    await expect(starting).rejects.toThrow(InvalidConfiguration);
    await expect(starting).rejects.toThrow(/bad\.json: sessions\[1\] \(B\)\.cutOff must be a date/);
    await expect(startTestApp({ SESSIONS_FILE: path.join(dir, 'missing.json') })).rejects.toThrow(/SESSIONS_FILE: cannot read .*missing\.json/);
  });
});
