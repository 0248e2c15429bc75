/**
 * Incremental `slipway synth -o`: a re-synth leaves the directories of unchanged services where
 * they are and renders the rest, and the result is always byte-identical to a full synth
 * (`--force`) of the same specs. Reuse is proven by inode numbers, rendering by new ones.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnce, slipway, tempDir, readTree, snapshot, leftovers, BASE } from './helpers';
import { STATE_FILE, OutputDigest, digestDirectory, formatState, readState } from '../../src/cli/synth-state';
import { OutputTransaction } from '../../src/outdir/transaction';
import { MARKER, formatMarker } from '../../src/outdir/marker';

beforeAll(() => buildOnce(), 180_000);

const spec = (name: string, extra = '') => `${BASE.replace('name: web', `name: ${name}`)}${extra}`;

/** A fresh specs directory with services a, b, c, and an output directory next to it. */
function project(count = 3): { specs: string; out: string; names: string[] } {
  const base = tempDir('incr');
  const specs = join(base, 'specs');
  mkdirSync(specs);
  const names = Array.from({ length: count }, (_, i) => (count <= 26 ? String.fromCharCode(97 + i) : `s${String(i).padStart(4, '0')}`));
  for (const n of names) writeFileSync(join(specs, `${n}.yaml`), spec(n));
  return { specs, out: join(base, 'dist'), names };
}

const inode = (path: string) => statSync(path).ino;
const manifests = (out: string, n: string) => join(out, n, 'manifests', `${n}.k8s.yaml`);

/** A full synth of the same specs into a fresh directory: what every incremental result must equal. */
function fullSynth(specs: string): Map<string, string> {
  const ref = join(tempDir('incr-ref'), 'dist');
  const r = slipway(['synth', specs, '-o', ref, '--force']);
  expect(r.status, r.stderr).toBe(0);
  return readTree(ref);
}

function synth(specs: string, out: string, ...args: string[]) {
  const r = slipway(['synth', specs, '-o', out, ...args], { env: { SLIPWAY_SYNC_CLEANUP: '1' } });
  expect(r.status, r.stderr).toBe(0);
  return r;
}

