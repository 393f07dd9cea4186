#!/usr/bin/env bash
# Runs every test of the solution and ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
results="build/test-results"
rm -rf "$results"

if ! dotnet build Kit.sln -nologo -v q -clp:NoSummary; then
  echo "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
touch build/kit/kit.dll

dotnet test Kit.sln --no-build -nologo --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@" 2>&1 | grep -vE '^\s*$'
status=${PIPESTATUS[0]}

sum() { grep -ho "$1=\"[0-9]*\"" "$results"/*.trx 2>/dev/null | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum passed); failed=$(sum failed); skipped=$(sum notExecuted)
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1   # a crashed test host counts as a failure
[ "$failed" -ne 0 ] && python3 scripts/failed-tests.py "$results"/*.trx
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
