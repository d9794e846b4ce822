#!/usr/bin/env bash
# The speech-model builder's system packages (guarded: installs only what is missing):
# eSpeak NG (both languages' voices) and Flite (recorded-speaker English voices).
set -euo pipefail
missing=()
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v flite >/dev/null || missing+=(flite)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing speech-model build dependencies: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
