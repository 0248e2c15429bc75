#!/usr/bin/env bash
# Installs what test/image/buildah.test.ts needs to build multi-arch images without a daemon:
# buildah, crun and qemu-user-static from Debian, and registers the qemu binfmt_misc handlers
# (so RUN steps of a foreign-architecture stage can execute; FROM scratch + COPY needs none).
# Idempotent: whatever is already present is skipped. Needs root (CI runs it as root).
#
# Usage: bash scripts/install-buildah.sh
set -euo pipefail

log() { printf '[install-buildah] %s\n' "$*" >&2; }

missing=()
command -v buildah >/dev/null || missing+=(buildah)
command -v crun >/dev/null || missing+=(crun)
[[ -x /usr/bin/qemu-aarch64-static ]] || missing+=(qemu-user-static)
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] || { log "ERROR: run as root to install ${missing[*]}"; exit 1; }
  log "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
fi

# binfmt_misc: packages register handlers through systemd-binfmt / update-binfmts, which do nothing
# in a container or a VM without systemd. Mount the filesystem and register the qemu handlers with
# the F (fix binary) flag, so they work inside build containers whatever their root is.
if [[ $(id -u) == 0 ]]; then
  bf=/proc/sys/fs/binfmt_misc
  [[ -e $bf/register ]] || mount -t binfmt_misc binfmt_misc "$bf" 2>/dev/null ||
    log "note: cannot mount binfmt_misc: RUN steps of foreign-architecture stages will fail"
  if [[ -w $bf/register ]]; then
    for arch in aarch64 arm riscv64 s390x ppc64le; do
      [[ -e $bf/qemu-$arch ]] && continue
      conf=/usr/lib/binfmt.d/qemu-$arch.conf
      [[ -f $conf ]] || continue
      # The .conf line is ":name:type:offset:magic:mask:interpreter:flags"; keep its flags (Debian's
      # "-P" interpreters need P) and make sure F is among them.
      line=$(grep -v '^#' "$conf" | head -1)
      [[ ${line##*:} == *F* ]] || line="${line}F"
      printf '%s' "$line" >"$bf/register" 2>/dev/null || log "note: could not register qemu-$arch"
    done
  fi
fi

log "buildah $(buildah --version | awk '{print $3}'), crun $(crun --version | awk 'NR==1{print $3}'), $(
  /usr/bin/qemu-aarch64-static --version | head -1)"
