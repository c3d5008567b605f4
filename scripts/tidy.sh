#!/usr/bin/env bash
# clang-tidy, with the small set of bug-finding checks in .clang-tidy, on the C++ files a change
# touched: those added or changed since TIDY_BASE (default: the last 20 commits; every file when
# the history is shorter). Uses the ci build's compile_commands.json (run after its build).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."
build=${BUILD_DIR:-build/ci}
base=${TIDY_BASE:-HEAD~20}
tidy=$(command -v clang-tidy || true)
if [[ -z "$tidy" ]]; then
    echo "clang-tidy is missing: apt-get install clang-tidy (scripts/test.sh does this)" >&2
    exit 1
fi
if [[ ! -f "$build/compile_commands.json" ]]; then
    echo "$build/compile_commands.json is missing: configure with cmake --preset ci first" >&2
    exit 1
fi
if git rev-parse -q --verify "$base^{commit}" > /dev/null; then
    mapfile -t changed < <(git diff --name-only --diff-filter=AM "$base" -- '*.cpp')
else
    mapfile -t changed < <(git ls-files '*.cpp')
fi
# Only files the build compiles (not the fuzz targets, which another preset builds).
files=()
for file in "${changed[@]}"; do
    if grep -q "\"file\": \"$PWD/$file\"" "$build/compile_commands.json"; then
        files+=("$file")
    fi
done
if [[ ${#files[@]} -eq 0 ]]; then
    echo "==> clang-tidy: no changed C++ file since $base"
    exit 0
fi
echo "==> clang-tidy on ${#files[@]} file(s) changed since $base"
printf '%s\n' "${files[@]}" |
    xargs -P "$(nproc)" -n 4 "$tidy" -p "$build" --quiet 2>/dev/null
echo "==> clang-tidy: no findings"
