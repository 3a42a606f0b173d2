#!/usr/bin/env bash
# `deno task lab`: the course in JupyterLab in one command. Creates the virtual environment with
# JupyterLab and plotly if missing (tools/lab_env.sh), registers the Deno kernel, and starts
# JupyterLab on 127.0.0.1 (not reachable from other machines) in notebooks/.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(bash tools/lab_env.sh)
deno jupyter --install --force
root=()
[ "$(id -u)" -eq 0 ] && root=(--allow-root) # containers often run as root; Jupyter refuses it unasked
exec "$venv/bin/jupyter-lab" --ip=127.0.0.1 --ServerApp.root_dir=notebooks "${root[@]}" "$@"
