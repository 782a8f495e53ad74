#!/usr/bin/env bash
# One command: install what is missing, build, and serve the portal with the embedded SQLite
# database (./data/portal.db, created and migrated on first start) and the demo log-ins.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
bash scripts/build-release.sh
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
exec "$CARGO_TARGET_DIR/release/apm-portal" serve --demo
