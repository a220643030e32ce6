#!/usr/bin/env bash
# Installs Apache Airflow into a Python environment of its own, .venv-airflow/
# (its pins, SQLAlchemy 2 and pydantic among them, are its business, not
# JupyterLab's), from the pinned set in scripts/airflow-requirements.txt. Runs
# only when that file changed; a second run takes a moment. Prints nothing on
# stdout; the Airflow tests and benchmarks call it.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$PWD/.venv-airflow
python=${PYTHON:-python3}
say() { printf '[setup-airflow] %s\n' "$*" >&2; }
stamp=$(cat scripts/airflow-requirements.txt | sha256sum | cut -c1-16)
if [ "$(cat "$venv/.dagcells-requirements" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
  say "creating $venv"
  "$python" -m venv "$venv" || { say "could not create $venv (on Debian: apt-get install python3-venv)"; exit 1; }
fi
say "installing Apache Airflow (scripts/airflow-requirements.txt, about a minute)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/airflow-requirements.txt \
  2> >(grep -v "^WARNING: Location " >&2)
"$venv/bin/python" -c "import airflow.sdk, airflow.providers.standard" || { say "Airflow does not import in $venv"; exit 1; }
echo "$stamp" > "$venv/.dagcells-requirements"
