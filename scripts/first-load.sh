#!/usr/bin/env bash
# What a browser downloads before a page is interactive, brotli as served: the HTML and every
# file its <head> preloads (JS glue, main WASM, the route's WASM chunks, the split loader, CSS).
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
# leptos 0.8 (leptos_integration_utils 0.8.9) now and then renders a page without the
# <link rel="preload"> of its route's chunks (the browser then fetches the same chunks a
# moment later, after the main module starts). The bytes are the same either way, so count
# them from the fullest of a few renders.
best=-1
for _ in 1 2 3 4 5; do
  curl -fsS "${cookie_args[@]}" -o "$tmp.try" "$base$path"
  n=$(grep -o '<link[^>]*>' "$tmp.try" | grep -c 'rel="preload"' || true)
  if [ "$n" -gt "$best" ]; then best=$n; mv "$tmp.try" "$tmp"; fi
done
rm -f "$tmp.try"

total=$html_bytes
printf '%-60s %9s\n' "file ($path)" "brotli B"
printf '%-60s %9d\n' "$path (HTML)" "$html_bytes"
# Every <link> the head asks for early: modulepreload (JS), preload (WASM), stylesheet.
hrefs=$(grep -o '<link[^>]*>' "$tmp" \
  | grep -E 'rel="(modulepreload|preload|stylesheet)"' \
  | sed -E 's/.*href="([^"]*)".*/\1/' | sort -u)
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
