/** Slipway's public API: use Slipway services from your own cdk8s app, or drive the pipeline. */
export * from './spec/types';
export { SpecError, formatFinding, type Finding } from './spec/errors';
export { loadSpecFile, loadSpecText, type LoadedService } from './spec/load';
export { modelFromProps } from './spec/validate-props';
export { resolveService } from './model/resolve';
export { environmentProps, resolveEnvironments, type EnvironmentModel } from './model/environments';
export type * from './model/types';
export { SlipwayService } from './slipway-service';
export { ServiceResources, type ServiceResourcesProps } from './render/service-resources';
export { Recorder, type Binding, type Condition, type RenderMode } from './render/recorder';
export { synthFiles, writeAtomically, type SynthFilesOptions, type WriteOptions } from './app/synth';
export { ARTEFACT_RENDERERS, chartArtefacts, imageArtefacts, type ArtefactRenderer } from './app/artefact-renderers';
export { OutputError } from './outdir/errors';
export { renderManifestObjects, toYamlStream } from './app/manifests';
export { linkServices } from './app/link';
export { addSidecar, type SidecarOptions } from './render/sidecar';
