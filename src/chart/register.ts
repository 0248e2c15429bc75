/** Registers the chart renderer with the synth pipeline: `dist/<fullname>/chart/<name>/...`. */
import { artefactRenderers } from '../app/synth';
import { renderChart } from './render-chart';

artefactRenderers.push((svc) => Object.fromEntries(Object.entries(renderChart(svc.model)).map(([path, text]) => [`chart/${path}`, text])));
