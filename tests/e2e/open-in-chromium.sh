#!/bin/sh
# A --browser-command for oauth-workbench-cli in tests: logs in through headless Chromium.
cd "$(dirname "$0")" && exec node browser-login.mjs "$1"
