#!/usr/bin/env bash
# The main job: the kit's whole path on the built-in sample dataset, in the order a user walks it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="build/main-job"
rm -rf "$out"; mkdir -p "$out"
./kit sample-dataset "$out/dataset" --clips 24
./kit check "$out/dataset" --json "$out/check.json"
./kit params --check-json "$out/check.json" --out "$out/run"
echo "main job done: $out"
