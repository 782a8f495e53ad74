# Sourced by the scripts: where the cached build and tools live (outside the clone, so a
# fresh clone reuses them) and the PATH that finds them.
CACHE="${APM_PORTAL_CACHE:-$HOME/.cache/apm-portal}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
export PATH="$CACHE/tools/bin:$CACHE/tools/node_modules/.bin:$PATH"
