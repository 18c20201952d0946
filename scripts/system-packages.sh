#!/usr/bin/env bash
# The system packages the test suite runs for real: PgBouncer (the pooler tests) and Chromium (the
# console's browser tests). Installs the missing ones with apt-get when root; otherwise says how.
set -euo pipefail

missing=()
command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

install="apt-get update && apt-get install -y --no-install-recommends pgbouncer chromium"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "wf7 tests need ${missing[*]}, installed as root (Debian/Ubuntu) with: sudo sh -c '$install'" >&2
  exit 1
fi
echo "wf7 tests need ${missing[*]}: installing with apt-get" >&2
apt-get update
# Both in one call: apt-get leaves the one already installed as it is.
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends pgbouncer chromium
