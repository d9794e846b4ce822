#!/usr/bin/env bash
# `npm test`: installs the Debian packages the tests need (guarded: only what is missing),
# builds the bundles the tests serve, type-checks, then runs every test once.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# CJK glyphs for the kiosk page's Chinese screens in headless Chromium.
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
# Speech: eSpeak NG synthesizes test speech and call replies, sox resamples it.
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v sox >/dev/null || missing+=(sox)
# Flite: the English model's second synthesizer (recorded-speaker voices), in the builder's tests.
command -v flite >/dev/null || missing+=(flite)
# CRM sync: a real broker per test suite (mosquitto, with mosquitto_passwd) and a test CA (openssl).
[ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null || missing+=(mosquitto)
command -v openssl >/dev/null || missing+=(openssl)
# Single executable: a Node-less Debian root (debootstrap) and ARM64 emulation (qemu-user-static).
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v qemu-aarch64-static >/dev/null || missing+=(qemu-user-static)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing test dependencies: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -d node_modules ] || npm ci

node scripts/build.mjs
npx tsc --noEmit
npx vitest run "$@"
