#!/usr/bin/env bash
# The whole test suite: type check, then every vitest test (unit, kernels on WebGPU's software
# adapter, CLI, browser tests in Debian's Chromium). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export VK_ICD_FILENAMES="${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}"
export NODEVICE_SELECT=1
npx tsc --noEmit -p tsconfig.json
npx vitest run "$@"
