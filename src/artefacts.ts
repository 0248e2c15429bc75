/**
 * The artefact renderers (Helm chart, image definition), re-exported for code that imported this
 * module before they were wired explicitly. Importing it has no side effect.
 */
export { ARTEFACT_RENDERERS, chartArtefacts, imageArtefacts, type ArtefactRenderer } from './app/artefact-renderers';
