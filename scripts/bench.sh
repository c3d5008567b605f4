#!/usr/bin/env bash
# The benchmarks (bench/): a Release build with the test tools, then each benchmark once. Every
# figure is printed beside a baseline measured in the same run and their ratio; the BENCH lines
# are JSON for scripts. Run it on an otherwise idle machine.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/common.sh"
cd "$here/.."

install_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_node
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
cmake --preset bench
cmake --build --preset bench -j"$(nproc)"
QT_LOGGING_RULES="workbench.*=false" ctest --preset bench "$@" 2>&1 | tee build/bench/results.txt |
    grep -E "^[0-9]+: +(\(|[a-z_]+ +)" | sed -E 's/^[0-9]+: //'
echo "full output: build/bench/results.txt"
