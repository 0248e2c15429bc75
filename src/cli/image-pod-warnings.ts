/**
 * Cross-checks of the pod against the image Slipway builds for it: the go preset's distroless
 * image and the static preset's scratch image hold only the service's binary — no shell, no
 * `sleep`, nothing on a relative path but that binary.
 */
import type { FieldPath } from '../spec/errors';
import type { LoadedService } from '../spec/load';
import { IMAGE_DEFAULTS, resolveGo, resolveStatic } from '../image/preset-options';

/** Rules of this file, for POLICY_RULES. */
export const IMAGE_POD_RULES: Readonly<Record<string, string>> = {
  'prestop-no-sleep': 'a preStop sleep (`shutdown.preStopSleepSeconds`) in an image without `sleep` (the go preset on distroless, the static preset on scratch)',
  'command-not-in-image': 'a `command` that names a relative program other than the binary of a go/static image, which holds nothing else',
};

interface Warning { readonly rule: string; readonly path: FieldPath; readonly message: string }

/** The final image and the one binary it holds, when Slipway knows it holds nothing else. */
function bareImage(svc: LoadedService): { image: string; binaryPath: string } | undefined {
  const b = svc.spec.build;
  if (!b) return undefined;
  if (b.preset === 'go') {
    const go = resolveGo(b, svc.model.name);
    return go.runtimeImage === IMAGE_DEFAULTS.distroless ? { image: go.runtimeImage, binaryPath: `/usr/local/bin/${go.binary}` } : undefined;
  }
  if (b.preset === 'static') {
    const st = resolveStatic(b, svc.model.name);
    return st.image === 'scratch' ? { image: 'scratch', binaryPath: st.path } : undefined;
  }
  return undefined;
}

/** Image ↔ pod warnings of one loaded service. */
export function imagePodWarnings(svc: LoadedService): Warning[] {
  const bare = bareImage(svc);
  if (!bare) return [];
  const out: Warning[] = [];
  const c = svc.model.container;
  if (c.preStopSleepSeconds) {
    out.push({ rule: 'prestop-no-sleep', path: ['shutdown', 'preStopSleepSeconds'], message: `runs \`sleep\` in a preStop hook, but the image (${bare.image}) has no \`sleep\` binary: the hook fails and pods get no drain delay. Remove it and let the app delay its own shutdown on SIGTERM, or use a runtime image that has \`sleep\` (Kubernetes 1.30+ also has a native sleep action)` });
  }
  const program = c.command[0];
  const binary = bare.binaryPath.split('/').pop();
  if (program !== undefined && !program.startsWith('/') && program !== binary) {
    out.push({ rule: 'command-not-in-image', path: ['command', 0], message: `"${program}" is not in the image (${bare.image}), which holds only ${bare.binaryPath}: use that path, or leave command out to run the image's ENTRYPOINT` });
  }
  return out;
}
