/**
 * Registers the artefact renderers (Helm chart, image definition) with the synth pipeline.
 * Each renderer lives in its own package folder; this file only wires them in.
 */
import './chart/register';
import './image/register';
export {};
