#!/usr/bin/env bash
# Build the installable Debian package of Delegate Desk with Tauri's bundler (release build,
# production asset protocol): the window (/usr/bin/delegate-desk) with its menu entry and
# icons, the command-line tool (/usr/bin/delegate-desk-cli) with its shell completions, and
# the licences. The package is written to target/package/delegate-desk_VERSION_ARCH.deb.
# Install it with: sudo apt install ./target/package/delegate-desk_*.deb
source "$(dirname "$0")/common.sh"
need_packages "${APP_PACKAGES[@]}" dpkg-dev binutils
need_rust
# A release build, as a desk installs it: made by rustc, never by the lints' compiler that the
# test command sets for its debug builds (lints_in_builds in common.sh), whoever calls this.
unset RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS
target=${CARGO_TARGET_DIR:-$ROOT/target}
stage="$target/package-files"
out="$target/package"

# Both programs in one cargo build, the one `scripts/run.sh` makes; `tauri bundle` below packs
# the app as built. `tauri build` would pass its merged configuration in the environment
# (TAURI_CONFIG), so its build of the app's crate never matched run.sh's and each compiled it
# again (50 s); the program it made is byte for byte this one.
say "Building the command-line tool and the app (release; the first build takes several minutes)"
cargo build --release -p delegate-desk --bin delegate-desk-cli -p delegate-desk-app --bin delegate-desk \
  --features tauri/custom-protocol
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
          "/usr/share/doc/delegate-desk/copyright": "$ROOT/packaging/copyright",
          "/usr/share/doc/delegate-desk/LICENSE-DejaVu.txt": "$ROOT/src/badge/fonts/LICENSE-DejaVu.txt",
          "/usr/share/doc/delegate-desk/guide.md": "$ROOT/docs/guide.md",
          "/usr/share/doc/delegate-desk/screenshots": "$ROOT/docs/screenshots"
        }
      }
    }
  }
}
JSON

say "The Debian package of the app (Tauri's bundler)"
(cd src-tauri && tauri_cli bundle --bundles deb --config "$stage/tauri.package.json" --ci)

built=$(ls -t "$target"/release/bundle/deb/*_"${VERSION}"_"$(dpkg --print-architecture)".deb | sed -n 1p)  # sed reads it all: no SIGPIPE
deb=$(package_deb)

# What Tauri's bundler cannot express is done on its package, unpacked and packed again: the
# binaries stripped, the libraries they link named in Depends (dpkg-shlibdeps, libc included),
# a maintainer with an address, a description in lines of at most 80 characters, manual pages
# for both programs (the CLI's made from its own definitions), the Debian changelog, the
# copyright in Debian's machine-readable form, AppStream metainfo, and new checksums.
say "Making it a good Debian package (stripped, manuals, changelog, metainfo, Depends, Recommends)"
raw="$stage/deb-root"
rm -rf "$raw"
dpkg-deb -R "$built" "$raw"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$raw/usr/bin/delegate-desk" "$raw/usr/bin/delegate-desk-cli"
man="$raw/usr/share/man/man1"
mkdir -p "$man" "$raw/usr/share/metainfo"
"$cli" manpage | gzip -9n >"$man/delegate-desk-cli.1.gz"
gzip -9n <"$ROOT/packaging/delegate-desk.1" >"$man/delegate-desk.1.gz"
gzip -9n <"$ROOT/packaging/changelog" >"$raw/usr/share/doc/delegate-desk/changelog.gz"
cp "$ROOT/packaging/org.delegatedesk.desk.metainfo.xml" "$raw/usr/share/metainfo/"
find "$raw/usr" -type d -exec chmod 0755 {} + && find "$raw/usr" -type f ! -path '*/usr/bin/*' -exec chmod 0644 {} +
shlibs=$(cd "$stage" && mkdir -p debian && : >debian/control &&
  dpkg-shlibdeps -O "$raw/usr/bin/delegate-desk" "$raw/usr/bin/delegate-desk-cli" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "error: dpkg-shlibdeps named no library" >&2; exit 1; }
control="$raw/DEBIAN/control"
description=$(sed -n 's/^Description: //p' "$control")
long=$(sed -n '/^Description:/,$p' "$control" | tail -n +2 | sed 's/^ //' | fold -s -w 78 | sed 's/ *$//; s/^/ /')
sed -i '/^Description:/,$d; /^Maintainer:/d; /^Depends:/d; /^Installed-Size:/d' "$control"
{
  echo "Maintainer: Delegate Desk maintainers <desk@delegatedesk.org>"
  echo "Installed-Size: $(du -sk --exclude=DEBIAN "$raw" | cut -f1)"
  echo "Depends: $shlibs"
  # Printing talks IPP to a CUPS scheduler (src/cups.rs): the desk's own, or a server named in
  # CUPS_SERVER. Without one the desk still saves badges as PDF, so it is not a Depends.
  echo "Recommends: cups"
  echo "Homepage: https://delegatedesk.org/"
  echo "Description: $description"
  echo "$long"
} >>"$control"
(cd "$raw" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum >DEBIAN/md5sums)
dpkg-deb --build --root-owner-group "$raw" "$deb" >/dev/null
say "Package: $deb ($(du -k "$deb" | cut -f1) KB)"
