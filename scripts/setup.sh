#!/usr/bin/env bash
# Installs everything Disco Nodes needs on Debian 12 with Node 20: Debian packages (Chromium for
# browser tests and its SwiftShader WebGPU adapter, PyTorch + onnx for the model tooling, OpenCV for
# the tests that hold our pipeline to the official one from the photo file on, gcc and libdeflate for
# the CLI's native kernels) and the npm packages from package-lock.json, then builds those kernels.
# Nothing is downloaded from outside Debian and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium libvulkan1 python3-torch python3-onnx python3-numpy python3-pil python3-opencv gcc libc6-dev libdeflate-dev)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "setup: installing npm packages (npm ci)" >&2
# onnxruntime-node's install script would fetch its CUDA libraries from nuget; the CPU build we use
# is in the npm package. package.json's allowScripts denies that script on npm >= 11.16; the
# variable does it on older npm (Node 20 ships npm 10).
ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
echo "setup: building the native kernels" >&2
node --import tsx scripts/build-native.ts
echo "setup: done" >&2
