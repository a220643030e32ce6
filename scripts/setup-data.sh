#!/usr/bin/env bash
# Makes .venv-data, the Python environment with pandas and pyarrow that the
# artifact interop tests and benchmark compare with (tests/interop/requirements.txt).
# Runs again only when the requirements changed; `npm test` and `npm run bench`
# call it, so nothing needs doing by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-data
python=${PYTHON:-python3}
stamp=$(cat tests/interop/requirements.txt | sha256sum | cut -c1-16)
[ "$(cat "$venv/.dagcells-requirements" 2>/dev/null)" = "$stamp" ] && exit 0
printf '[setup] installing pandas and pyarrow into %s\n' "$venv" >&2
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv" ||
  { printf '[setup] error: could not create %s (on Debian: apt-get install python3-venv)\n' "$venv" >&2; exit 1; }
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/interop/requirements.txt \
  2> >(grep -v "^WARNING: Location " >&2)
echo "$stamp" > "$venv/.dagcells-requirements"
