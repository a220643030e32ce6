#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh) and opens JupyterLab on notebooks/ with the
# dagcells extension and the tslab kernel.
#   npm start                      opens JupyterLab in your browser
#   npm start -- --headless        prints the URL (with its token) instead
#   npm start -- --port 8899       another port (default 8888, or the next free one)
set -euo pipefail
cd "$(dirname "$0")/.."
headless=false
port=8888
while [ $# -gt 0 ]; do
  case "$1" in
    --headless) headless=true ;;
    --port) port=$2; shift ;;
    --port=*) port=${1#--port=} ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "npm start: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
token=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
args=(--ServerApp.ip=127.0.0.1 --ServerApp.port="$port" --ServerApp.port_retries=50
      --ServerApp.root_dir="$PWD/notebooks" --IdentityProvider.token="$token")
[ "$(id -u)" = 0 ] && args+=(--allow-root)
if $headless; then
  args+=(--no-browser)
  # JupyterLab logs its address with the token once it listens; repeat it plainly.
  exec jupyter lab "${args[@]}" 2> >(while IFS= read -r line; do
    printf '%s\n' "$line" >&2
    case "$line" in
      *"http://127.0.0.1:"*"token="*)
        # JupyterLab masks the token in its log ("token=..."): print the URL to open.
        url=${line##* }
        url="${url%%\?*}?token=$token"
        [ -n "${printed:-}" ] || { printf '\nJupyterLab is running:\n  URL:   %s\n  token: %s\n\n' "$url" "$token"; printed=1; } ;;
    esac
  done)
else
  exec jupyter lab "${args[@]}"
fi
