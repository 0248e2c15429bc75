#!/bin/sh
# Entrypoint of the Slipway Argo CD plugin sidecar (argocd/repo-server-patch.yaml, docs/image.md):
# starts the warm renderer (`slipway serve`) on $SLIPWAY_SOCKET in the background, restarting it if
# it ever exits, then becomes Argo CD's CMP server. The plugin's generate command (plugin.yaml)
# asks the warm renderer through `slipway-warm`, which runs `slipway` cold when nobody answers.
# SLIPWAY_WARM=0 (or no SLIPWAY_SOCKET) turns the warm renderer off: every generate runs cold.
set -eu
if [ "${SLIPWAY_WARM:-1}" != 0 ] && [ -n "${SLIPWAY_SOCKET:-}" ]; then
  dir=$(dirname -- "$SLIPWAY_SOCKET")
  (umask 077 && mkdir -p -- "$dir")
  (
    while :; do
      slipway serve --socket "$SLIPWAY_SOCKET" || :
      sleep "${SLIPWAY_WARM_RESTART_DELAY:-5}"
    done
  ) </dev/null &
fi
exec "${ARGOCD_CMP_SERVER:-/var/run/argocd/argocd-cmp-server}" "$@"