describe('slipway synth re-synth', () => {
  it('with nothing changed, leaves the output directory untouched and says so', () => {
    const { specs, out } = project();
    synth(specs, out);
    const before = snapshot(out);
    const dirInode = inode(out);
    const r = synth(specs, out);
    expect(r.stdout).toMatch(/^synthesized 3 services \(\d+ files, all up to date\) into /);
    expect(snapshot(out)).toEqual(before); // same mtimes: not a single file rewritten
    expect(inode(out)).toBe(dirInode); // not even swapped
    expect(leftovers(out)).toEqual([]);
  });

  it('renders only the changed service and reuses the others (same inodes), equal to a full synth', () => {
    const { specs, out } = project();
    synth(specs, out);
    const [a, b] = [inode(manifests(out, 'a')), inode(manifests(out, 'b'))];
    writeFileSync(join(specs, 'b.yaml'), spec('b', 'replicas: 3\n'));
    const r = synth(specs, out);
    expect(r.stdout).toMatch(/, 2 unchanged services reused\) into /);
    expect(inode(manifests(out, 'a'))).toBe(a);
    expect(inode(manifests(out, 'b'))).not.toBe(b);
    expect(readFileSync(manifests(out, 'b'), 'utf8')).toMatch(/^ {2}replicas: 3$/m);
    expect(readTree(out)).toEqual(fullSynth(specs));
  });

  it('renders a service again when one of its files was edited by hand (the edit is undone)', () => {
    const { specs, out } = project();
    synth(specs, out);
    const clean = readFileSync(manifests(out, 'c'), 'utf8');
    appendFileSync(manifests(out, 'c'), '# hand edit\n');
    const a = inode(manifests(out, 'a'));
    const r = synth(specs, out);
    expect(r.stdout).toMatch(/, 2 unchanged services reused\) into /);
    expect(readFileSync(manifests(out, 'c'), 'utf8')).toBe(clean);
    expect(inode(manifests(out, 'a'))).toBe(a);
  });

  it('refuses a file added to a service directory (not Slipway\'s), and renders a service again when a file was removed', () => {
    const { specs, out } = project();
    synth(specs, out);
    writeFileSync(join(out, 'a', 'manifests', 'extra.yaml'), 'kind: Extra\n');
    rmSync(join(out, 'b', 'chart', 'b', 'README.md'));
    const before = snapshot(out);
    const refused = slipway(['synth', specs, '-o', out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('a/manifests/extra.yaml');
    expect(snapshot(out)).toEqual(before);
    rmSync(join(out, 'a', 'manifests', 'extra.yaml'));
    const r = synth(specs, out);
    expect(r.stdout).toMatch(/, 2 unchanged services reused\) into /);
    expect(readTree(out)).toEqual(fullSynth(specs));
  });

  it('drops the directory of a service whose spec was removed', () => {
    const { specs, out } = project();
    synth(specs, out);
    rmSync(join(specs, 'c.yaml'));
    synth(specs, out);
    expect(readTree(out)).toEqual(fullSynth(specs));
    expect([...readTree(out).keys()].some((p) => p.startsWith('c/'))).toBe(false);
    expect(readState(out)!.services.has('c')).toBe(false);
  });

  it('--force renders every service (new inodes) to the same bytes', () => {
    const { specs, out } = project();
    synth(specs, out);
    const before = readTree(out);
    const a = inode(manifests(out, 'a'));
    const r = synth(specs, out, '--force');
    expect(r.stdout).not.toMatch(/reused|up to date/);
    expect(inode(manifests(out, 'a'))).not.toBe(a);
    expect(readTree(out)).toEqual(before);
  });

  it('a state file from another Slipway build, or one it cannot read, makes every service render', () => {
    const { specs, out } = project();
    synth(specs, out);
    const state = readFileSync(join(out, STATE_FILE), 'utf8');
    writeFileSync(join(out, STATE_FILE), state.replace(/^renderer [0-9a-f]+$/m, `renderer ${'0'.repeat(64)}`));
    expect(synth(specs, out).stdout).not.toMatch(/reused|up to date/);
    expect(readFileSync(join(out, STATE_FILE), 'utf8')).toBe(state);
    writeFileSync(join(out, STATE_FILE), 'not a state file\n');
    expect(synth(specs, out).stdout).not.toMatch(/reused|up to date/);
    expect(readTree(out)).toEqual(fullSynth(specs));
  });

  it('a failing re-synth leaves the previous output as it was', () => {
    const { specs, out } = project();
    synth(specs, out);
    const before = snapshot(out);
    writeFileSync(join(specs, 'b.yaml'), spec('b', 'replicas: three\n'));
    const r = slipway(['synth', specs, '-o', out]);
    expect(r.status).toBe(2);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it('a changed sidecar renders its host again (the host\'s pods carry it)', () => {
    const { specs, out } = project();
    const sidecar = (tag: string) => `name: agent\nversion: "1.0.0"\nimage: { repository: acme/agent, tag: "${tag}" }\nworkload: { kind: Sidecar, sidecar: { host: a } }\n`;
    writeFileSync(join(specs, 'agent.yaml'), sidecar('1.0'));
    synth(specs, out);
    expect(readFileSync(manifests(out, 'a'), 'utf8')).toContain('acme/agent:1.0');
    const b = inode(manifests(out, 'b'));
    writeFileSync(join(specs, 'agent.yaml'), sidecar('1.1'));
    const r = synth(specs, out);
    expect(r.stdout).toMatch(/, 2 unchanged services reused\) into /); // b and c; a and the agent render
    expect(readFileSync(manifests(out, 'a'), 'utf8')).toContain('acme/agent:1.1');
    expect(inode(manifests(out, 'b'))).toBe(b);
    expect(readTree(out)).toEqual(fullSynth(specs));
  });

  it('the state does not depend on how the specs were named (relative, absolute, another directory)', () => {
    const { specs, out } = project();
    synth(specs, out);
    const state = readFileSync(join(out, STATE_FILE), 'utf8');
    const copy = join(tempDir('incr-moved'), 'elsewhere');
    mkdirSync(copy);
    for (const n of ['a', 'b', 'c']) writeFileSync(join(copy, `${n}.yaml`), readFileSync(join(specs, `${n}.yaml`)));
    const out2 = join(tempDir('incr-moved-out'), 'dist');
    expect(slipway(['synth', '.', '-o', out2], { cwd: copy }).status).toBe(0);
    expect(readFileSync(join(out2, STATE_FILE), 'utf8')).toBe(state);
    // ... so the moved output is up to date for the original specs too.
    expect(synth(specs, out2).stdout).toMatch(/all up to date/);
  });

  it('--stdout with -o prints the reused services\' manifests too', () => {
    const { specs, out } = project();
    synth(specs, out);
    writeFileSync(join(specs, 'a.yaml'), spec('a', 'replicas: 4\n'));
    const r = slipway(['synth', specs, '-o', out, '--stdout']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/2 unchanged services reused/);
    expect(r.stdout).toBe(slipway(['synth', specs, '--stdout']).stdout);
  });

  it('a fleet (digests read on a worker thread) re-synths one changed service, equal to a full synth', () => {
    const { specs, out, names } = project(160);
    synth(specs, out, '-j', '2');
    writeFileSync(join(specs, `${names[7]}.yaml`), spec(names[7], 'replicas: 5\n'));
    const keep = inode(manifests(out, names[0]));
    const r = synth(specs, out, '-j', '2');
    expect(r.stdout).toMatch(/, 159 unchanged services reused\) into /);
    expect(inode(manifests(out, names[0]))).toBe(keep);
    expect(readTree(out)).toEqual(fullSynth(specs));
    expect(synth(specs, out).stdout).toMatch(/all up to date/);
  }, 120_000);
});

