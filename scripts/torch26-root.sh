#!/usr/bin/env bash
# Builds, once, a fair "current PyTorch" for `kit bench torch|models --python`: a Debian 13 (trixie) root made
# with debootstrap, holding Debian's python3-torch (PyTorch 2.6) and libopenblas0-pthread (without OpenBLAS
# Debian's torch falls back to the reference BLAS: ~3.5 GFLOP/s for a 1024² matmul instead of ~160), and
# beside it a wrapper, ROOT/python3, that runs python3 inside the root (chroot). Not part of setup.sh or CI:
# it downloads ~1 GB and takes some minutes. Needs root (or sudo) for debootstrap and chroot.
# Usage: scripts/torch26-root.sh [ROOT]   (default /opt/kit-torch26); then
#        ./kit bench torch --python ROOT/python3
set -euo pipefail
root=$(realpath -m "${1:-/opt/kit-torch26}")
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

if [ -x "$root/usr/bin/python3" ] && [ -x "$root/python3" ] && "$root/python3" -c 'import torch' 2>/dev/null; then
  echo "$root already holds Debian 13's PyTorch: $root/python3"
  exit 0
fi

command -v debootstrap >/dev/null || {
  echo "==> installing debootstrap"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
}
# The mirror the host's Debian comes from (deb.debian.org otherwise).
mirror=$(grep -rhs '^URIs:.*/debian/*$' /etc/apt/sources.list.d/*.sources | awk '{print $2; exit}')
[ -n "$mirror" ] || mirror=$(grep -hs '^deb .*/debian/* ' /etc/apt/sources.list | awk '{print $2; exit}')
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

if [ ! -x "$root/usr/bin/apt-get" ]; then
  echo "==> debootstrap: Debian 13 (trixie) into $root from $mirror"
  $sudo mkdir -p "$root"
  $sudo debootstrap --variant=minbase trixie "$root" "$mirror"
fi

echo "==> python3-torch and libopenblas0-pthread inside $root"
# apt inside the root needs /proc and /dev; a private mount namespace drops both mounts when it exits.
$sudo unshare --mount --fork --pid --mount-proc="$root/proc" sh -c '
  mount --rbind /dev "$1/dev" && mount --make-rslave "$1/dev"
  cp /etc/resolv.conf "$1/etc/resolv.conf"
  chroot "$1" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch libopenblas0-pthread"
' sh "$root"

# The wrapper: python3 inside the root. A script file given by its host path is copied into the root's /tmp
# first (the root cannot see the host's files); -c scripts and other arguments pass as they are.
$sudo tee "$root/python3" >/dev/null <<'WRAPPER'
#!/usr/bin/env bash
# python3 of the Debian 13 root this file lies in (PyTorch 2.6 with OpenBLAS), run there with chroot.
# Made by scripts/torch26-root.sh.
set -euo pipefail
root=$(dirname "$(readlink -f "$0")")
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
work=$(mktemp -d "$root/tmp/kit-args.XXXXXX")
trap 'rm -rf "$work"' EXIT
args=()
for a in "$@"; do
  if [ -f "$a" ]; then
    cp "$a" "$work/"
    args+=("/tmp/${work##*/}/$(basename "$a")")
  else
    args+=("$a")
  fi
done
# Its own /proc (torch reads /proc/cpuinfo and /proc/self), in a mount namespace that ends with it.
keep=(PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8)
[ -n "${OMP_NUM_THREADS:-}" ] && keep+=("OMP_NUM_THREADS=$OMP_NUM_THREADS")
$sudo env -i "${keep[@]}" unshare --mount --fork --pid --mount-proc="$root/proc" chroot "$root" python3 "${args[@]}"
WRAPPER
$sudo chmod 755 "$root/python3"
"$root/python3" -c 'import torch; print("PyTorch", torch.__version__, "in", "'"$root"'")'
echo "$root/python3"
