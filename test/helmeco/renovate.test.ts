/**
 * docs/renovate.json5: its custom manager's pattern finds the image tag (its one home, `image.tag`)
 * in every document of every example spec and in the spec `slipway init` writes, names the image as
 * the model resolves it, and an update Renovate would make (replace currentValue in the match) changes
 * only the image tag. Evaluated with JavaScript's RegExp (the pattern avoids what RE2 lacks).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpecText } from '../../src/spec/load';
import { imageRef } from '../../src/render/image-ref';
import { specYaml } from '../../src/cli/init-templates';
import { exampleFiles } from '../cli/helpers';

const ROOT = join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const JSON5 = require('json5') as { parse(text: string): any };
const config = JSON5.parse(readFileSync(join(ROOT, 'docs', 'renovate.json5'), 'utf8'));
const manager = config.customManagers[0];

/** Renovate's regex string as a JS RegExp: a leading (?m) flag group becomes the `m` flag. */
function pattern(): RegExp {
  const src = manager.matchStrings[0] as string;
  return new RegExp(src.replace(/^\(\?m\)/, ''), `g${src.startsWith('(?m)') ? 'm' : ''}`);
}

/** Renovate's depNameTemplate for these groups (Handlebars `#if` and a triple-stash). */
function depName(g: Record<string, string | undefined>): string {
  return `${g.registry ? `${g.registry}/` : ''}${g.repository}`;
}

function fileRe(): RegExp {
  const p = manager.managerFilePatterns[0] as string;
  return new RegExp(p.slice(1, -1));
}

const specs: [string, string][] = [
  ...exampleFiles().map((f): [string, string] => [f.slice(ROOT.length + 1), readFileSync(f, 'utf8')]),
  ['slipway init (registry)', specYaml({ name: 'shop', registry: 'ghcr.io', repository: 'acme/shop', tag: '1.2.3', port: 8080 })],
  ['slipway init (Docker Hub)', specYaml({ name: 'db', repository: 'postgres', tag: '16.4', port: 5432 })],
];

describe('docs/renovate.json5', () => {
  it('ignores dist/ and matches spec files under services/', () => {
    expect(config.ignorePaths).toContain('dist/**');
    expect(fileRe().test('services/api.yaml')).toBe(true);
    expect(fileRe().test('platform/services/api.yml')).toBe(true);
    expect(fileRe().test('dist/api/chart/api/values.yaml')).toBe(false);
    expect(manager.datasourceTemplate).toBe('docker');
  });

  it('uses no RE2-unsupported syntax (look-around, back-references)', () => {
    expect(manager.matchStrings[0]).not.toMatch(/\(\?<?[=!]|\\[1-9]/);
  });

  it.each(specs)('%s: finds the tag of every service, named as the model resolves it', (name, text) => {
    const services = loadSpecText(text, 'spec.yaml');
    const matches = [...text.matchAll(pattern())];
    expect(matches).toHaveLength(services.length);
    for (const [i, m] of matches.entries()) {
      const model = services[i].model;
      expect(depName(m.groups!), name).toBe(model.image.registry ? `${model.image.registry}/${model.image.repository}` : model.image.repository);
      expect(m.groups!.currentValue).toBe(model.image.tag);
      expect(m.groups!.currentDigest ?? '').toBe(model.image.digest);
    }
  });

  it.each(specs)('%s: an update of the matched tag changes only the image tag', (_name, text) => {
    const updated = text.replace(pattern(), (whole, ...rest) => {
      const groups = rest[rest.length - 1] as Record<string, string>;
      return whole.replace(new RegExp(`(tag:[ \\t]*"?)${groups.currentValue.replace(/[.+]/g, '\\$&')}`), '$19.9.9');
    });
    const before = loadSpecText(text, 'spec.yaml').map((s) => s.model);
    const after = loadSpecText(updated, 'spec.yaml').map((s) => s.model);
    for (const [i, m] of after.entries()) {
      expect(m.image.tag).toBe('9.9.9');
      expect({ ...m, image: { ...m.image, tag: before[i].image.tag } }).toEqual(before[i]);
      expect(imageRef(m.image)).toContain(':9.9.9');
    }
  });
});
