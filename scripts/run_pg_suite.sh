#!/bin/sh
# Run the core tests against a throwaway PostgreSQL server (tests/pg.py starts and removes it).
# Needs the server binaries (Debian: apt-get install postgresql; or EVALDESK_PG_BIN=/path/to/bin)
# and psycopg. Extra arguments go to pytest, e.g. scripts/run_pg_suite.sh -x -k postgres
set -eu
cd "$(dirname "$0")/.."
EVALDESK_TEST_PG_URL="${EVALDESK_TEST_PG_URL:-auto}" exec python -m pytest tests/core -q -p no:qt "$@"
