# Shared by run.sh and test.sh: install what a fresh Debian/Ubuntu machine is missing.
# Sourced, not run.

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# Each step says how long the script has run (bash's SECONDS), to see where the minutes go.
say() { printf '\033[1m==> [%d:%02d] %s\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Install the Debian packages named, if any is missing.
need_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# Packages the app needs to build and run (Tauri v2 on WebKitGTK 4.1).
# fonts-noto-color-emoji: a name typed with an emoji shows as that emoji, not as empty boxes.
APP_PACKAGES=(build-essential pkg-config curl ca-certificates libssl-dev libwebkit2gtk-4.1-dev fonts-dejavu-core fonts-noto-color-emoji)
# Packages the tests need on top: virtual displays (the E2E harness starts an Xvfb for each
# window), the WebKit WebDriver, PDF and QR tools,
# and PostgreSQL (the tests run it as a throwaway cluster with pg_virtualenv).
# dpkg-dev, desktop-file-utils, lintian and appstream check the package the test command builds;
# faketime sets a clock a day ahead for the backups test. cups and cups-client: the printer tests
# run a CUPS scheduler of their own (tests/common/cups.rs) with socket-listener printers; the
# machine's own scheduler and printers are never used. python3 runs scripts/feature-sets.py
# and scripts/run-tests.py.
TEST_PACKAGES=(python3 xvfb webkit2gtk-driver poppler-utils zbar-tools postgresql postgresql-common dpkg-dev desktop-file-utils faketime lintian appstream curl cups cups-client)
# The core's behavioural tests that run a second time on PostgreSQL (one test body, two
# engines). The others are about the SQLite file itself: backups, journals, damaged files.
PG_TESTS=(allocation attendees audit badges capacity checkin concurrency coordinator dashboard door export programme vetting protocol printers
  hardening import properties search request postgres pg_restart crash)

# A Rust toolchain: the one on the PATH, else ~/.cargo/bin, else rustup's installer.
need_rust() {
  if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    say "Installing the Rust toolchain (rustup)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component rustfmt,clippy
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
}

# Clippy's lints, with every warning an error, as `cargo clippy --workspace --all-targets --
# -D warnings` gives them, but in the debug builds the tests need anyway. `cargo clippy` runs
# clippy-driver in place of rustc for the workspace's own crates in a check-only build, which
# compiles all of their dependencies a second time, as metadata (three minutes of a cold run).
# Here clippy-driver is the compiler of the workspace's own crates in ordinary builds, so every
# dependency is compiled once. Every debug build after this keeps it: cargo counts it in what
# it remembers of a build, so a build without it would compile the workspace's crates again.
# Release builds go without (clippy-driver turns MIR optimisations off).
lints_in_builds() {
  local driver
  driver=$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver || true)
  if [ -z "$driver" ]; then
    echo "error: clippy-driver not found; with rustup: rustup component add clippy" >&2
    exit 1
  fi
  export RUSTC_WORKSPACE_WRAPPER="$driver"
  export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
}

# Tauri's command-line tool (icons, bundles), pinned, from the npm registry: the package
# ships its binary, so nothing is compiled. Installed under target/, not on the system.
TAURI_CLI_VERSION=2.12.6
tauri_cli() {
  local dir="${CARGO_TARGET_DIR:-$ROOT/target}/tauri-cli"
  if [ "$("$dir/node_modules/.bin/tauri" --version 2>/dev/null)" != "tauri-cli $TAURI_CLI_VERSION" ]; then
    command -v npm >/dev/null 2>&1 || need_packages nodejs npm
    say "Installing Tauri's command-line tool $TAURI_CLI_VERSION (npm)"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --silent "@tauri-apps/cli@$TAURI_CLI_VERSION"
  fi
  "$dir/node_modules/.bin/tauri" "$@"
}

# tauri-driver, the WebDriver server the end-to-end tests (and the screenshots) drive the
# window through.
need_tauri_driver() {
  if ! command -v tauri-driver >/dev/null 2>&1; then
    say "Installing tauri-driver"
    cargo install tauri-driver --version '^2' --locked
  fi
}

# axe-core, the accessibility checker the end-to-end tests run inside the window: one pinned
# version from the npm registry, its checksum checked, kept in target/ (never committed).
AXE_VERSION=4.14.1
AXE_SHA256=e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
need_axe() {
  local dir="${CARGO_TARGET_DIR:-$ROOT/target}/axe-core-$AXE_VERSION"
  if [ ! -f "$dir/axe.min.js" ]; then
    say "Fetching axe-core $AXE_VERSION from the npm registry"
    mkdir -p "$dir"
    local tgz="$dir/axe-core.tgz"
    curl -fsSL -o "$tgz" "https://registry.npmjs.org/axe-core/-/axe-core-$AXE_VERSION.tgz"
    if ! echo "$AXE_SHA256  $tgz" | sha256sum -c --quiet -; then
      rm -f "$tgz"
      echo "error: axe-core-$AXE_VERSION.tgz does not have the pinned checksum" >&2
      exit 1
    fi
    tar -xzf "$tgz" -C "$dir" --strip-components=1 package/axe.min.js
    rm -f "$tgz"
  fi
  export DELEGATE_DESK_AXE="$dir/axe.min.js"
}

# How many end-to-end tests drive windows at once: AT_ONCE in tests/e2e/src/lib.rs, which gives
# each window an X server of its own (Xvfb). One at a time the windows left the two cores idle
# a third of the time; three at once keep them 91 % busy (docs/speed.md).
E2E_AT_ONCE=3

# The package scripts/package.sh writes and scripts/check-package.sh checks.
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)
package_deb() {
  echo "${CARGO_TARGET_DIR:-$ROOT/target}/package/delegate-desk_${VERSION}_$(dpkg --print-architecture).deb"
}
