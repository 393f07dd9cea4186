#!/usr/bin/env bash
# Regenerates the README's pictures in static/ with the kit itself: notebooks 01-03 run on dotnet-repl and
# headless Chromium screenshots their outputs (NotebookCatalogTests, "Then_chromium_..."); the screenshots
# are copied here. Needs ./setup.sh done (build, npm packages, dotnet tool restore, chromium).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rm -rf build/notebooks
dotnet build tests/Kit.Notebooks.Tests -nologo -v q -clp:NoSummary
dotnet test tests/Kit.Notebooks.Tests --no-build -nologo --filter "FullyQualifiedName~NotebookCatalogTests.Then_chromium"
mkdir -p static
for picture in dataset-check parameters-table training-view; do
  cp "build/notebooks/screenshots/$picture.png" "static/$picture.png"
done
ls -l static/
