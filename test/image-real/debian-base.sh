#!/bin/sh
# Builds a base image for Slipway's python or node preset from this Debian host's own packages (no
# registry can be pulled from here): the interpreter, its libraries (ldd), a POSIX shell and the
# tools the preset's Dockerfile runs (getent, groupadd, useradd), copied onto `FROM scratch`
# with buildah, tagged as the image the preset's FROM names.
#   debian-base.sh <python|node> <image name, e.g. docker.io/library/python:3.11-slim> <buildah args...>
set -eu
kind=$1; image=$2; shift 2
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
root=$ctx/rootfs
mkdir -p "$root/usr"
for d in bin sbin lib lib64; do # merged /usr, as on the host
  if [ -L "/$d" ]; then mkdir -p "$root/usr/$d"; ln -s "usr/$d" "$root/$d"; fi
done
add() { # copy files/dirs (keeping symlinks) with their paths
  for f in "$@"; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    mkdir -p "$root$(dirname "$f")"
    cp -a "$f" "$root$f"
  done
}
libs() { # the shared libraries of the given ELF files, their loader, and those they need
  for f in "$@"; do ldd "$f" 2>/dev/null | awk '/=>/ { print $3 } /^\t\// { print $1 }'; done | sort -u | while read -r l; do
    [ -n "$l" ] && add "$l" "$(readlink -f "$l")"
  done
}
tools="/bin/sh /usr/bin/dash /usr/bin/getent /usr/sbin/groupadd /usr/sbin/useradd /usr/bin/env"
add $tools /etc/login.defs /lib64/ld-linux-x86-64.so.2
libs $tools
mkdir -p "$root/etc" "$root/tmp" "$root/root" "$root/usr/local/bin"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
printf 'root:*::0:::::\n' > "$root/etc/shadow"
printf 'root:*::\n' > "$root/etc/gshadow"
chmod 0640 "$root/etc/shadow" "$root/etc/gshadow"
env=""
case $kind in
python)
  py=$(readlink -f /usr/bin/python3)   # /usr/bin/python3.11
  ver=$(basename "$py")                 # python3.11
  add "$py" /usr/bin/python3 "/usr/lib/$ver" /usr/lib/python3/dist-packages /usr/share/python-wheels
  ln -s "$ver" "$root/usr/bin/python"
  # setuptools 66 (Debian's wheel of it) needs `wheel` to build one, and Debian ships `wheel` only
  # installed (python3-wheel), not as a .whl: pack the installed module as a wheel, offline.
  if [ -d /usr/lib/python3/dist-packages/wheel ] && ! ls /usr/share/python-wheels/wheel-*.whl >/dev/null 2>&1; then
    /usr/bin/python3 - "$root/usr/share/python-wheels" <<'PY'
import glob, os, sys, zipfile
src = '/usr/lib/python3/dist-packages'
info = glob.glob(f'{src}/wheel-*.egg-info')[0]
version = os.path.basename(info)[len('wheel-'):-len('.egg-info')]
dist = f'wheel-{version}.dist-info'
with zipfile.ZipFile(f'{sys.argv[1]}/wheel-{version}-py3-none-any.whl', 'w') as z:
    for root, _, files in os.walk(f'{src}/wheel'):
        for f in files:
            if not f.endswith('.pyc'):
                p = os.path.join(root, f)
                z.write(p, os.path.relpath(p, src))
    z.write(os.path.join(info, 'PKG-INFO'), f'{dist}/METADATA')
    z.writestr(f'{dist}/WHEEL', 'Wheel-Version: 1.0\nGenerator: slipway-debian-base\nRoot-Is-Purelib: true\nTag: py3-none-any\n')
    if os.path.exists(os.path.join(info, 'entry_points.txt')):
        z.write(os.path.join(info, 'entry_points.txt'), f'{dist}/entry_points.txt')
    z.writestr(f'{dist}/RECORD', '')
