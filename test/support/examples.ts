/** The example specs and their rendered objects, shared by tests. */
import { join } from 'node:path';
import { loadSpecFile, type LoadedService } from '../../src/spec/load';
import { specFilesIn } from '../../src/app/synth';
import { renderManifestObjects } from '../../src/app/manifests';

export const ROOT = join(__dirname, '..', '..');
export const EXAMPLES = join(ROOT, 'examples');

/** Every service of every example spec file. */
export function exampleServices(): LoadedService[] {
  return specFilesIn(EXAMPLES).flatMap(loadSpecFile);
}

/** Manifests-mode objects of a service. */
export function objectsOf(svc: LoadedService): any[] {
  return renderManifestObjects(svc.model);
}
