#!/usr/bin/env bash
# What a browser downloads before a page is interactive, brotli as served: the HTML and every
# file its <head> loads (CSS), plus, on a page with islands, the JS glue and the WASM its island
# loader fetches (src/bundle.rs). Counting those is the strict reading: a page is usable before
# they arrive (its forms are plain HTML); a page without islands fetches neither (issue 15).
# Prints one line per file and the total; with a budget, fails when the total is above it.
#
#   scripts/first-load.sh BASE_URL PATH [BUDGET_KB] [COOKIE_JAR]
#   scripts/first-load.sh http://127.0.0.1:3000 /login 200
set -euo pipefail
base="${1:?base URL}"
path="${2:?page path}"
budget_kb="${3:-}"
jar="${4:-}"
cookie_args=()
[ -n "$jar" ] && cookie_args=(-b "$jar")

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
# The page as served, and as a browser receives it (brotli when the server compresses it).
html_bytes=$(curl -fsS "${cookie_args[@]}" -H 'Accept-Encoding: br' -o /dev/null -w '%{size_download}' "$base$path")
curl -fsS "${cookie_args[@]}" -o "$tmp" "$base$path"

total=$html_bytes
printf '%-60s %9s\n' "file ($path)" "brotli B"
printf '%-60s %9d\n' "$path (HTML)" "$html_bytes"
# Every <link> the head asks for early: modulepreload (JS), preload (WASM), stylesheet.
hrefs=$(grep -o '<link[^>]*>' "$tmp" \
  | grep -E 'rel="(modulepreload|preload|stylesheet)"' \
  | sed -E 's/.*href="([^"]*)".*/\1/' | sort -u)
# The island loader's two files, named in its inline call: ...("/pkg/x.js", "/pkg/x.wasm");
if grep -q '<leptos-island' "$tmp"; then
  hrefs="$hrefs $(grep -oE '"/[^"]+\.(js|wasm)"' "$tmp" | tr -d '"' | sort -u)"
fi
for href in $hrefs; do
  bytes=$(curl -fsS -H 'Accept-Encoding: br' -o /dev/null -w '%{size_download}' "$base$href")
  total=$((total + bytes))
  printf '%-60s %9d\n' "$href" "$bytes"
done
printf '%-60s %9d  (%d KB)\n' "total first load" "$total" "$((total / 1024))"

if [ -n "$budget_kb" ] && [ "$total" -gt $((budget_kb * 1024)) ]; then
  echo "FIRST-LOAD BUDGET EXCEEDED: $path needs $((total / 1024)) KB, the budget is $budget_kb KB" >&2
  exit 1
fi
