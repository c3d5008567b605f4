#!/usr/bin/env bash
# Command two: install what the tests need, build, and run the whole suite
# (unit, gui, e2e against a real OpenID provider and headless Chromium, packaging).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/common.sh"
cd "$here/.."

install_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_node
echo "==> node $(node --version), npm $(npm --version)"
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)

need_disk ci 2
cmake --preset ci
cmake --build --preset ci -j"$(nproc)"
ctest --preset ci -j"$(nproc)" "$@"
# clang-tidy's bug-finding checks (.clang-tidy) on the C++ files the last commits changed.
bash scripts/tidy.sh
echo "==> ci preset passed; now the sanitizer build"

# The same suite again under AddressSanitizer + UndefinedBehaviorSanitizer (leaks included).
need_disk asan 5
cmake --preset asan
cmake --build --preset asan -j"$(nproc)"
ctest --preset asan -j"$(nproc)" "$@"

# A short libFuzzer campaign on each parser of untrusted input (Clang, ASan + UBSan).
need_disk fuzz 1
cmake --preset fuzz
cmake --build --preset fuzz -j"$(nproc)"
ctest --preset fuzz
