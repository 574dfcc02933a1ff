#!/usr/bin/env bash
# Install what is missing and run every test: formatting and lints, the core's unit and
# integration tests (with the CLI and the concurrency race) on an SQLite file and again on a
# throwaway PostgreSQL cluster, the commands through Tauri's IPC, the Debian package (built and
# checked), and the end-to-end tests through the packaged window under Xvfb (two windows on
# one server among them).
source "$(dirname "$0")/common.sh"
need_packages "${APP_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
need_rust
need_tauri_driver
need_axe
# The printer tests must run here: without cupsd they fail instead of skipping.
export DELEGATE_DESK_TEST_CUPS=1

# A first run writes about 8 GB under target/; with less room the linker dies with a bus
# error far into the run, so say so at the start.
target_dir=${CARGO_TARGET_DIR:-$ROOT/target}
[ -d "$target_dir" ] || target_dir=$(dirname "$target_dir")
free_kb=$(df -Pk "$target_dir" 2>/dev/null | awk 'NR == 2 { print $4 }' || true)
if [ -n "$free_kb" ] && [ "$free_kb" -lt $((9 * 1024 * 1024)) ]; then
  echo "warning: only $((free_kb / 1024 / 1024)) GB free for the build; a first run needs about 8 GB" >&2
fi

# Tests write only in folders of their own: the real output folder (where the window puts
# badges, rosters and exports) must be the same at the end as at the start.
real_output_dirs=("$HOME/Delegate Desk")
documents=$(xdg-user-dir DOCUMENTS 2>/dev/null || true)
if [ -n "$documents" ] && [ "$documents" != "$HOME" ]; then real_output_dirs+=("$documents/Delegate Desk"); fi
listing() {
  for d in "${real_output_dirs[@]}"; do
    if [ -d "$d" ]; then find "$d" -printf '%p %s %T@\n'; fi
  done | sort
}
OUTPUT_BEFORE=$(listing)

# Every cargo test's output also goes to this log, to add up the results at the end.
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT
count() { tee -a "$RESULTS"; }

say "Formatting"
cargo fmt --all --check

say "One feature set per dependency of the core (else a cold run compiles it twice)"
python3 scripts/feature-sets.py

say "The core does not depend on Tauri"
if cargo tree -p delegate-desk -e normal,build | grep -i tauri; then
  echo "error: the core library depends on Tauri (see above)" >&2
  exit 1
fi

# The lints are clippy's, made in the debug builds the tests use (lints_in_builds, common.sh).
lints_in_builds

# Every target: the benchmarks too (cargo bench -p delegate-desk), built unoptimised here; their
# optimised build is left to whoever runs them (it took 7 of the 38 minutes of a cold run).
say "Lints: every target of the workspace built for the tests, clippy -D warnings"
cargo test -p delegate-desk --all-targets --no-run
cargo test -p delegate-desk-app --all-targets --no-run
cargo test -p delegate-desk-e2e --all-targets --no-run

# Two test programs at a time (scripts/run-tests.py): one after another, the last and longest
# tests of each program left a core idle (63 s against 89 s). Not on PostgreSQL: there the
# programs slow each other down as much as they gain (189 s against 194 s).
say "Core: unit, integration, CLI and concurrency tests"
./scripts/run-tests.py --jobs 2 -- -p delegate-desk 2>&1 | count

say "Core on PostgreSQL: the same tests on a throwaway cluster (pg_virtualenv)"
pg_tests=()
for t in "${PG_TESTS[@]}"; do pg_tests+=(--test "$t"); done
pg_virtualenv env DELEGATE_DESK_TEST_PG=1 cargo test -p delegate-desk "${pg_tests[@]}" 2>&1 | count

say "Shell: commands through Tauri's IPC (mock runtime)"
cargo test -p delegate-desk-app 2>&1 | count

say "The package: build the .deb (release) and check it as an installer would"
./scripts/package.sh
./scripts/check-package.sh 2>&1 | count

# The end-to-end tests drive the release window the package holds (production asset
# protocol), so what they prove is what a desk installs.
export DELEGATE_DESK_APP="${CARGO_TARGET_DIR:-$ROOT/target}/release/delegate-desk"

say "End to end: the real window under Xvfb"
cargo test -p delegate-desk-e2e -- --test-threads="$E2E_AT_ONCE" 2>&1 | count

say "End to end on PostgreSQL: two windows on one server (pg_virtualenv)"
pg_virtualenv env DELEGATE_DESK_TEST_PG=1 \
  cargo test -p delegate-desk-e2e --test e2e -- --test-threads="$E2E_AT_ONCE" several_desks:: 2>&1 | count

say "No test wrote into the real output folder"
if [ "$(listing)" != "$OUTPUT_BEFORE" ]; then
  echo "error: tests wrote into the real output folder (${real_output_dirs[*]}):" >&2
  diff <(echo "$OUTPUT_BEFORE") <(listing) >&2 || true
  exit 1
fi

awk '/^test result:/ { p += $4; f += $6 } END { printf "tests: %d passed, %d failed\n", p, f }' "$RESULTS"
