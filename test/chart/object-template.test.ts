/**
 * The object serializer on shapes the service renderer does not produce yet: conditional or
 * values-bound keys first in a list item (keys are sorted), list items made only of conditional
 * fields, scalars in lists, nested conditions, merges into absent and present maps and lists.
 * Checked by rendering with the real helm, with the bindings on and off.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Binding } from '../../src/render/recorder';
import { objectTemplate } from '../../src/chart/object-template';
import { writeFiles } from '../../src/chart/write';
import { toYaml } from '../../src/chart/yaml-out';
import { helmBinaries, helmOk } from '../support/helm';
import { parseStream, writeValues } from './fixture';

const object = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'probe', annotations: { fixed: 'yes' } },
  items: [
    { a: { x: 1 }, b: 'plain', c: [1, 2] },
    { a: { only: 'conditional' } },
    { b: 'scalar', list: ['one', 'two'] },
  ],
};

const bindings: Binding[] = [
  { kind: 'block', path: '/items/0/a', key: 'blockA', empty: {} },
  { kind: 'when', path: '/items/1/a', condition: { key: 'showA' } },
  { kind: 'when', path: '/items/1/a/only', condition: { key: 'showOnly' } },
  { kind: 'scalar', path: '/items/2/list/1', key: 'second' },
  { kind: 'merge', path: '/items/2/list', key: 'moreItems', empty: [] },
  { kind: 'merge', path: '/items/0/extra', key: 'extra', empty: [] },
  { kind: 'merge', path: '/metadata/annotations', key: 'annotations', empty: {} },
  { kind: 'expr', path: '/metadata/name', expr: 'printf "%s-probe" .Release.Name' },
];

const defaults = { blockA: { x: 1 }, showA: true, showOnly: true, second: 'two', moreItems: [], extra: [], annotations: {} };

const root = mkdtempSync(join(tmpdir(), 'slipway-tpl-'));
writeFiles(root, {
  'probe/Chart.yaml': 'apiVersion: v2\nname: probe\nversion: 0.1.0\n',
  'probe/values.yaml': toYaml(defaults),
  'probe/templates/probe.yaml': objectTemplate(object, bindings, { chart: 'probe', defaults: new Map(Object.entries(defaults)) }),
});
const dir = join(root, 'probe');

describe.each(helmBinaries())('object templates ($name)', (bin) => {
  const render = (values: object) => parseStream(helmOk(bin, ['template', 'r', dir, '-f', writeValues('v.yaml', toYaml(values))]))[0];

  it('render the object itself with the defaults', () => {
    expect(render({})).toEqual({ ...object, metadata: { ...object.metadata, name: 'r-probe' } });
  });

  it('follow the values (a map default is cleared with null, as Helm merges maps)', () => {
    expect(render({ blockA: null, showA: true, showOnly: false, second: 2, moreItems: ['three'], extra: [{ e: 1 }], annotations: { added: 'on' } })).toEqual({
      ...object,
      metadata: { name: 'r-probe', annotations: { fixed: 'yes', added: 'on' } },
      items: [{ b: 'plain', c: [1, 2], extra: [{ e: 1 }] }, { a: null }, { b: 'scalar', list: ['one', 2, 'three'] }],
    });
    expect(render({ showA: false }).items[1]).toBeNull();
  });
});
