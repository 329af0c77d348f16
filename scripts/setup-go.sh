#!/usr/bin/env bash
# Go 1.27 for the tests that run the compiler (escape analysis, unit and end-to-end), at
# /usr/lib/go-1.27 as Debian's package puts it. Installs it with the workplace's toolchain
# installer when that is beside the repository and we are root; otherwise says what to do.
set -euo pipefail
cd "$(dirname "$0")/.."
go=/usr/lib/go-1.27/bin/go
if [ -x "$go" ]; then echo "setup-go: $("$go" version)"; exit 0; fi
installer=../shared/tools/install-go-toolchains.sh
if [ -x "$installer" ] && [ "$(id -u)" = 0 ]; then
  bash "$installer" 1.27
else
  echo "setup-go: $go is missing: install Debian's golang-1.27-go (or run $installer 1.27 as root); the compiler tests skip, the escape E2E case fails" >&2
fi
