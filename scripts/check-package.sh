#!/usr/bin/env bash
# Check the package scripts/package.sh built, as an installer would see it: its control data
# (name, version, licence, WebKitGTK runtime dependencies), its files (both programs, the menu
# entry, the icon at every size, completions, licences), that apt can install it here
# (simulated), and the programs themselves unpacked into a throwaway root: the CLI answers
# --version and makes a demo, and the packaged window starts on 10,000 people (the start-up
# time the README gives is printed here).
source "$(dirname "$0")/common.sh"
need_packages dpkg-dev desktop-file-utils lintian appstream
version=$VERSION
deb=$(package_deb)
[ -f "$deb" ] || { echo "error: $deb is missing: run ./scripts/package.sh first" >&2; exit 1; }
fail() { echo "package check failed: $*" >&2; exit 1; }

say "Control data of $(basename "$deb") ($(du -k "$deb" | cut -f1) KB)"
info=$(dpkg-deb -I "$deb")
echo "$info" | sed -n '/Package:/,$p'
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = delegate-desk ] || fail "package name $(field Package)"
[ "$(field Version)" = "$version" ] || fail "version $(field Version), Cargo.toml says $version"
depends=$(field Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0; do
  grep -q "$dep" <<<"$depends" || fail "no dependency on $dep: $depends"
done
# Every check reads the whole output first: grep -q stops at its first match, and a writer still
# writing would die of SIGPIPE, which pipefail turns into a failed check (seen with dpkg-deb -f).
[ "$(field Recommends)" = cups ] || fail "Recommends: $(field Recommends), not cups (printing needs a CUPS scheduler)"
description=$(field Description)
grep -q "invitation-only" <<<"$description" || fail "description: $description"

say "lintian: no error, no warning"
# As root lintian says so on stderr; the tags are on stdout, one a line ("E: …", "W: …").
tags=$(lintian --tag-display-limit 0 "$deb" 2>/dev/null || true)
echo "${tags:-(none)}"
if grep -qE '^(E|W): ' <<<"$tags"; then fail "lintian reports errors or warnings (above)"; fi
maintainer=$(field Maintainer)
grep -qE '^[^<]+ <[^@ ]+@[^> ]+>$' <<<"$maintainer" || fail "maintainer $maintainer"
grep -q 'libc6' <<<"$depends" || fail "no dependency on libc: $depends"

say "Files"
# The paths, which may hold spaces ("Delegate Desk.desktop"), without a leading "./".
files=$(dpkg-deb -c "$deb" | awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); sub(/^\.\//, ""); print }')
need_file() { grep -qxF "$1" <<<"$files" || fail "$1 is not in the package"; }
need_file usr/bin/delegate-desk
need_file usr/bin/delegate-desk-cli
need_file "usr/share/applications/Delegate Desk.desktop"
for size in 16x16 24x24 32x32 48x48 64x64 128x128 256x256 512x512; do
  need_file "usr/share/icons/hicolor/$size/apps/delegate-desk.png"
done
need_file usr/share/bash-completion/completions/delegate-desk-cli
need_file usr/share/zsh/vendor-completions/_delegate-desk-cli
need_file usr/share/fish/vendor_completions.d/delegate-desk-cli.fish
need_file usr/share/doc/delegate-desk/copyright
need_file usr/share/doc/delegate-desk/changelog.gz
need_file usr/share/man/man1/delegate-desk.1.gz
need_file usr/share/man/man1/delegate-desk-cli.1.gz
need_file usr/share/metainfo/org.delegatedesk.desk.metainfo.xml
need_file usr/share/doc/delegate-desk/LICENSE-DejaVu.txt
need_file usr/share/doc/delegate-desk/guide.md
need_file usr/share/doc/delegate-desk/screenshots/arrival-find.png
echo "$files" | grep -v '/$'

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"

say "Menu entry"
desktop="$root/usr/share/applications/Delegate Desk.desktop"
cat "$desktop"
desktop-file-validate "$desktop" || fail "the desktop entry is not valid"
grep -qx 'Name=Delegate Desk' "$desktop" || fail "menu name"
grep -qx 'Exec=delegate-desk' "$desktop" || fail "menu command"
grep -qx 'Icon=delegate-desk' "$desktop" || fail "menu icon"
for size in 16x16 24x24 32x32 48x48 64x64 128x128 256x256 512x512; do
  png="$root/usr/share/icons/hicolor/$size/apps/delegate-desk.png"
  kind=$(file "$png")
  grep -q "RGBA" <<<"$kind" || fail "$size icon is not RGBA: $kind"
done

say "AppStream metainfo"
appstreamcli validate --no-net "$root/usr/share/metainfo/org.delegatedesk.desk.metainfo.xml" ||
  fail "appstreamcli does not accept the metainfo"

say "Manual pages"
for page in delegate-desk delegate-desk-cli; do
  roff=$(zcat "$root/usr/share/man/man1/$page.1.gz")
  grep -qi "^\.TH $page " <<<"$roff" || fail "$page.1 is not a manual page"
done
roff=$(zcat "$root/usr/share/man/man1/delegate-desk-cli.1.gz")
grep -q 'checkin' <<<"$roff" || fail "the CLI's manual lacks its subcommands"

say "apt would install it here (simulated)"
as_root apt-get install --simulate -qq "$deb" >/dev/null || fail "apt cannot install it"

say "The programs, unpacked"
got=$("$root/usr/bin/delegate-desk-cli" --version)
[ "$got" = "delegate-desk-cli $version" ] || fail "--version says: $got"
echo "$got"
"$root/usr/bin/delegate-desk-cli" demo --db "$root/try.sqlite3" | sed -n 1p  # sed reads it all: no SIGPIPE
[ "$("$root/usr/bin/delegate-desk-cli" --db "$root/try.sqlite3" status --json | grep -c '"registered": 97')" = 1 ] ||
  fail "the packaged CLI's demo is not as expected"
missing=$(ldd "$root/usr/bin/delegate-desk" | grep "not found" || true)
[ -z "$missing" ] || fail "libraries missing for the window: $missing"

say "The packaged window on 10,000 people (start-up time printed)"
need_tauri_driver
DELEGATE_DESK_APP="$root/usr/bin/delegate-desk" \
  cargo test -p delegate-desk-e2e --test e2e -- --test-threads=1 --nocapture startup:: 2>&1 | grep -oE "startup \(.*|test result.*|panicked.*|FAILED.*"
say "Package checked: $deb"
