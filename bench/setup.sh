#!/usr/bin/env bash
# Installs what bench/run.mjs prefers: hyperfine (Debian package) and GNU time (peak memory).
# Needs root for apt; without it, run.mjs falls back to its own repeated timing.
set -euo pipefail
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -eq 0 ]; then
  echo "bench/setup.sh: hyperfine $(hyperfine --version | cut -d' ' -f2) and /usr/bin/time are installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/setup.sh: not root; install ${need[*]} with your package manager (run.mjs works without them)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
hyperfine --version
