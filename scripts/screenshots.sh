#!/usr/bin/env bash
# Regenerates the README's screenshots from the real app in a real X server (Xvfb): the start
# window, and the window after real flows (tst_e2e_gui: the code flow against oidc-provider in
# headless Chromium, a diagnosed error, the sandbox with a trigger and the history, the device
# flow waiting).
# Needs a test build: run scripts/test.sh once first.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/common.sh"
cd "$here/.."
install_packages xvfb xauth
build=${BUILD_DIR:-build/ci}
out=docs/screenshots
mkdir -p "$out"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# A fresh config directory: the start window shows the built-in sandbox, as on a first start.
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" QT_QPA_PLATFORM=xcb
xvfb-run -a -s "-screen 0 1366x768x24" \
    "$build/app/gui/oauth-workbench" --screenshot "$out/start.png"
WORKBENCH_E2E_DIR="$PWD/tests/e2e" WORKBENCH_SCREENSHOT_DIR="$out" \
    xvfb-run -a -s "-screen 0 1366x768x24" \
    "$build/tests/tst_e2e_gui" personRunsTheCodeFlow wrongSecretIsExplained sandboxWorksOutOfTheBox personRunsTheDeviceFlow
echo "screenshots written to $out"
