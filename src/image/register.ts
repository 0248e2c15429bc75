/** Registers the image renderer with the synth pipeline: `dist/<fullname>/image/...`. */
import { artefactRenderers } from '../app/synth';
import { renderImage } from './render';

artefactRenderers.push((svc) => Object.fromEntries(Object.entries(renderImage(svc.model)).map(([path, text]) => [`image/${path}`, text])));
