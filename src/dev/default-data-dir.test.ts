import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDataDir } from './default-data-dir.ts';

// Unwritable places are made of missing folders and files in the way: the tests run as root,
// which writes through any mode bits. The read-only root filesystem case (EROFS) is checked
// for real in the image (.ci/image.sh).
describe('defaultDataDir', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'stipend-datadir-'));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  const missing = () => join(base, 'missing', 'folder');

  it('is .stipend in the working directory when that can be written (a checkout)', async () => {
    expect(await defaultDataDir({ cwd: base, home: '/nowhere', tmp: '/nowhere' })).toBe(join(base, '.stipend'));
  });

  it('falls back to $HOME/.stipend when the working directory cannot be written', async () => {
    const home = await mkdtemp(join(base, 'home-'));
    expect(await defaultDataDir({ cwd: missing(), home, tmp: base })).toBe(join(home, '.stipend'));
  });

  it('then to stipend-dev in the temp directory (no home, or an unwritable one)', async () => {
    expect(await defaultDataDir({ cwd: missing(), home: undefined, tmp: base })).toBe(join(base, 'stipend-dev'));
    expect(await defaultDataDir({ cwd: missing(), home: missing(), tmp: base })).toBe(join(base, 'stipend-dev'));
  });

  it('does not pick a .stipend that exists but is not a folder', async () => {
    await writeFile(join(base, '.stipend'), 'not a folder');
    const home = await mkdtemp(join(base, 'home-'));
    expect(await defaultDataDir({ cwd: base, home, tmp: base })).toBe(join(home, '.stipend'));
  });

  it('keeps the working directory when nothing is writable, so creating it reports the error', async () => {
    expect(await defaultDataDir({ cwd: missing(), home: missing(), tmp: missing() })).toBe(join(missing(), '.stipend'));
  });
});
