#!/usr/bin/env bash
# Installs everything Vireo needs to build, run and test, from Debian's
# package registry only. Idempotent: each step checks before it acts, so a
# second run on a ready machine does nothing and prints nothing but "ready".
#
#   host tools   : aarch64 cross compiler, QEMU, dtc, cmocka, host libfdt
#   .deps/arm64  : libfdt built for arm64 (a static library linked into the
#                  hypervisor), unpacked from Debian's libfdt-dev:arm64
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
deps="$top/.deps"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

apt_updated=0
apt_update() {
	if [ $apt_updated -eq 0 ]; then
		$sudo apt-get update -qq
		apt_updated=1
	fi
}

# Host packages, each named by a file it provides.
need=()
check() { [ -e "$1" ] || need+=("$2"); }
check /usr/bin/aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
check /usr/bin/qemu-system-aarch64 qemu-system-arm
check /usr/bin/dtc device-tree-compiler
check /usr/include/cmocka.h libcmocka-dev
check /usr/include/libfdt.h libfdt-dev
check /usr/bin/python3 python3
check /usr/bin/make make
if [ ${#need[@]} -gt 0 ]; then
	echo "setup: installing ${need[*]}"
	apt_update
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# libfdt for the target. Debian ships it per architecture; we take the arm64
# build's static archive and headers without installing it system-wide.
if [ ! -f "$deps/arm64/usr/lib/aarch64-linux-gnu/libfdt.a" ]; then
	echo "setup: fetching libfdt-dev:arm64"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$sudo dpkg --add-architecture arm64
		apt_updated=0
	fi
	apt_update
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq libfdt-dev:arm64)
	mkdir -p "$deps/arm64"
	dpkg -x "$tmp"/libfdt-dev_*_arm64.deb "$deps/arm64"
	rm -rf "$tmp"
fi

echo "setup: ready"
