#!/usr/bin/env bash
# Regenerates the README's screenshots from the real app: the start window, and the window after
# a real authorization code flow against oidc-provider in headless Chromium (tst_e2e_gui).
# Needs a test build: run scripts/test.sh once first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${BUILD_DIR:-build/ci}
out=docs/screenshots
mkdir -p "$out"
QT_QPA_PLATFORM=offscreen "$build/app/gui/oauth-workbench" --screenshot "$out/start.png"
QT_QPA_PLATFORM=offscreen WORKBENCH_E2E_DIR="$PWD/tests/e2e" WORKBENCH_SCREENSHOT_DIR="$out" \
    "$build/tests/tst_e2e_gui" personRunsTheCodeFlow wrongSecretIsExplained sandboxWorksOutOfTheBox
echo "screenshots written to $out"
