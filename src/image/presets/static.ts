/**
 * The `static` preset: a prebuilt binary per platform (`${TARGETOS}`/`${TARGETARCH}` in its path)
 * copied onto scratch or a given base. Nothing runs during the build, so every platform builds
 * without emulation.
 */
import type { ImageBuild, StaticOptions } from '../model';
import { Stage, dockerfile } from '../dockerfile';
import { pinned } from '../base-images';
import { header, addLabels, addExpose, userLine } from '../final-stage';
import { createWithWorkdir } from '../writable-paths';
import { execForm, dockerArg } from '../quote';

/** The Dockerfile of a static build. */
export function staticDockerfile(b: ImageBuild): string {
  const st = b.static as StaticOptions;
  const args = ['TARGETOS', 'TARGETARCH', 'TARGETVARIANT'].filter((a) => st.binary.includes(`\${${a}}`) || st.binary.includes(`$${a}`));
  const paths = createWithWorkdir(b, b.workingDir ?? '/');
  const stage = new Stage(pinned(b, st.image), b.stages.final, [
    `${b.stages.final}: the prebuilt binary for the target platform${st.image === 'scratch' ? ' on an empty image' : ''}.`,
  ]).args(...args);
  addLabels(stage, b)
    .add('COPY', `--chmod=0555 ${dockerArg(st.binary)} ${dockerArg(st.path)}`)
    .raw(paths.beforeUser)
    .raw([userLine(b)])
    .raw(paths.afterUser);
  addExpose(stage, b).add('ENTRYPOINT', execForm([st.path]));
  return dockerfile(header(b, [
    `Preset static: ${st.binary} (built beforehand for each platform) on ${st.image}.`,
  ]), [stage]);
}
