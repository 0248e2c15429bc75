/** The command line as a whole: help, usage errors and their exit code, colour. */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnce, slipway, tempDir, CLI, ROOT, BASE } from './helpers';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';

beforeAll(() => buildOnce(), 180_000);

describe('slipway --help and exit codes', () => {
  it('is an executable node script', () => {
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin.slipway).toBe('lib/cli/main.js');
  });

  it('documents every command and the exit codes', () => {
    const r = slipway(['--help']);
    expect(r.status).toBe(0);
    for (const cmd of ['init', 'synth', 'validate', 'diff']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd} `, 'm'));
    expect(r.stdout).toContain('Exit codes:');
    expect(r.stdout).toMatch(/0 +success/);
    expect(r.stdout).toMatch(/1 +findings/);
    expect(r.stdout).toMatch(/2 +usage or input error/);
  });

  it('has help per command', () => {
    for (const cmd of ['init', 'synth', 'validate', 'diff']) {
      const r = slipway([cmd, '--help']);
      expect(r.status, cmd).toBe(0);
      expect(r.stdout).toContain(`Usage: slipway ${cmd}`);
    }
    expect(slipway(['synth', '--help']).stdout).toContain('--stdout');
  });

  it('prints its version', () => {
    const r = slipway(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  const usage: [string, string[], RegExp][] = [
    ['no command', [], /Usage: slipway/],
    ['an unknown command', ['synht'], /unknown command 'synht'\n\(Did you mean synth\?\)/],
    ['an unknown option', ['synth', 'examples', '-o', 'x', '--bogus'], /unknown option '--bogus'/],
    ['a missing argument', ['validate'], /missing required argument 'specs'/],
    ['synth without an output', ['synth', 'examples'], /synth needs -o <outdir> \(or --stdout\)/],
    ['diff without an output', ['diff', 'examples'], /diff needs -o <outdir>/],
    ['a spec path that does not exist', ['validate', 'no/such/file.yaml'], /no\/such\/file\.yaml: no such file or directory/],
    ['a bad --jobs value', ['synth', 'examples', '--stdout', '--jobs', '0'], /--jobs <n>.*positive integer/],
    ['a bad --port value', ['init', '--port', 'http'], /port number/],
    ['a bad --preset', ['init', '--preset', 'rust'], /Allowed choices are go, python, node, static/],
    ['--package without an output', ['synth', 'examples', '--stdout', '--package'], /--package needs -o/],
  ];
  for (const [what, args, message] of usage) {
    it(`exits 2 with a usage message on ${what}`, () => {
      const r = slipway(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }

  it('exits 2 on a directory without specs', () => {
    const r = slipway(['validate', tempDir('empty')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/holds no spec files/);
  });
});

describe('--recursive: specs in subdirectories', () => {
  /** specs/team-a/api.yaml, specs/team-b/nested/worker.yml, plus YAML that is not a spec in places --recursive skips. */
  function tree(): string {
    const root = join(tempDir('recursive'), 'specs');
    const write = (rel: string, text: string) => { mkdirSync(join(root, rel, '..'), { recursive: true }); writeFileSync(join(root, rel), text); };
    write('team-a/api.yaml', BASE.replace('name: web', 'name: api'));
    write('team-b/nested/worker.yml', BASE.replace('name: web', 'name: worker'));
    write('.github/workflows/ci.yaml', 'on: push\n');
    write('node_modules/pkg/config.yaml', 'not: a spec\n');
    return root;
  }

  it('without it, a directory whose specs are all in subdirectories is a usage error that names the option', () => {
    const r = slipway(['validate', tree()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('directory holds no spec files (*.yaml, *.yml); its subdirectories hold some: add --recursive');
  });

  it('validate -r reads every depth in a stable order and skips hidden directories and node_modules', () => {
    const r = slipway(['validate', '-r', '--json', tree()]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/ci\.yaml|config\.yaml/);
    const summary = slipway(['validate', '-r', tree()]);
    expect(summary.stdout).toMatch(/^2 files, 2 services: 0 errors/m);
  });

  it('synth -r writes every service, and never reads its own output directory inside the tree', () => {
    const root = tree();
    const out = join(root, 'out');
    expect(slipway(['synth', '-r', root, '-o', out]).status).toBe(0);
    expect(readdirSync(out).filter((f) => !f.startsWith('.')).sort()).toEqual(['api', 'worker']);
    // The second run sees out/ (full of YAML) inside the tree and must leave it alone.
    const again = slipway(['synth', '-r', root, '-o', out]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('all up to date');
    expect(slipway(['diff', '-r', root, '-o', out]).status).toBe(0);
  });
});

describe('colour', () => {
  const bad = () => {
    const dir = tempDir('color');
    writeFileSync(join(dir, 'svc.yaml'), `${BASE}helth: {}\n`);
    return dir;
  };
  const ESC = '\u001b[';

  it('is off when the output is not a terminal', () => {
    const r = slipway(['validate', bad()]);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toContain(ESC);
  });

  it('is off with NO_COLOR even when forced', () => {
    const r = slipway(['validate', bad()], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(r.stderr).not.toContain(ESC);
  });

  it('can be forced (FORCE_COLOR) for CI logs that render it', () => {
    const r = slipway(['validate', bad()], { env: { FORCE_COLOR: '1' } });
    expect(r.stderr).toContain(ESC);
  });
});
