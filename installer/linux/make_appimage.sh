#!/bin/sh
# An AppImage of Anju from the one-folder build, for Linux desktops where the archive's install.sh is not
# wanted (one file, run in place: chmod +x Anju-<version>-x86_64.AppImage && ./Anju-…AppImage).
#   python installer/build.py            # dist/anju/
#   sh installer/linux/make_appimage.sh  # dist/Anju-<version>-x86_64.AppImage
# Needs appimagetool (github.com/AppImage/appimagetool releases, an AppImage itself) on PATH or in
# APPIMAGETOOL; build on the oldest distribution to be supported (glibc is the system's). The AppDir is
# laid out in dist/Anju.AppDir: AppRun starts usr/lib/anju/anju; the .desktop entry and icon sit at its top.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/pyproject.toml" | head -n 1)
app=$root/dist/Anju.AppDir
[ -x "$root/dist/anju/anju" ] || { echo "build first: python installer/build.py" >&2; exit 2; }
rm -rf "$app"
mkdir -p "$app/usr/lib" "$app/usr/share/applications" "$app/usr/share/icons/hicolor/256x256/apps"
cp -a "$root/dist/anju" "$app/usr/lib/anju"
cp "$root/installer/linux/anju.desktop" "$app/anju.desktop"
cp "$root/installer/linux/anju.desktop" "$app/usr/share/applications/anju.desktop"
cp "$root/gui/resources/icons/anju.png" "$app/anju.png"
cp "$root/gui/resources/icons/anju.png" "$app/usr/share/icons/hicolor/256x256/apps/anju.png"
ln -s anju.png "$app/.DirIcon"
cat > "$app/AppRun" <<'RUN'
#!/bin/sh
here=$(dirname "$(readlink -f "$0")")
exec "$here/usr/lib/anju/anju" "$@"
RUN
chmod +x "$app/AppRun"
tool=${APPIMAGETOOL:-appimagetool}
command -v "$tool" >/dev/null 2>&1 || { echo "AppDir ready in $app; appimagetool not found to pack it" >&2; exit 3; }
ARCH=x86_64 "$tool" "$app" "$root/dist/Anju-$version-x86_64.AppImage"
