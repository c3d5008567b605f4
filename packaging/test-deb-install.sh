#!/bin/sh
# Builds the .deb from a build directory, installs it with apt on this machine (as CI does),
# checks the installed files, starts the installed binaries, and removes the package again.
#   test-deb-install.sh BUILD_DIR
set -eu
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif sudo -n true 2>/dev/null; then sudo "$@"
    else echo "deb_install: installing a package needs root or passwordless sudo" >&2; exit 1
    fi
}

(cd "$build" && cpack -G DEB -B "$work" >/dev/null)
deb=$(ls "$work"/oauth-workbench_*.deb)
echo "built $(basename "$deb")"
dpkg-deb --info "$deb" | grep -E "Depends|Version"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
trap 'as_root dpkg -r oauth-workbench >/dev/null; rm -rf "$work"' EXIT

for path in /usr/bin/oauth-workbench /usr/bin/oauth-workbench-cli \
    /usr/share/applications/oauth-workbench.desktop \
    /usr/share/metainfo/invalid.oauth_workbench.OAuthWorkbench.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/oauth-workbench.svg \
    /usr/share/icons/hicolor/48x48/apps/oauth-workbench.png \
    /usr/share/icons/hicolor/256x256/apps/oauth-workbench.png; do
    dpkg -S "$path" >/dev/null || { echo "not installed by the package: $path" >&2; exit 1; }
done

/usr/bin/oauth-workbench --version | grep -E "^oauth-workbench [0-9]+\.[0-9]+\.[0-9]+"
/usr/bin/oauth-workbench-cli --version | grep -E "^oauth-workbench [0-9]+\.[0-9]+\.[0-9]+"
# The installed app starts on its sandbox, draws its window and saves a picture of it.
HOME="$work/home" XDG_CONFIG_HOME="$work/config" QT_QPA_PLATFORM=offscreen \
    /usr/bin/oauth-workbench --screenshot "$work/window.png"
size=$(stat -c %s "$work/window.png")
[ "$size" -gt 5000 ] || { echo "the window picture is too small ($size bytes)" >&2; exit 1; }
echo "installed, started and removed: $(basename "$deb")"
