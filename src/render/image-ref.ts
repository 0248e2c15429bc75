import type { ImageModel } from '../model/types';

/** `registry/repository:tag@digest` — the same string `<chart>.image` renders in _helpers.tpl. */
export function imageRef(i: ImageModel): string {
  const repo = i.registry ? `${i.registry}/${i.repository}` : i.repository;
  return i.digest ? `${repo}:${i.tag}@${i.digest}` : `${repo}:${i.tag}`;
}
