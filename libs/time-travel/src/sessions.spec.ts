import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidConfiguration, loadConfig } from '@registry/config';
import { loadSessions, parseSessions, SessionCatalog, sessionAsOf } from './sessions';

describe('sessions reference data', () => {
  const shipped = loadSessions(loadConfig({}).sessionsFile);

  it('ships the sessions of domain.md, in order, with the CSD-18 cut-off and the Minamata milestones', () => {
    expect(shipped.map((session) => session.id)).toEqual([
      'WSSD', 'CSD-11', 'CSD-12', 'CSD-13', 'CSD-14', 'CSD-15', 'CSD-16', 'CSD-17', 'CSD-18', 'INC-1', 'MINAMATA-ADOPTION', 'MINAMATA-EIF',
    ]);
    const catalog = new SessionCatalog(shipped);
    expect(catalog.get('CSD-18')).toMatchObject({ start: '2010-05-03', end: '2010-05-14', cutOff: '2010-02-01', asOf: '2010-02-01T00:00:00.000Z' });
    expect(catalog.get('CSD-16')).toMatchObject({ asOf: '2008-05-05T00:00:00.000Z' });
    expect(catalog.get('WSSD')).toMatchObject({ start: '2002-08-26', end: '2002-09-04', asOf: '2002-08-26T00:00:00.000Z' });
    expect(catalog.get('MINAMATA-EIF')).toMatchObject({ start: '2017-08-16', end: '2017-08-16' });
    expect(catalog.get('csd-18')).toBeUndefined();
  });

  it('resolves to the cut-off when there is one, else the start', () => {
    expect(sessionAsOf({ id: 'x', name: 'x', start: '2010-05-03', end: '2010-05-14', cutOff: '2010-02-01' })).toBe('2010-02-01T00:00:00.000Z');
    expect(sessionAsOf({ id: 'x', name: 'x', start: '2010-05-03T09:00:00+02:00', end: '2010-05-14' })).toBe('2010-05-03T07:00:00.000Z');
  });

  it('accepts a bare array', () => {
    expect(parseSessions([{ id: 'A', name: 'A', start: '2001-01-01', end: '2001-01-01' }])).toHaveLength(1);
  });

  it.each([
    [{ sessions: 'no' }, /must hold a JSON array/],
    [[{ id: 'bad id', name: 'x', start: '2001-01-01', end: '2001-01-02' }], /sessions\[0\] \(bad id\)\.id must be/],
    [[{ id: 'A', name: '', start: '2001-01-01', end: '2001-01-02' }], /sessions\[0\] \(A\)\.name must be a non-empty string/],
    [[{ id: 'A', name: 'a', start: '2001-02-30', end: '2001-03-02' }], /sessions\[0\] \(A\)\.start must be a date/],
    [[{ id: 'A', name: 'a', start: '2001-01-01', end: '2001-01-02', cutoff: '2001-01-01' }], /sessions\[0\] \(A\)\.cutoff is not a known field/],
    [[{ id: 'A', name: 'a', start: '2001-01-01', end: '2001-01-02', cutOff: 'soon' }], /\(A\)\.cutOff must be a date/],
    [[{ id: 'A', name: 'a', start: '2001-01-05', end: '2001-01-02' }], /\(A\)\.end must not be before start/],
    [[{ id: 'A', name: 'a', start: '2001-01-01', end: '2001-01-02' }, { id: 'A', name: 'b', start: '2001-01-01', end: '2001-01-02' }], /sessions\[1\] \(A\)\.id is a duplicate/],
    [[42], /sessions\[0\] must be an object/],
  ])('refuses %j naming the entry and the field', (content, message) => {
    expect(() => parseSessions(content, 'my-sessions.json')).toThrow(InvalidConfiguration);
    expect(() => parseSessions(content, 'my-sessions.json')).toThrow(message);
  });

  it('names the file when it is missing or not JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sessions-'));
    try {
      expect(() => loadSessions(path.join(dir, 'none.json'))).toThrow(/SESSIONS_FILE: cannot read .*none\.json \(ENOENT\)/);
      fs.writeFileSync(path.join(dir, 'bad.json'), '{ nope');
      expect(() => loadSessions(path.join(dir, 'bad.json'))).toThrow(/SESSIONS_FILE: .*bad\.json is not valid JSON/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SESSIONS_FILE points at another file', () => {
    expect(loadConfig({ SESSIONS_FILE: 'elsewhere/s.json' }).sessionsFile).toBe(path.resolve('elsewhere/s.json'));
  });
});
