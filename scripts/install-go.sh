#!/usr/bin/env bash
# Puts real Go toolchains at /usr/lib/go-1.NN/bin/go from Debian's packages (golang-1.NN-go),
# side by side, for the fixture generators and the tests that run the compiler.
#   scripts/install-go.sh            every toolchain the fixtures use (1.19, 1.21 … 1.27)
#   scripts/install-go.sh 1.27 1.23  just these
# Debian ships 1.19 in bookworm, 1.21–1.23 in bookworm-backports and 1.24–1.27 in trixie
# (and its backports); the missing suites are added from the machine's own Debian mirror,
# pinned low so that nothing but the named packages ever comes from trixie. Needs root.
set -euo pipefail
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(1.19 1.21 1.22 1.23 1.24 1.25 1.26 1.27)

todo=()
for v in "${versions[@]}"; do
  [[ "$v" =~ ^1\.[0-9]+$ ]] || { echo "install-go: '$v' is not a Go version like 1.27" >&2; exit 2; }
  [ -x "/usr/lib/go-$v/bin/go" ] || todo+=("$v")
done

if [ ${#todo[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-go: Go ${todo[*]} missing and this is not root: run 'sudo $0 ${todo[*]}'," \
         "or install Debian's golang-<version>-go packages yourself" >&2
    exit 1
  fi
  command -v apt-get >/dev/null || { echo "install-go: no apt-get here: install Go ${todo[*]} at /usr/lib/go-<version> by hand" >&2; exit 1; }
  # Mirror and keyring as the machine's own Debian entry has them.
  own=$(ls /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  mirror=http://deb.debian.org/debian keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  if [ -n "$own" ]; then
    mirror=$(awk '$1 == "URIs:" { print $2; exit }' "$own")
    keyring=$(awk '$1 == "Signed-By:" { print $2; exit }' "$own")
  fi
  add_suites() { # file, suites...
    local file=$1; shift
    if ! grep -qs "Suites:.*\b$1\b" /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null; then
      printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' "$mirror" "$*" "$keyring" \
        > "/etc/apt/sources.list.d/$file.sources"
    fi
  }
  add_suites golens-bookworm-backports bookworm-backports
  add_suites golens-trixie trixie trixie-backports
  if ! ls /etc/apt/preferences.d/ 2>/dev/null | xargs -r -I{} cat /etc/apt/preferences.d/{} | grep -q 'n=trixie'; then
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n\nPackage: *\nPin: release n=trixie-backports\nPin-Priority: 100\n' \
      > /etc/apt/preferences.d/golens-trixie-low
  fi
  apt-get update -qq >/dev/null
  packages=()
  for v in "${todo[@]}"; do
    # 1.24 is in trixie proper; the others resolve to the one suite that has them.
    if [ "$v" = 1.24 ]; then packages+=("golang-1.24-go/trixie"); else packages+=("golang-$v-go"); fi
  done
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
for v in "${versions[@]}"; do echo "/usr/lib/go-$v/bin/go: $(/usr/lib/go-$v/bin/go version)"; done
