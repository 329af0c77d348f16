#!/usr/bin/env bash
# Go 1.27 for the tests that run the compiler (escape analysis, unit and end-to-end), at
# /usr/lib/go-1.27 as Debian's package puts it, through scripts/install-go.sh when we are
# root; otherwise it says what to do and the compiler tests say they skip.
set -euo pipefail
cd "$(dirname "$0")/.."
go=/usr/lib/go-1.27/bin/go
if [ -x "$go" ]; then echo "setup-go: $("$go" version)"; exit 0; fi
if [ "$(id -u)" = 0 ]; then
  bash scripts/install-go.sh 1.27
else
  echo "setup-go: $go is missing: run 'sudo scripts/install-go.sh 1.27' (Debian's golang-1.27-go); the compiler tests skip, the escape E2E case fails" >&2
fi
