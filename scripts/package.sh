#!/usr/bin/env bash
# Build the installable Debian package of Delegate Desk with Tauri's bundler (release build,
# production asset protocol): the window (/usr/bin/delegate-desk) with its menu entry and
# icons, the command-line tool (/usr/bin/delegate-desk-cli) with its shell completions, and
# the licences. The package is written to target/package/delegate-desk_VERSION_ARCH.deb.
# Install it with: sudo apt install ./target/package/delegate-desk_*.deb
source "$(dirname "$0")/common.sh"
need_packages "${APP_PACKAGES[@]}" dpkg-dev
need_rust
target=${CARGO_TARGET_DIR:-$ROOT/target}
stage="$target/package-files"
out="$target/package"

say "Building the command-line tool (release)"
cargo build --release -p delegate-desk --bin delegate-desk-cli
cli="$target/release/delegate-desk-cli"
rm -rf "$stage" && mkdir -p "$stage" "$out"
for shell in bash zsh fish; do "$cli" completions "$shell" >"$stage/completions.$shell"; done

# The files beyond the app's own, with the absolute paths of this build.
cat >"$stage/tauri.package.json" <<JSON
{
  "bundle": {
    "linux": {
      "deb": {
        "files": {
          "/usr/bin/delegate-desk-cli": "$cli",
          "/usr/share/bash-completion/completions/delegate-desk-cli": "$stage/completions.bash",
          "/usr/share/zsh/vendor-completions/_delegate-desk-cli": "$stage/completions.zsh",
          "/usr/share/fish/vendor_completions.d/delegate-desk-cli.fish": "$stage/completions.fish",
          "/usr/share/doc/delegate-desk/copyright": "$ROOT/LICENSE",
          "/usr/share/doc/delegate-desk/LICENSE-DejaVu.txt": "$ROOT/src/badge/fonts/LICENSE-DejaVu.txt",
          "/usr/share/doc/delegate-desk/guide.md": "$ROOT/docs/guide.md",
          "/usr/share/doc/delegate-desk/screenshots": "$ROOT/docs/screenshots"
        }
      }
    }
  }
}
JSON

say "Building the app and its package (release; the first build takes several minutes)"
(cd src-tauri && tauri_cli build --bundles deb --config "$stage/tauri.package.json" --ci)

built=$(ls -t "$target"/release/bundle/deb/*_"${VERSION}"_"$(dpkg --print-architecture)".deb | head -1)
deb=$(package_deb)
cp "$built" "$deb"
say "Package: $deb ($(du -k "$deb" | cut -f1) KB)"
