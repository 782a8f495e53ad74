#!/usr/bin/env bash
# Installs whatever the portal needs and is missing; safe to run again (each step checks first).
# Tools and the cargo target dir live outside the clone so a fresh clone reuses them.
set -euo pipefail

CACHE="${APM_PORTAL_CACHE:-$HOME/.cache/apm-portal}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
TOOLS="$CACHE/tools"
mkdir -p "$TOOLS/bin" "$CARGO_TARGET_DIR"
export PATH="$TOOLS/bin:$TOOLS/node_modules/.bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# One setup at a time per cache: two checkouts starting together would otherwise both build
# cargo-leptos (20 minutes of CPU each) into the same folder.
exec 9>"$CACHE/setup.lock"
flock 9

want_tests="${1:-}"

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos 0.3.11+ needs a newer rustc than this machine's 1.95.
if ! cargo-leptos --version 2>/dev/null | grep -q '0.3.10'; then
  say "installing cargo-leptos 0.3.10 (takes 15-25 minutes once)"
  cargo install cargo-leptos --version 0.3.10 --locked --root "$TOOLS"
fi

# The CLI must match the wasm-bindgen crate pinned in Cargo.toml; cargo-leptos would
# otherwise try to download one, which fails on these machines.
WB_VERSION=0.2.130
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WB_VERSION"; then
  say "installing wasm-bindgen-cli $WB_VERSION"
  # no --locked: with it a yanked transitive crate breaks the install
  cargo install wasm-bindgen-cli --version "=$WB_VERSION" --root "$TOOLS"
fi

# wasm-opt from npm's binaryen: Debian's is too old for current rustc output.
if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
  say "installing wasm-opt (npm binaryen)"
  (cd "$TOOLS" && npm install --no-audit --no-fund --prefix "$TOOLS" binaryen@132 >/dev/null)
fi

if [ "$want_tests" = "--tests" ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    say "installing Debian chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -d "$(dirname "$0")/../end2end/node_modules/@playwright/test" ]; then
    say "installing Playwright (browser tests use Debian chromium, no download)"
    (cd "$(dirname "$0")/../end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
  fi
  # A real SMTP server for the mail tests (its REST API shows what arrived). In its own
  # folder under the tools cache, apart from binaryen's.
  if [ ! -x "$TOOLS/maildev/node_modules/.bin/maildev" ]; then
    say "installing maildev (SMTP server for the mail tests)"
    mkdir -p "$TOOLS/maildev"
    npm install --no-audit --no-fund --loglevel=error --prefix "$TOOLS/maildev" maildev@3.0.0 >/dev/null
  fi
  if ! command -v cargo-nextest >/dev/null 2>&1; then
    : # cargo test is used; nextest is optional
  fi
fi
say "tools ready"
