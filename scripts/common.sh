# Shared by run.sh and test.sh: install what a fresh Debian/Ubuntu machine is missing.
# Sourced, not run.

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

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
# Packages the tests need on top: a virtual display, the WebKit WebDriver, PDF and QR tools,
# and PostgreSQL (the tests run it as a throwaway cluster with pg_virtualenv).
TEST_PACKAGES=(xvfb xauth webkit2gtk-driver poppler-utils zbar-tools postgresql postgresql-common)
# The core's behavioural tests that run a second time on PostgreSQL (one test body, two
# engines). The others are about the SQLite file itself: backups, journals, damaged files.
PG_TESTS=(allocation attendees audit badges capacity checkin concurrency coordinator dashboard export
  hardening import properties search request postgres pg_restart)

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
