#!/bin/sh
# Install Anju for the current user from the unpacked Linux archive (no root needed):
#   tar -xzf anju-<version>-linux-x86_64.tar.gz && cd anju-<version> && ./install.sh
# The program goes to ~/.local/lib/anju, the command to ~/.local/bin/anju, the menu entry and icon to
# ~/.local/share. Profiles, settings and logs stay where they are (~/.local/share/anju, ~/.config/Anju,
# ~/.local/state/anju): `./install.sh --uninstall` removes the program only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${XDG_DATA_HOME:-$HOME/.local/share}
lib=$HOME/.local/lib/anju
bin=$HOME/.local/bin
if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$lib" "$bin/anju" "$prefix/applications/anju.desktop" "$prefix/icons/hicolor/256x256/apps/anju.png"
  echo "Anju removed (profiles, settings and logs kept)."
  exit 0
fi
rm -rf "$lib.new"               # what an interrupted earlier install left
mkdir -p "$lib.new" "$bin" "$prefix/applications" "$prefix/icons/hicolor/256x256/apps"
cp -a "$here/anju/." "$lib.new/"
rm -rf "$lib.old"
[ -d "$lib" ] && mv "$lib" "$lib.old"
mv "$lib.new" "$lib"          # the new program replaces the old one whole
rm -rf "$lib.old"
ln -sf "$lib/anju" "$bin/anju"
cp "$here/anju.png" "$prefix/icons/hicolor/256x256/apps/anju.png"
sed "s|^Exec=anju|Exec=$lib/anju|" "$here/anju.desktop" > "$prefix/applications/anju.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$prefix/applications" || true
echo "Anju installed: $bin/anju, and 安居 in the applications menu."
