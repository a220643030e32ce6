#!/usr/bin/env bash
# Installs and builds everything the project needs, inside the project folder:
#   node_modules/   npm dependencies (npm ci, from package-lock.json), tslab among them
#   .venv/          Python environment with JupyterLab (scripts/requirements.txt),
#                   this extension (editable, linked into the environment) and the
#                   tslab kernel registered into it
#   lib/, kernel-helpers/dist/, jupyterlab_dagcells/labextension/   build output
# Each step runs only when its inputs changed, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=$root/.venv
export PATH="$venv/bin:$PATH"

say() { printf '[setup] %s\n' "$*" >&2; }
fail() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }
digest() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }
# pip, quietly; it may warn about package indexes this machine is configured with.
pip_install() {
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" 2> >(grep -v "^WARNING: Location " >&2)
}

# --- tools -------------------------------------------------------------------
command -v node >/dev/null || fail "Node.js 20 or newer is needed (node not found)."
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node.js 20 or newer is needed (found $(node --version))."
python=${PYTHON:-python3}
command -v "$python" >/dev/null || fail "Python 3.9 or newer is needed ($python not found)."
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
  fail "Python 3.9 or newer is needed (found $("$python" --version))."

# --- npm dependencies ----------------------------------------------------------
npm_stamp=$(digest package-lock.json; node --version)
if [ "$(cat node_modules/.dagcells-stamp 2>/dev/null)" != "$npm_stamp" ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_stamp" > node_modules/.dagcells-stamp
fi
# tslab depends on @types/node 18 while the project uses 20, so npm nests tslab's
# copy in node_modules/tslab/node_modules: tslab falls back to it, which is what
# makes console, process and Buffer type-check in notebooks outside the project.
[ -f node_modules/tslab/node_modules/@types/node/package.json ] ||
  fail "node_modules/tslab/node_modules/@types/node is missing: the lock file no longer nests tslab's @types/node."

# --- Python environment --------------------------------------------------------
if [ ! -x "$venv/bin/python" ]; then
  say "creating the Python environment in .venv"
  "$python" -m venv "$venv" || fail "could not create .venv (on Debian: apt-get install python3-venv)."
fi
py_stamp=$(digest scripts/requirements.txt; "$venv/bin/python" --version)
if [ "$(cat "$venv/.dagcells-requirements" 2>/dev/null)" != "$py_stamp" ]; then
  say "installing Python packages (scripts/requirements.txt)"
  pip_install -r scripts/requirements.txt
  echo "$py_stamp" > "$venv/.dagcells-requirements"
fi

# --- build -----------------------------------------------------------------------
bash scripts/build.sh
# npm links a workspace's command only when its file exists at install time, which
# it does not before the first build: link `npx dagcells` now that it is built.
[ -e node_modules/.bin/dagcells ] || npm rebuild dagcells --ignore-scripts --loglevel=error >/dev/null

# --- this extension, installed into the environment -----------------------------
ext_stamp=$(digest pyproject.toml package.json install.json; echo "$root")
if [ "$(cat "$venv/.dagcells-extension" 2>/dev/null)" != "$ext_stamp" ]; then
  say "installing the extension into .venv"
  pip_install --no-deps --no-build-isolation -e .
  jupyter-builder develop --overwrite . >/dev/null 2>&1 || jupyter-builder develop --overwrite .
  echo "$ext_stamp" > "$venv/.dagcells-extension"
fi

# --- the tslab kernel, registered into the environment ----------------------------
tslab_bin=$root/node_modules/.bin/tslab
kernel_json=$venv/share/jupyter/kernels/tslab/kernel.json
if ! grep -qF "\"$tslab_bin\"" "$kernel_json" 2>/dev/null; then
  say "registering the tslab kernel in .venv"
  "$tslab_bin" install --python="$venv/bin/python" --sys-prefix --binary="$tslab_bin" >/dev/null
fi
# --- dagcells for notebooks in any folder -----------------------------------------
# A notebook outside this folder has no node_modules to find dagcells in. The
# kernel gets this folder's node_modules on NODE_PATH (for require at run time),
# and tslab's own type root (the one it uses where no @types folder is found)
# declares the dagcells modules by re-exporting the package's declarations.
"$venv/bin/python" - "$kernel_json" "$root/node_modules" <<'PY'
import json, sys
path, modules = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
env = spec.setdefault("env", {})
if env.get("NODE_PATH") != modules:
    env["NODE_PATH"] = modules
    json.dump(spec, open(path, "w"))
PY
shim=$root/node_modules/tslab/node_modules/@types/dagcells
mkdir -p "$shim"
{
  echo '// Written by scripts/setup.sh: the dagcells modules for notebooks outside the project.'
  for sub in "" /artifacts /analysis /notebook /export; do
    echo "declare module \"dagcells$sub\" { export * from \"dagcells/dist${sub:-}/index\"; }"
  done
} > "$shim/index.d.ts"
echo '{ "name": "@types/dagcells", "version": "0.0.0", "types": "index.d.ts" }' > "$shim/package.json"
say "ready"
