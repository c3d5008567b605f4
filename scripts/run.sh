#!/usr/bin/env bash
# Command one: install what is missing, build, and start OAuth Workbench.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/common.sh"
cd "$here/.."

install_packages "${BUILD_PACKAGES[@]}"
cmake --preset release -DWORKBENCH_BUILD_TESTS=OFF
cmake --build --preset release -j"$(nproc)"
exec ./build/release/app/gui/oauth-workbench "$@"
