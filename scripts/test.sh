#!/usr/bin/env bash
# One command: install what is missing, then run every check and test: formatting, clippy
# (server and browser builds), unit and integration tests on SQLite and PostgreSQL, and the
# Playwright browser tests (desktop and phone) against a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
source scripts/env.sh
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format"
cargo fmt --check

step "clippy (ssr, hydrate)"
cargo clippy --all-targets --features ssr -- -D warnings
cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "SMTP test server (maildev)"
# On free ports, so several checkouts can test at once; the mail tests read its REST API.
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
smtp_port="$(free_port)"; maildev_port="$(free_port)"
"$CACHE/tools/maildev/node_modules/.bin/maildev" --ip 127.0.0.1 --web-ip 127.0.0.1 \
  --smtp "$smtp_port" --web "$maildev_port" --silent > /tmp/apm-maildev.log 2>&1 &
maildev_pid=$!
cleanup() { kill "$maildev_pid" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$maildev_port/api/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$maildev_port/api/healthz" >/dev/null || { cat /tmp/apm-maildev.log; exit 1; }
export APM_TEST_SMTP_URL="smtp://127.0.0.1:$smtp_port" APM_TEST_MAILDEV_URL="http://127.0.0.1:$maildev_port"

step "unit and integration tests (SQLite and PostgreSQL)"
# In CI the PostgreSQL half is required: the tests fail instead of skipping when it is down.
cargo test --features ssr 2>&1 | tee /tmp/apm-cargo-test.log
grep -q "skipping PostgreSQL test" /tmp/apm-cargo-test.log && [ -n "${CI:-}" ] && { echo "PostgreSQL tests were skipped in CI"; exit 1; }

step "release build"
bash scripts/build-release.sh

step "start the release build for the browser tests"
port="${E2E_PORT:-3917}"
# Something else answering on the port would be measured and tested instead of this build.
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then
  echo "port $port is already in use (set E2E_PORT to a free port, or stop what listens there)" >&2
  exit 1
fi
dbdir="$(mktemp -d)"
APM_LISTEN="127.0.0.1:$port" DATABASE_URL="sqlite://$dbdir/e2e.db" LEPTOS_SITE_ROOT=target/site \
  APM_AUTH_RATE_PER_MINUTE=10000 RUST_LOG=warn APM_MAIL_OUTBOX_DIR="$dbdir/outbox" \
  "$CARGO_TARGET_DIR/release/apm-portal" serve --demo > "$dbdir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dbdir"; cleanup' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
step "first-load budget (brotli: HTML + everything the page preloads)"
# Growth is caught here, not by customers on phones. The issue 15 goal is 200 KB each; these
# are ratchets a little above what the pages weigh with islands (README "Pages on a phone"):
# /login and / load no JavaScript or WASM at all (~5 KB), so an island appearing on them, or
# the islands bundle growing on /signup (~125 KB), is a decision someone makes on purpose.
for budget in /login:16 /:16 /signup:150; do
  bash scripts/first-load.sh "http://127.0.0.1:$port" "${budget%%:*}" "${budget##*:}" \
    || { tail -20 "$dbdir/server.log"; exit 1; }
done

step "browser tests (Playwright + Debian Chromium, desktop and phone)"
(cd end2end && E2E_BASE_URL="http://127.0.0.1:$port" npx playwright test) || { tail -50 "$dbdir/server.log"; exit 1; }
echo "all checks passed"
