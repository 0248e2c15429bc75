import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { buildOnce, ROOT } from '../cli/helpers';

/** Every compiled module under lib/ and the relative modules it requires (static or lazy). */
function importGraph(libDir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.js')) {
        const text = readFileSync(full, 'utf8');
        const deps = [...text.matchAll(/require\((["'])(\.{1,2}\/[^"']+)\1\)/g)].map((m) => {
          const target = resolve(dirname(full), m[2]);
          return relative(libDir, target.endsWith('.js') ? target : `${target}.js`);
        });
        graph.set(relative(libDir, full), deps.filter((d) => !d.endsWith('.json.js')));
      }
    }
  };
  walk(libDir);
  return graph;
}

/** The import cycles of a graph (each as the list of modules on it), by depth-first search. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const dep of graph.get(node) ?? []) {
      const s = state.get(dep);
      if (s === 'open') found.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (!s && graph.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

describe('library wiring', () => {
  beforeAll(() => buildOnce(), 180_000);

  it('has no import cycle in src/ (compiled requires, static and lazy)', () => {
    const graph = importGraph(join(ROOT, 'lib'));
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('app/synth.js')).toContain('app/artefact-renderers.js');
    expect(cycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('the cycle finder finds a cycle', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual([['a', 'b', 'c', 'a']]);
  });

  it("require('<repo>/lib/index.js').synthFiles produces the manifests, chart and image files in a fresh process", () => {
    const spec = 'name: web\nversion: 1.0.0\nimage: { repository: acme/web }\nports: [{ name: http, containerPort: 8080 }]\nbuild: { preset: go }\n';
    const script = `const s = require(${JSON.stringify(join(ROOT, 'lib', 'index.js'))});
      console.log(JSON.stringify([...s.synthFiles(s.loadSpecText(${JSON.stringify(spec)}, 'web.yaml')).keys()]));`;
    const keys: string[] = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    expect(keys).toContain('web/manifests/web.k8s.yaml');
    expect(keys).toEqual(expect.arrayContaining(['web/chart/web/Chart.yaml', 'web/chart/web/values.yaml', 'web/chart/web/templates/deployment.yaml']));
    expect(keys).toEqual(expect.arrayContaining(['web/image/Dockerfile', 'web/image/docker-bake.hcl', 'web/image/.dockerignore']));
  });
});
