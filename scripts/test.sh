#!/usr/bin/env bash
# Create the environment, install the server with its test tools, and run the
# whole suite: against SQLite, and against a throwaway PostgreSQL the tests start
# themselves. Extra arguments go to pytest, e.g.: scripts/test.sh -k contract
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh test

# The PostgreSQL half needs the server binaries; install them where we can.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing PostgreSQL server binaries for the PostgreSQL half of the suite"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
            || echo "could not install PostgreSQL: its half of the suite will be skipped"
    else
        echo "no PostgreSQL server binaries: the PostgreSQL half of the suite will be skipped"
    fi
fi
exec .venv/bin/python -m pytest "$@"
