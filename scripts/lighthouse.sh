#!/usr/bin/env bash
# Lighthouse mobile figures (issue 15) for /login and the logged-in /dashboard of the release
# build: performance score, LCP, CLS, total blocking time, time to interactive. Lighthouse
# comes from npm (installed once under the tools cache) and drives Debian's Chromium; nothing
# else is downloaded, and it only talks to the local portal.
#
#   bash scripts/lighthouse.sh              # builds first (scripts/build-release.sh)
#   bash scripts/lighthouse.sh --no-build   # uses the last release build
# Environment: LH_PORT (3933), LH_RUNS (3: the median run of each page is reported), LH_KEEP
# (a folder: the JSON reports are copied there, to read long tasks and the LCP breakdown).
# Lighthouse's default mobile profile simulates a mid-range phone on a slow 4G link from a
# trace of this machine, so a busy machine scores lower: compare runs on a quiet one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
port="${LH_PORT:-3933}"
runs="${LH_RUNS:-3}"
base="http://127.0.0.1:$port"
lh="$CACHE/tools/lighthouse/node_modules/.bin/lighthouse"
if [ ! -x "$lh" ]; then
  mkdir -p "$CACHE/tools/lighthouse"
  npm install --no-audit --no-fund --loglevel=error --prefix "$CACHE/tools/lighthouse" lighthouse@12 >/dev/null
fi
command -v chromium >/dev/null || { echo "chromium is missing: bash scripts/setup.sh --tests" >&2; exit 1; }

if [ "${1:-}" != "--no-build" ]; then
  bash scripts/build-release.sh
fi

work="$(mktemp -d)"
APM_LISTEN="127.0.0.1:$port" DATABASE_URL="sqlite://$work/lh.db" LEPTOS_SITE_ROOT=target/site \
  APM_AUTH_RATE_PER_MINUTE=100000 RUST_LOG=warn APM_MAIL_OUTBOX_DIR="$work/outbox" \
  "$CARGO_TARGET_DIR/release/apm-portal" serve --demo > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 150); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done

# The demo customer's session, as a browser would hold it after logging in.
jar="$work/cookies"
curl -fsS -c "$jar" -o /dev/null -H "Origin: $base" -H 'Accept: application/json' \
  --data-urlencode login_id=demo --data-urlencode 'password=Demo-portal-2026!' "$base/api/auth/login"
session=$(awk '$6 ~ /apm_session/ {print $6"="$7}' "$jar")

audit() {
  local name="$1" path="$2" headers="$3"
  local i
  for i in $(seq 1 "$runs"); do
    CHROME_PATH=/usr/bin/chromium "$lh" "$base$path" --quiet --output=json \
      --output-path="$work/$name-$i.json" --only-categories=performance,best-practices \
      --chrome-flags="--headless=new --no-sandbox" --extra-headers="$headers" >/dev/null 2>&1
  done
  node -e '
    const fs = require("fs");
    const [dir, name, runs] = process.argv.slice(1);
    const rows = [];
    for (let i = 1; i <= Number(runs); i++) {
      const r = JSON.parse(fs.readFileSync(`${dir}/${name}-${i}.json`, "utf8"));
      const a = r.audits;
      rows.push({
        score: Math.round(r.categories.performance.score * 100),
        lcp: a["largest-contentful-paint"].numericValue,
        cls: a["cumulative-layout-shift"].numericValue,
        tbt: a["total-blocking-time"].numericValue,
        tti: a["interactive"].numericValue,
        errors: a["errors-in-console"] ? (a["errors-in-console"].details?.items ?? []).length : "n/a",
      });
    }
    rows.sort((x, y) => x.score - y.score);
    const m = rows[Math.floor(rows.length / 2)];
    console.log(`${name.padEnd(12)} score ${m.score}  LCP ${(m.lcp / 1000).toFixed(2)} s  CLS ${m.cls.toFixed(3)}  TBT ${Math.round(m.tbt)} ms  TTI ${(m.tti / 1000).toFixed(2)} s  console errors ${m.errors}  (median of ${runs}; scores ${rows.map(r => r.score).join(", ")})`);
  ' "$work" "$name" "$runs"
}

echo "== Lighthouse mobile (performance), load average $(cut -d' ' -f1-3 /proc/loadavg)"
audit login /login '{}'
audit dashboard /dashboard "{\"Cookie\": \"$session\"}"

if [ -n "${LH_KEEP:-}" ]; then
  mkdir -p "$LH_KEEP"
  cp "$work"/*.json "$LH_KEEP"/
fi
