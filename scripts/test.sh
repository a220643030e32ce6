#!/usr/bin/env bash
# Runs every test: unit (jest), kernel (jest, a real Jupyter server and tslab
# kernels), browser (Playwright, real JupyterLab in Debian's headless Chromium)
# and airflow (jest, generated DAGs run by a real Apache Airflow 3).
# Sets up what is missing first, Chromium and Airflow's own venv included.
#   npm test                    everything
#   npm test -- unit kernel     some levels only (unit, kernel, browser, airflow)
# Results: test-output/ (JSON of each runner, screenshots, server logs); the last
# line printed is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
levels=("$@")
[ ${#levels[@]} -gt 0 ] || levels=(unit kernel browser airflow)
out=test-output
mkdir -p "$out"
rm -f "$out"/results-*.json "$out"/summary.txt

say() { printf '[test] %s\n' "$*" >&2; }
wants() { local l; for l in "${levels[@]}"; do [ "$l" = "$1" ] && return 0; done; return 1; }

bash scripts/setup.sh || { echo "0 passed, 1 failed" | tee "$out/summary.txt"; exit 1; }
export PATH="$PWD/.venv/bin:$PATH"
# pandas and pyarrow for the artifact interop tests (unit level); if this fails,
# those tests fail and say why.
if wants unit; then bash scripts/setup-data.sh || say "could not install pandas and pyarrow into .venv-data"; fi

if wants browser && ! command -v chromium >/dev/null; then
  say "installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then
    { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || say "could not install chromium"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    { sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; } || say "could not install chromium"
  else
    say "chromium is missing: run 'sudo apt-get install -y chromium' and try again"
  fi
fi

if wants unit; then
  say "unit tests"
  npx jest --selectProjects unit --json --outputFile="$out/results-unit.json"
fi
if wants kernel; then
  say "kernel tests"
  npx jest --selectProjects kernel --runInBand --json --outputFile="$out/results-kernel.json"
fi
# Airflow's venv: the airflow level runs DAGs in it, and the browser level parses the
# DAG file the panel exports with it.
if wants airflow || wants browser; then
  bash scripts/setup-airflow.sh || say "could not install Airflow (scripts/setup-airflow.sh)"
fi
if wants browser; then
  say "browser tests"
  # Absolute: Playwright resolves a relative name against the config's folder.
  PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/$out/results-browser.json" \
    npx playwright test -c tests/browser/playwright.config.ts --reporter=list,json
fi

if wants airflow; then
  say "airflow tests (Apache Airflow 3 in .venv-airflow)"
  npx jest --selectProjects airflow --runInBand --json --outputFile="$out/results-airflow.json"
fi

node scripts/summarize-tests.mjs "$out" "${levels[@]}"
