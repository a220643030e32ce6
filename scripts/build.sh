#!/usr/bin/env bash
# Builds everything from source, incrementally: the dagcells runtime (kernel-helpers),
# the extension's TypeScript, and the prebuilt JupyterLab extension.
#   scripts/build.sh          development build
#   scripts/build.sh --prod   production build (minified, as shipped in the wheel)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
builder="$root/.venv/bin/jupyter-builder"
[ -x "$builder" ] || builder=jupyter-builder

npm run --silent build -w dagcells
npx tsc -b extension
if [ "${1:-}" = "--prod" ]; then
  "$builder" build .
else
  "$builder" build --BuildLabExtensionApp.development=True .
fi
