/**
 * Registers the chart renderer with the synth pipeline: `dist/<fullname>/chart/<name>/...`.
 * An attached sidecar gets no chart of its own: its container and objects are in its host's chart.
 */
import { artefactRenderers } from '../app/synth';
import { renderChart } from './render-chart';

artefactRenderers.push((svc, rendered) => (svc.model.sidecarOf ? {} : Object.fromEntries(Object.entries(renderChart(svc.model, rendered())).map(([path, text]) => [`chart/${path}`, text]))));
