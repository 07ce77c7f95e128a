import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidConfiguration, loadConfig, replayStoreUrl } from './registry-config';

describe('loadConfig: time travel settings', () => {
  it('finds the shipped sessions file by default; SESSIONS_FILE points elsewhere', () => {
    const { sessionsFile } = loadConfig({});
    expect(sessionsFile).toBe(path.resolve(__dirname, '../../../config/sessions.json'));
    expect(fs.existsSync(sessionsFile)).toBe(true);
    expect(loadConfig({ SESSIONS_FILE: '/etc/registry/sessions.json' }).sessionsFile).toBe('/etc/registry/sessions.json');
  });

  it('is read-write by default; READ_ONLY=true makes the API read-only on its own read store', () => {
    expect(loadConfig({ DATA_DIR: '/srv/registry' })).toMatchObject({ readOnly: false, replay: null, readStoreUrl: 'embedded:/srv/registry/read-models' });
    expect(loadConfig({ DATA_DIR: '/srv/registry', READ_ONLY: 'true' })).toMatchObject({ readOnly: true, replay: null, readStoreUrl: 'embedded:/srv/registry/read-models' });
    expect(loadConfig({ READ_ONLY: 'false' }).readOnly).toBe(false);
  });

  it('REPLAY=NAME implies read-only and reads the namespace `registry replay --into NAME` built', () => {
    expect(loadConfig({ DATA_DIR: '/srv/registry', REPLAY: 'csd18' })).toMatchObject({ readOnly: true, replay: 'csd18', readStoreUrl: 'embedded:/srv/registry/replays/csd18' });
    expect(loadConfig({ READ_STORE_URL: 'mongodb://db.example:27017/registry?retryWrites=false', REPLAY: 'csd18' }).readStoreUrl).toBe(
      'mongodb://db.example:27017/registry_replay_csd18?retryWrites=false',
    );
  });

  it('replay namespaces: a directory under DATA_DIR/replays, or a suffixed MongoDB database', () => {
    expect(replayStoreUrl('embedded:/elsewhere', '/data', 'x')).toBe('embedded:/data/replays/x');
    expect(replayStoreUrl('mongodb://user:pw@h/db', '/data', 'CSD-18')).toBe('mongodb://user:pw@h/db_replay_CSD-18');
    expect(replayStoreUrl('mongodb://h', '/data', 'a')).toBe('mongodb://h/registry_replay_a');
    expect(() => replayStoreUrl('embedded:/x', '/data', '../up')).toThrow(InvalidConfiguration);
  });

  it.each([
    [{ READ_ONLY: 'yes' }, /READ_ONLY must be true or false/],
    [{ REPLAY: '../etc' }, /REPLAY must be the NAME of `registry replay --into NAME`/],
    [{ SESSIONS_FILE: '' }, /SESSIONS_FILE/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(InvalidConfiguration);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('loadConfig: the command side', () => {
  it('keeps 20,000 partnership states folded by default; COMMAND_STATE_CACHE sets how many', () => {
    expect(loadConfig({}).commandStateCache).toBe(20_000);
    expect(loadConfig({ COMMAND_STATE_CACHE: '200000' }).commandStateCache).toBe(200_000);
    expect(() => loadConfig({ COMMAND_STATE_CACHE: '-1' })).toThrow(/COMMAND_STATE_CACHE/);
  });
});

describe('loadConfig: the read side', () => {
  it('runs its thread at nice 10 by default; READ_SIDE_NICE sets it within 0-19', () => {
    expect(loadConfig({}).readSideNice).toBe(10);
    expect(loadConfig({ READ_SIDE_NICE: '0' }).readSideNice).toBe(0);
    expect(() => loadConfig({ READ_SIDE_NICE: '20' })).toThrow(/READ_SIDE_NICE/);
    expect(() => loadConfig({ READ_SIDE_NICE: '-5' })).toThrow(/READ_SIDE_NICE/);
  });
});
