#!/usr/bin/env bash
# Records real CPython figures for the project's fidelity corpora with the shared recorder,
# ../shared/fidelity/record.py, which reads and writes the cases/ and expected/ folders beside itself.
#   bash scripts/record-fidelity.sh [NAME ...]                       CPython 3.11: fidelity/ (the project's cases)
#   PYTHON=python3.13 bash scripts/record-fidelity.sh [NAME ...]     CPython 3.13: fidelity-3.13/ (the public
#                                                                    cases and the project's, copied in first)
# PYTHON may be a name on PATH, a path, or a pyenv version's python (found under `pyenv root`).
set -euo pipefail
cd "$(dirname "$0")/.."
recorder="../shared/fidelity/record.py"
[ -f "$recorder" ] || { echo "record-fidelity: $recorder not found (shared/ must sit beside the repo)" >&2; exit 2; }
python_exe="${PYTHON:-python3}"
if ! command -v "$python_exe" >/dev/null 2>&1 && command -v pyenv >/dev/null 2>&1; then
  found=$(ls "$(pyenv root)"/versions/*/bin/"$python_exe" 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$found" ] && python_exe="$found"
fi
command -v "$python_exe" >/dev/null 2>&1 || { echo "record-fidelity: no interpreter '$python_exe'" >&2; exit 2; }
minor=$("$python_exe" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
corpus=fidelity
if [ "$minor" != "3.11" ]; then
  corpus="fidelity-$minor"
  mkdir -p "$corpus/cases"
  cp ../shared/fidelity/cases/*.py fidelity/cases/*.py "$corpus/cases/"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$corpus/expected"
cp "$recorder" "$work/record.py"
ln -s "$PWD/$corpus/cases" "$work/cases"
ln -s "$PWD/$corpus/expected" "$work/expected"
echo "record-fidelity: CPython $minor ($python_exe) into $corpus/"
"$python_exe" "$work/record.py" --python "$(command -v "$python_exe")" "$@"
