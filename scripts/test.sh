#!/usr/bin/env bash
# `npm test`: build, unit tests (Vitest), the fidelity harness against real CPython figures,
# and the browser e2e suite (Playwright, Debian Chromium against the browser twin).
# Ends with one line `N passed, N failed, N skipped` and a non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

rm -rf reports && mkdir -p reports
npx electron-vite build --config electron.config.ts >reports/build.log 2>&1
build_rc=$?
if [ $build_rc -ne 0 ]; then cat reports/build.log; fi

npx vitest run --reporter=default --reporter=json --outputFile.json=reports/unit.json
unit_rc=$?

fid_rc=0
if [ $build_rc -eq 0 ]; then
  node out/main/fidelity.js | tee reports/fidelity.txt
  fid_rc=${PIPESTATUS[0]}
else
  fid_rc=1
fi

e2e_rc=1
if [ $build_rc -eq 0 ]; then
  npx playwright test
  e2e_rc=$?
fi

node scripts/summary.cjs "$build_rc" "$fid_rc"
exit $(( build_rc != 0 || unit_rc != 0 || fid_rc != 0 || e2e_rc != 0 ))
