/** The example specs and their rendered objects, shared by tests. */
import { join } from 'node:path';
import { loadSpecFile, type LoadedService } from '../../src/spec/load';
import { specFilesIn } from '../../src/app/synth';
import { renderManifestObjects } from '../../src/app/manifests';
import { linkServices } from '../../src/app/link';

export const ROOT = join(__dirname, '..', '..');
export const EXAMPLES = join(ROOT, 'examples');

/** Every service of every example spec file, as loaded (before linking). */
export function loadExamples(): LoadedService[] {
  return specFilesIn(EXAMPLES).flatMap(loadSpecFile);
}

/** Every service of every example spec file, with sidecars attached to their hosts (as synth does). */
export function exampleServices(): LoadedService[] {
  return linkServices(loadExamples());
}

/** Manifests-mode objects of a service. */
export function objectsOf(svc: LoadedService): any[] {
  return renderManifestObjects(svc.model);
}
