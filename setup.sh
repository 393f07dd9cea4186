#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for the kit: system packages, npm packages, the build,
# then the main job on the built-in sample dataset (pass --no-main-job to stop after the build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

main_job=1
torch_backend=auto
for arg in "$@"; do
  case "$arg" in
    --no-main-job) main_job=0 ;;
    --torch-backend=cpu|--torch-backend=cuda|--torch-backend=auto) torch_backend="${arg#*=}" ;;
    *) echo "setup.sh: unknown option $arg (options: --no-main-job, --torch-backend=auto|cpu|cuda)" >&2; exit 2 ;;
  esac
done

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

# TorchSharp (a NuGet package) is the tensor engine; it brings its own libtorch. gcc compiles one C function at
# build time (src/Kit.TorchExtras/Engine/Native: MKL's Intel branch on AMD CPUs with AVX-512, MklBranch.cs).
# python3-torch(audio) is PyTorch from Python: the reference the tests compare against. libopenblas0-pthread is
# the BLAS Debian builds its numpy and torch for: without it Debian's torch falls back to the reference BLAS
# (~4 GFLOP/s for a 1024² matmul instead of ~35-160 on 2 EPYC cores), every Python reference in the tests runs
# far slower, and `kit bench` would compare against a crippled Python.
# espeak-ng speaks the sample dataset; sox and lame make the tests' FLAC/OGG and MP3 clips (Debian's sox writes no MP3).
# DejaVu Sans is the font chart PNGs are drawn with (SkiaSharp without fontconfig loads it by path).
# Graphviz draws the README's project graph (scripts/project-graph.py; a test checks it against the .csproj files).
apt_packages=(
  python3 python3-torch python3-torchaudio libopenblas0-pthread
  gcc
  espeak-ng sox lame
  fonts-dejavu-core
  chromium
  graphviz
)
# Node from another source (NodeSource, the dev container's feature) brings its own npm, and Debian's
# npm package conflicts with it: only ask apt for node when there is none.
command -v npm >/dev/null || apt_packages+=(nodejs npm)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

./scripts/cxx-runtime.sh

if ! command -v dotnet >/dev/null; then
  echo "setup.sh: the .NET 10 SDK is missing. Install it (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  echo "          or open the repo in its dev container, then run ./setup.sh again." >&2
  exit 1
fi

echo "==> npm packages (plotly.js for charts, s3rver for the S3 tests)"
npm ci --no-audit --no-fund --loglevel=error

echo "==> dotnet tools (dotnet-repl runs the notebooks headless)"
dotnet tool restore >/dev/null

# The tensor engine's native package, read by src/Kit.TorchExtras/TorchBackend.props: TorchSharp's CUDA build where an
# NVIDIA GPU answers, else the CPU build. `dotnet build -p:KitTorchBackend=cuda` overrides it once.
if [ "$torch_backend" = auto ]; then
  torch_backend=cpu
  command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1 && torch_backend=cuda
fi
mkdir -p build
echo "$torch_backend" > build/torch-backend
echo "==> tensor engine: TorchSharp ($torch_backend)"

echo "==> building"
dotnet build Kit.sln -nologo -v q -clp:NoSummary
touch build/kit/kit.dll

if [ "$main_job" = 1 ]; then
  echo "==> main job on the built-in sample dataset"
  ./scripts/main-job.sh
fi
