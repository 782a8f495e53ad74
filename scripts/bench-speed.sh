#!/usr/bin/env bash
# Rerunnable speed benchmark (issue 15): first-load bytes per route and server throughput.
# Starts the release build on a fresh SQLite database with the demo data, logs the demo
# customer in, gives it three projects, then measures:
#   1. first load (brotli) of /, /login, /signup, /dashboard and a project page
#      (scripts/first-load.sh: the HTML plus everything its head preloads);
#   2. wrk at 64 connections, in one run: /healthz, then each page right after a static file
#      of its own size (the issue's ratio: a page against the same server returning a static
#      file of the same size): /login, the logged-in /dashboard and the project page.
#
#   bash scripts/bench-speed.sh              # builds first (scripts/build-release.sh)
#   bash scripts/bench-speed.sh --no-build   # uses the last release build
# Environment: BENCH_PORT (3931), BENCH_SECONDS (8), BENCH_CONNECTIONS (64), BENCH_BACKEND
# (sqlite, or postgres: a fresh database on 127.0.0.1:5432, user postgres, dropped after),
# BENCH_BIN (the server binary; default the last release build: set it to an older build,
# with --no-build, for a before/after on one machine).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
port="${BENCH_PORT:-3931}"
secs="${BENCH_SECONDS:-8}"
conns="${BENCH_CONNECTIONS:-64}"
base="http://127.0.0.1:$port"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

if [ "${1:-}" != "--no-build" ]; then
  bash scripts/build-release.sh
fi

work="$(mktemp -d)"
database="sqlite://$work/bench.db"
pg_name=""
if [ "${BENCH_BACKEND:-sqlite}" = postgres ]; then
  pg_name="bench_speed_$$"
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $pg_name"
  database="postgres://postgres@127.0.0.1:5432/$pg_name"
fi
# A copy of the site, to put the static files of each page's size in (below).
cp -r target/site "$work/site"
APM_LISTEN="127.0.0.1:$port" DATABASE_URL="$database" LEPTOS_SITE_ROOT="$work/site" \
  APM_AUTH_RATE_PER_MINUTE=100000 RUST_LOG=warn APM_MAIL_OUTBOX_DIR="$work/outbox" \
  "${BENCH_BIN:-$CARGO_TARGET_DIR/release/apm-portal}" serve --demo > "$work/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  if [ -n "$pg_name" ]; then
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $pg_name" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 150); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done

# The demo customer, logged in like a browser without JavaScript, with three projects.
jar="$work/cookies"
curl -fsS -c "$jar" -o /dev/null -H "Origin: $base" -H 'Accept: application/json' \
  --data-urlencode login_id=demo --data-urlencode 'password=Demo-portal-2026!' "$base/api/auth/login"
# The demo data already gives the customer some projects; add paid ones up to three.
have=$(curl -fsS -b "$jar" "$base/api/v1/projects" | grep -o '"prefix":' | wc -l)
for i in $(seq $((have + 1)) 3); do
  curl -fsS -b "$jar" -o /dev/null -H "Origin: $base" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Bench $i\",\"prefix\":\"bench$i-$RANDOM\",\"plan\":\"paid\"}" "$base/api/v1/projects"
done
project=$(curl -fsS -b "$jar" "$base/api/v1/projects" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
session=$(awk '$6 ~ /apm_session/ {print $6"="$7}' "$jar")

echo "== first load (brotli, as served)"
summary=""
for route in / /login /signup /dashboard "/projects/$project"; do
  out=$(bash scripts/first-load.sh "$base" "$route" "" "$jar")
  echo "$out"
  summary+=$(printf '%-22s %s\n' "$route" "$(echo "$out" | tail -1 | awk '{print $(NF-1), $NF}')")$'\n'
done
echo
echo "$summary"

# A static file of each page's size, served by the very route the WASM comes from (/pkg).
static_like() {
  local name="$1" size
  size=$(curl -fsS "${@:2}" | wc -c)
  awk -v n="$size" 'BEGIN { while (n-- > 0) printf "a" }' > "$work/site/pkg/bench-$name.html"
  echo "$size"
}
login_size=$(static_like login "$base/login")
dashboard_size=$(static_like dashboard -b "$jar" "$base/dashboard")
project_size=$(static_like project -b "$jar" "$base/projects/$project")

echo "== wrk -t2 -c$conns -d${secs}s (one run, same machine as the server)"
printf '%-26s %10s %9s %9s %9s\n' "target" "req/s" "p50" "p99" "max"
run() {
  local name="$1"; shift
  local out
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@")
  local rps p50 p99 max
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  max=$(echo "$out" | awk '/Latency/ && !/Distribution/ {print $4; exit}')
  local errs
  errs=$(echo "$out" | grep -E 'Non-2xx|Socket errors' || true)
  printf '%-26s %10s %9s %9s %9s %s\n' "$name" "$rps" "$p50" "$p99" "$max" "$errs"
}
run "/healthz" "$base/healthz"
run "static ${login_size} B" "$base/pkg/bench-login.html"
run "/login" "$base/login"
run "static ${dashboard_size} B" "$base/pkg/bench-dashboard.html"
run "/dashboard (3 projects)" -H "Cookie: $session" "$base/dashboard"
run "static ${project_size} B" "$base/pkg/bench-project.html"
run "/projects/$project" -H "Cookie: $session" "$base/projects/$project"
run "/login, brotli" -H 'Accept-Encoding: br' "$base/login"
