# Shared by scripts/run.sh and scripts/test.sh: installs missing Debian/Ubuntu packages.
set -euo pipefail

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# install_packages PKG...: installs those not yet installed, with one apt-get update at most.
install_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> installing: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}"
    fi
}

# What building and running the app needs.
BUILD_PACKAGES=(build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-qpa-plugins libqt6svg6 libgl-dev libssl-dev
    qtkeychain-qt6-dev libqrencode-dev
    fonts-dejavu-core)

# What the test suite needs on top: a browser for the e2e tests (Node.js for the OpenID provider
# comes from ensure_node), the desktop-file and AppStream validators the packaging tests call,
# curl for the token exchange benchmark's baseline, clang-format-14 for the style check (one
# version: others format differently), Clang with its libFuzzer runtime for the fuzz targets, a
# D-Bus session bus with gnome-keyring for the keychain tests (a real Secret Service), and zbarimg
# to read back the device flow's QR codes.
TEST_PACKAGES=(chromium desktop-file-utils appstream ca-certificates clang clang-format-14 clang-tidy libclang-rt-14-dev
    dbus-daemon gnome-keyring curl zbar-tools xvfb xauth)

# need_disk PRESET GIB: stops with a clear message when the disk under build/ lacks the room a
# fresh build of PRESET takes (GIB GiB, what one took here rounded up; less what
# build/PRESET already holds), rather than letting the linker fail with "No space left".
need_disk() {
    local preset=$1 need_kib=$(($2 * 1024 * 1024)) free_kib held_kib=0
    mkdir -p build
    free_kib=$(df -Pk build | awk 'NR == 2 { print $4 }')
    [ -d "build/$preset" ] && held_kib=$(du -sk "build/$preset" | cut -f1)
    echo "==> disk: $((free_kib / 1048576)) GiB free under build/; the $preset build needs up to $2 GiB"
    if [ $((free_kib + held_kib)) -lt "$need_kib" ]; then
        echo "error: the $preset build needs about $2 GiB under $(pwd)/build," \
             "and only $((free_kib / 1048576)) GiB are free there. Free some space and run again." >&2
        exit 1
    fi
}

ensure_node() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        install_packages nodejs npm
    fi
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$major" -lt 20 ]; then
        echo "error: the e2e tests' OpenID provider (oidc-provider 9) needs Node.js 20 or later;" \
             "this machine has $(node --version)." >&2
        exit 1
    fi
}
