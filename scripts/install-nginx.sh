#!/bin/sh
# nginx from Debian, a fast loopback target for bench/instances.mjs (k6, not the target, should
# be what runs out of CPU). Installs the package only; the bench starts its own nginx with its own
# config on a free loopback port and stops it again.
set -e
command -v nginx >/dev/null 2>&1 && exit 0
apt-get install -y nginx-light
