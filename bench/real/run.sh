#!/usr/bin/env bash
# Recomputes the real panels' composition in Python (scanpy) and compares it with the site's
# numbers. Needs a build with ../shared beside the checkout (bash .ci/build-site).
#   VENV=/tmp/sbx-real-venv bash bench/real/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-/tmp/sbx-real-venv}
[ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import scanpy' 2>/dev/null || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q scanpy pyarrow; }
"$VENV/bin/python" -W ignore bench/real/panel_composition.py "$@"
