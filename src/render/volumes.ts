import type { ServiceModel, SecretModel } from '../model/types';
import { childName } from '../model/naming';

/** A volume plus where the main container mounts it. */
export interface MountedVolume {
  readonly volume: Record<string, unknown>;
  readonly mount: { name: string; mountPath: string; readOnly?: boolean };
}

/** Volume name for a writable path: `/tmp` -> `tmp`, `/var/cache/app` -> `var-cache-app`. */
export function writableVolumeName(path: string): string {
  const trim = (s: string) => s.replace(/^-+|-+$/g, '');
  return trim(trim(path.replace(/[^a-z0-9]+/gi, '-').toLowerCase()).slice(0, 63)) || 'root';
}

/** Name of the Secret a secret spec resolves to. */
export function secretNameOf(m: ServiceModel, s: SecretModel): string {
  return s.source.type === 'existing' ? s.source.secretName : childName(m.fullname, s.name);
}

/** Volumes of the pod: emptyDirs for writable paths, the config files, mounted secrets, hostPaths. */
export function podVolumes(m: ServiceModel): MountedVolume[] {
  const out: MountedVolume[] = m.container.writablePaths.map((path) => ({
    volume: { name: writableVolumeName(path), emptyDir: {} },
    mount: { name: writableVolumeName(path), mountPath: path },
  }));
  if (Object.keys(m.config.files).length) {
    out.push({
      volume: { name: 'config-files', configMap: { name: childName(m.fullname, 'files') } },
      mount: { name: 'config-files', mountPath: m.config.mountPath, readOnly: true },
    });
  }
  for (const s of m.secrets) {
    if (!s.mountPath) continue;
    out.push({
      volume: { name: `secret-${s.name}`, secret: { secretName: secretNameOf(m, s) } },
      mount: { name: `secret-${s.name}`, mountPath: s.mountPath, readOnly: true },
    });
  }
  // hostPath mounts exist only with a named security exception (checked in the model).
  m.pod.hostPaths.forEach((h, i) => {
    const base = `host-${writableVolumeName(h.path)}`.slice(0, 58).replace(/-+$/, '');
    const name = out.some((o) => o.volume.name === base) ? `${base}-${i}` : base;
    out.push({ volume: { name, hostPath: { path: h.path, type: h.type } }, mount: { name, mountPath: h.mountPath, ...(h.readOnly ? { readOnly: true } : {}) } });
  });
  return out;
}
