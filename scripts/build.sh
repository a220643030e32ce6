#!/usr/bin/env bash
# Builds from source, incrementally: the dagcells runtime (kernel-helpers), the
# extension's TypeScript (to lib/), and the prebuilt JupyterLab extension.
#   scripts/build.sh          development build
#   scripts/build.sh --prod   production build (minified, as shipped in the wheel)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
command -v jupyter-builder >/dev/null ||
  { echo "[build] jupyter-builder not found: run scripts/setup.sh (npm start) first." >&2; exit 1; }

npm run --silent build -w dagcells >/dev/null 2>&1 || npm run build -w dagcells
npx tsc -b extension

out=jupyterlab_dagcells/labextension
mode=development
[ "${1:-}" = "--prod" ] && mode=production
stamp="$out/.dagcells-build-$mode"
# Rebuild the bundle only when an input is newer than the last bundle of this mode.
if [ ! -f "$stamp" ] || [ -n "$(find lib style extension/schema extension/webpack.config.js package.json kernel-helpers/dist \
  -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  rm -f "$out"/.dagcells-build-*
  flags=()
  [ "$mode" = development ] && flags=(--BuildLabExtensionApp.development=True)
  if ! log=$(jupyter-builder build "${flags[@]}" . 2>&1); then
    printf '%s\n' "$log" >&2
    exit 1
  fi
  touch "$stamp"
  echo "[build] built the JupyterLab extension ($mode)" >&2
fi
