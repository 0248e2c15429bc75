/** The Helm chart renderer: a chart whose default render equals the manifests. */
export { renderChart } from './render-chart';
export { packageChart, helmBinary } from './package';
export { writeFiles } from './write';
export { overlaysOf, type Overlay } from './overlays';
