#!/usr/bin/env bash
# Generate every icon the app and its package need from the one source image,
# icons/icon.svg, with Tauri's `tauri icon`. The results are committed; run this after
# changing the SVG.
source "$(dirname "$0")/common.sh"
tauri_cli icon icons/icon.svg --output icons
# The desk is a desktop app: the phone launcher icons are not shipped.
rm -rf icons/android icons/ios
# The sizes desktop panels and menus ask for besides (16 to 256 px), for the package.
tauri_cli icon icons/icon.svg --output icons --png 16,24,48,256
ls -l icons
