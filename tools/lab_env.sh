#!/usr/bin/env bash
# Creates (once) the Python virtual environment with JupyterLab and the plotly renderer that
# `deno task lab`, .ci/run and the real-client tests (tests/jupyterlab_test.ts) use, and prints
# its path. It lives outside the clone, in ~/.cache/mnist-from-scratch/jupyterlab-venv
# ($MNIST_LAB_VENV overrides it), so a fresh clone or a CI run does not reinstall it.
#
# A virtual environment, not `pip install` into the system Python: Debian 12 and other
# distributions mark theirs as externally managed (PEP 668) and pip refuses. plotly >= 6.1:
# plotly.py below 5.19 bundles a plotly.js older than 2.28, which silently draws blank digits for
# our byte-encoded image grids, and 6.1 re-added the JupyterLab 4 renderer.
set -euo pipefail
venv="${MNIST_LAB_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/mnist-from-scratch/jupyterlab-venv}"
packages=(jupyterlab "plotly>=6.1")
# Offline, pip retries every package five times with back-off (minutes): once is enough.
export PIP_RETRIES="${PIP_RETRIES:-1}"
if [ -x "$venv/bin/jupyter-lab" ] && "$venv/bin/python" -c "import plotly" 2>/dev/null; then
  echo "$venv"
  exit 0
fi
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3) || {
  echo "lab_env: error: no python3 found: install it (Debian: apt-get install python3 python3-venv)" >&2
  exit 1
}
echo "lab_env: creating $venv with ${packages[*]} (once)" >&2
mkdir -p "$(dirname "$venv")"
if ! "$python" -m venv "$venv" >&2; then
  rm -rf "$venv"
  echo "lab_env: error: '$python -m venv' failed: install venv (Debian: apt-get install python3-venv)" >&2
  exit 1
fi
if ! "$venv/bin/pip" install --quiet "${packages[@]}" >&2; then
  rm -rf "$venv" # no half-made environment that looks installed next time
  echo "lab_env: error: pip could not install ${packages[*]} (no network or package index?)" >&2
  exit 1
fi
echo "$venv"
