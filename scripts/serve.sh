#!/usr/bin/env bash
# Create the environment, install the server, and run it on SQLite (the default).
# Extra arguments go to `serve`, e.g.: scripts/serve.sh --workers 4 --listen :8065
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh ""   # no extras
.venv/bin/python -m api.cli config init
exec .venv/bin/python -m api.cli serve "$@"
