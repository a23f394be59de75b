#!/usr/bin/env bash
# Records real CPython figures for the project's own fidelity corpus (fidelity/cases/*.py →
# fidelity/expected/*.json) with the shared recorder, ../shared/fidelity/record.py, which reads
# and writes the cases/ and expected/ folders beside itself.
# Usage: bash scripts/record-fidelity.sh [NAME ...]   (PYTHON=python3.11 to choose the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."
recorder="../shared/fidelity/record.py"
[ -f "$recorder" ] || { echo "record-fidelity: $recorder not found (shared/ must sit beside the repo)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p fidelity/expected
cp "$recorder" "$work/record.py"
ln -s "$PWD/fidelity/cases" "$work/cases"
ln -s "$PWD/fidelity/expected" "$work/expected"
python_exe="${PYTHON:-python3}"
"$python_exe" "$work/record.py" --python "$(command -v "$python_exe")" "$@"
