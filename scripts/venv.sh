# Sourced by serve.sh and test.sh: create .venv if needed and install the
# project into it, with the extras named in $1 (e.g. "test").
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ -n "${1:-}" ]; then
    .venv/bin/python -m pip install --quiet -e ".[$1]"
else
    .venv/bin/python -m pip install --quiet -e .
fi
