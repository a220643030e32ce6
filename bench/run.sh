#!/usr/bin/env bash
# Runs every benchmark and writes its figures to test-output/bench/ (one
# markdown file per benchmark, and panel.json); BENCHMARKS.md records a run.
#   npm run bench                      everything
#   npm run bench -- driver analysis   some only (driver, analysis, memory, cache, panel, airflow, artifacts)
# The driver and airflow benchmarks compare with Apache Hamilton, installed into
# bench/.venv from bench/requirements.txt on first use; airflow also runs
# Apache Airflow from .venv-airflow (scripts/setup-airflow.sh); the artifact
# benchmark compares with pandas and pyarrow, installed into .venv-data by
# scripts/setup-data.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
only=("$@")
[ ${#only[@]} -gt 0 ] || only=(driver analysis memory cache panel airflow artifacts)
out=test-output/bench
mkdir -p "$out"
say() { printf '[bench] %s\n' "$*" >&2; }
wants() { local b; for b in "${only[@]}"; do [ "$b" = "$1" ] && return 0; done; return 1; }

bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"

if wants driver || wants airflow; then
  venv=bench/.venv
  stamp=$(sha256sum bench/requirements.txt | cut -c1-16)
  if [ "$(cat "$venv/.dagcells-requirements" 2>/dev/null)" != "$stamp" ]; then
    say "installing Apache Hamilton into $venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt 2> >(grep -v "^WARNING: Location " >&2)
    echo "$stamp" > "$venv/.dagcells-requirements"
  fi
fi

run() {
  local name=$1; shift
  say "$name"
  "$@" | tee "$out/$name.md"
  echo
}
wants driver && run driver node --expose-gc bench/driver/run.mjs
wants analysis && run analysis node --expose-gc bench/analysis/run.mjs
wants analysis && run analysis-modifiers node --expose-gc bench/analysis/modifiers.mjs
wants memory && run memory node --expose-gc bench/memory/run.mjs
wants cache && run cache node --expose-gc bench/cache/run.mjs
if wants airflow; then
  bash scripts/setup-airflow.sh
  run airflow node bench/airflow/run.mjs
fi
if wants artifacts; then
  bash scripts/setup-data.sh
  run artifacts node --expose-gc bench/artifacts/run.mjs
fi
if wants panel; then
  say "panel (JupyterLab in headless Chromium)"
  npx playwright test -c bench/panel/playwright.config.ts --reporter=list
fi