PY
  fi
  libs "$py" "/usr/lib/$ver"/lib-dynload/*.so
  # No index can be reached: pip resolves the build backend (setuptools) from Debian's wheels.
  env="PIP_NO_INDEX=1 PIP_FIND_LINKS=/usr/share/python-wheels"
  ;;
node)
  add /usr/bin/node /usr/bin/nodejs /usr/lib/node_modules/npm /usr/share/nodejs /usr/lib/nodejs
  libs /usr/bin/node
  [ -e /usr/lib/node_modules/npm/bin/npm-cli.js ] && ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
  [ -e /usr/lib/node_modules/npm/bin/npx-cli.js ] && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
  env="NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false"
  # The node preset's base stage runs `apt-get install tini=<version>`: apt and dpkg from the host,
  # with the host's keys and dpkg database (apt then sees libc6 and the rest installed, and fetches
  # only tini, as in node:*-bookworm-slim). With SLIPWAY_APT_DEBS=<dir of .deb files> the image's
  # only apt source is a local flat repository of those files (offline); without it, the host's
  # sources (the Debian mirror).
  apt="/usr/bin/apt-get /usr/bin/apt-cache /usr/bin/apt-config /usr/bin/dpkg /usr/bin/dpkg-deb /usr/bin/dpkg-split /usr/bin/dpkg-query
    /usr/bin/dpkg-divert /usr/bin/dpkg-trigger /usr/bin/gpgv /usr/bin/tar /usr/bin/rm /usr/bin/mkdir /usr/bin/cp /usr/bin/mv /usr/bin/chmod
    /usr/bin/ln /usr/bin/cat /usr/bin/sqv /usr/bin/apt-key /usr/bin/mktemp /usr/bin/find /usr/bin/grep /usr/bin/sed /usr/bin/tr /usr/bin/cut
    /usr/bin/sort /usr/bin/head /usr/bin/tail /usr/bin/wc /usr/bin/id /usr/bin/touch /usr/bin/ls /usr/bin/basename /usr/bin/dirname /usr/bin/readlink
    /usr/bin/stat /usr/bin/rmdir /usr/bin/xargs /usr/bin/uniq /usr/bin/comm /usr/bin/chown /usr/bin/test /usr/bin/true /usr/bin/false /usr/bin/expr /usr/bin/echo /usr/bin/diff /usr/bin/dpkg-maintscript-helper /sbin/ldconfig /usr/sbin/ldconfig /sbin/start-stop-daemon /usr/sbin/start-stop-daemon"
  add $apt /usr/lib/apt /etc/apt /etc/dpkg /usr/share/keyrings /var/lib/dpkg /usr/share/dpkg /etc/ssl /usr/lib/ssl /etc/resolv.conf /etc/hosts /etc/nsswitch.conf
  libs $apt /usr/lib/apt/methods/* /usr/lib/apt/solvers/* 2>/dev/null || true
  for f in /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libresolv.so.2; do add "$f" "$(readlink -f "$f")"; done
  : > "$root/var/lib/dpkg/statoverride" # names host groups this image does not have
  mkdir -p "$root/var/lib/apt/lists/partial" "$root/var/cache/apt/archives/partial" "$root/var/log/apt"
  printf '_apt:x:42:65534::/nonexistent:/usr/sbin/nologin\n' >> "$root/etc/passwd"
  if [ -n "${SLIPWAY_APT_DEBS:-}" ]; then
    repo=/var/local/slipway-apt
    mkdir -p "$root$repo"
    cp "$SLIPWAY_APT_DEBS"/*.deb "$root$repo/"
    (cd "$root$repo" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null > Packages)
    rm -rf "$root/etc/apt/sources.list" "$root/etc/apt/sources.list.d"
    mkdir -p "$root/etc/apt/sources.list.d"
    printf 'deb [trusted=yes] file:%s ./\n' "$repo" > "$root/etc/apt/sources.list.d/slipway-local.list"
  fi
  ;;
*) echo "usage: $0 <python|node> <image> [buildah args]" >&2; exit 2 ;;
esac
{
  echo 'FROM scratch'
  echo 'COPY rootfs/ /'
  echo 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin'
  for e in $env; do echo "ENV $e"; done
  echo 'CMD ["/bin/sh"]'
} > "$ctx/Containerfile"
buildah "$@" bud --quiet --platform linux/amd64 -f "$ctx/Containerfile" -t "$image" "$ctx" >/dev/null
echo "$image"