describe('the synth state file', () => {
  const stamp = (c: string) => ({ input: c.repeat(64), output: c.repeat(63) + 'f' });

  it('round-trips, services in name order whatever the insertion order', () => {
    const state = { renderer: 'e'.repeat(64), services: new Map([['web', stamp('a')], ['api', stamp('b')]]) };
    const text = formatState(state);
    expect(text.split('\n').filter((l) => l.startsWith('service ')).map((l) => l.split(' ')[1])).toEqual(['api', 'web']);
    const dir = tempDir('state');
    writeFileSync(join(dir, STATE_FILE), text);
    expect(readState(dir)).toEqual(state);
  });

  it('is ignored (undefined) when a line is not understood or the renderer is missing', () => {
    const dir = tempDir('state-bad');
    expect(readState(dir)).toBeUndefined();
    writeFileSync(join(dir, STATE_FILE), `renderer ${'e'.repeat(64)}\nservice web input short output short\n`);
    expect(readState(dir)).toBeUndefined();
    writeFileSync(join(dir, STATE_FILE), `service web input ${'a'.repeat(64)} output ${'b'.repeat(64)}\n`);
    expect(readState(dir)).toBeUndefined();
  });

  it('digests a directory as the renderer digests the files it writes, whatever their order', () => {
    const dir = tempDir('digest');
    mkdirSync(join(dir, 'x', 'y'), { recursive: true });
    writeFileSync(join(dir, 'x', 'y', 'b.yaml'), 'b: ü\n');
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    const d = new OutputDigest();
    d.add('x/y/b.yaml', 'b: ü\n');
    d.add('a.txt', 'a\n');
    expect(digestDirectory(dir)).toEqual({ digest: d.digest(), files: expect.arrayContaining(['a.txt', 'x/y/b.yaml']) });
    const changed = new OutputDigest();
    changed.add('a.txt', 'a\n');
    changed.add('x/y/b.yaml', 'b: u\n');
    expect(changed.digest()).not.toBe(d.digest());
    expect(digestDirectory(join(dir, 'missing'))).toEqual({ digest: new OutputDigest().digest(), files: [] });
  });
});

describe('committing a re-synth entry by entry', () => {
  /** outdir (Slipway's) with services a, b and a stale service; tmp with a new b, a new c and a state file. */
  function trees() {
    const base = tempDir('commit');
    const out = join(base, 'dist');
    const files = { 'a/f': 'old a', 'b/f': 'old b', 'stale/f': 'x', [STATE_FILE]: 'old state' };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(out, rel, '..'), { recursive: true });
      writeFileSync(join(out, rel), text);
    }
    writeFileSync(join(out, MARKER), formatMarker(Object.keys(files)));
    const tx = OutputTransaction.open(out);
    for (const [rel, text] of Object.entries({ 'b/f': 'new b', 'c/f': 'new c', [STATE_FILE]: 'new state' })) {
      mkdirSync(join(tx.tmp, rel, '..'), { recursive: true });
      writeFileSync(join(tx.tmp, rel), text);
    }
    return { base, out, tx };
  }

  it('replaces what was rendered, keeps what was reused, drops the rest', () => {
    const { out, tx, base } = trees();
    const a = inode(join(out, 'a', 'f'));
    process.env.SLIPWAY_SYNC_CLEANUP = '1';
    try {
      tx.commit(new Set(['a']), ['a/f']);
    } finally {
      delete process.env.SLIPWAY_SYNC_CLEANUP;
    }
    const tree = Object.fromEntries(readTree(out));
    expect(tree).toEqual({ 'a/f': 'old a', 'b/f': 'new b', 'c/f': 'new c', [STATE_FILE]: 'new state', [MARKER]: formatMarker(['a/f', 'b/f', 'c/f', STATE_FILE]) });
    expect(inode(join(out, 'a', 'f'))).toBe(a);
    expect(leftovers(out)).toEqual([]);
    expect(readdirSync(base)).toEqual(['dist']);
  });
});
