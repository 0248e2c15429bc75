/**
 * Entry point of the detached process that removes an output directory moved aside
 * (`removeAsideLater` in ./remove): `node remove-aside-child.js <dir> <all|listed>`. A file of its
 * own, never a bundle: requiring a bundled entry point would load (and, for the cdk8s app, run)
 * the whole program.
 */
import { removeAside } from './remove';

const [dir, mode] = process.argv.slice(2);
if (dir && (mode === 'all' || mode === 'listed')) removeAside(dir, mode === 'all');
