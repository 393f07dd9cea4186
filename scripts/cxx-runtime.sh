#!/usr/bin/env bash
# TorchSharp's native library (libLibTorchSharp.so) needs GLIBCXX_3.4.32, GCC 13's C++ runtime. Debian 12
# ships GCC 12's (3.4.30) and no backport exists, so there the runtime comes from Debian 13 ("trixie"):
# the suite is added at pin priority 100 (nothing moves to it on its own) and only libstdc++6 is taken from
# it, with the glibc it needs. The test is the library the loader finds, never the OS version (after the
# step, Debian 12 reports itself as 13). Ubuntu 24.04+ and Debian 13 already pass it.
# Usage: scripts/cxx-runtime.sh [--check]   (--check: exit 1 when the step is needed, change nothing)
set -euo pipefail
needed=GLIBCXX_3.4.32

runtime_ok() {
  local lib
  lib=$(/sbin/ldconfig -p | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
  [ -n "$lib" ] && grep -qa "$needed" "$lib"
}

runtime_ok && exit 0
[ "${1:-}" = "--check" ] && exit 1

. /etc/os-release
if [ "${ID:-}" != debian ] || [ "${VERSION_CODENAME:-}" != bookworm ]; then
  echo "cxx-runtime: TorchSharp needs a C++ runtime with $needed (GCC 13 or newer); ${PRETTY_NAME:-this system} has an older one." >&2
  echo "             Use Debian 13 or Ubuntu 24.04 or newer, or install GCC 13's libstdc++6." >&2
  exit 1
fi

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
# Debian 13 from the same mirror Debian 12 comes from.
mirror=$(grep -rhs '^URIs:.*/debian/*$' /etc/apt/sources.list.d/*.sources | awk '{print $2; exit}')
[ -n "$mirror" ] || mirror=$(grep -hs '^deb .*/debian/* bookworm ' /etc/apt/sources.list | awk '{print $2; exit}')
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
echo "==> C++ runtime: Debian 12's libstdc++ lacks $needed (TorchSharp needs it); installing Debian 13's libstdc++6"
printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" \
  | $sudo tee /etc/apt/sources.list.d/kit-trixie.sources >/dev/null
printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | $sudo tee /etc/apt/preferences.d/kit-trixie >/dev/null
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -t trixie libstdc++6 >/dev/null
runtime_ok || { echo "cxx-runtime: libstdc++6 from Debian 13 is installed but $needed is still missing" >&2; exit 1; }
