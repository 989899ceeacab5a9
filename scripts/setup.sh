#!/usr/bin/env bash
# Installs everything Vireo needs to build, run and test, from Debian's
# package registry only. Idempotent: each step checks before it acts and
# prints one line only when it does something, so a second run on a ready
# machine prints nothing but "setup: ready".
#
#   host tools     : aarch64 cross compiler, the 32-bit Arm one (arm-linux-
#                    gnueabihf: the AArch32 bare-metal guests), QEMU, dtc,
#                    cmocka, host libfdt,
#                    clang with libFuzzer and the sanitizers (tests/fuzz),
#                    gdb-multiarch (the gdb tests; docs/debugging.md),
#                    e2fsprogs (mkfs.ext4 -d and debugfs: the disk tests'
#                    images, tests/integration/cases_devices.py)
#   .deps/arm64    : libfdt built for arm64 (a static library linked into the
#                    hypervisor), unpacked from Debian's libfdt-dev:arm64
#   .deps/guest    : a Linux guest: Debian's current arm64 kernel as a plain
#                    arm64 Image (and the modules the tests load, the
#                    Raspberry Pi 3B's device tree, dtbs/bcm2837-rpi-3-b.dtb),
#                    busybox-static:arm64, and an initramfs made from them
#                    and guests/linux/ (docs/linux.md)
#   .deps/guest/armhf : a 32-bit Linux guest (docs/linux.md, "32-bit
#                    guests"): Debian's current armhf LPAE kernel as a plain
#                    zImage, busybox-static:armhf and an initramfs made from
#                    them and the same guests/linux/
#
# Foreign packages (arm64 and armhf) are fetched with "apt-get download"
# and unpacked under .deps/, never installed. "apt-get update" runs only when something must
# be fetched.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
deps="$top/.deps"
guest="$deps/guest"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

note() { echo "setup: $*"; }

apt_updated=0
apt_update() {
	if [ $apt_updated -eq 0 ]; then
		$sudo apt-get update -qq
		apt_updated=1
	fi
}

# Foreign packages come from Debian's arm64 and armhf archives.
ensure_foreign() {
	local arch
	for arch in arm64 armhf; do
		if ! dpkg --print-foreign-architectures | grep -qx $arch; then
			$sudo dpkg --add-architecture $arch
			apt_updated=0
		fi
	done
}

# Downloads the named packages (no install) into a new temporary directory,
# $fetched. Run as root, apt downloads as its unprivileged "_apt" user, who
# must be able to write there.
fetched=""
download() {
	ensure_foreign
	apt_update
	fetched=$(mktemp -d)
	if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then
		chown _apt "$fetched"
	fi
	(cd "$fetched" && apt-get download -qq "$@" >&2)
}

# Host packages, each named by a file it provides.
host_packages() {
	local need=()
	check() { [ -e "$1" ] || need+=("$2"); }
	check /usr/bin/aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
	check /usr/bin/arm-linux-gnueabihf-gcc gcc-arm-linux-gnueabihf
	check /usr/bin/qemu-system-aarch64 qemu-system-arm
	check /usr/bin/dtc device-tree-compiler
	check /usr/include/cmocka.h libcmocka-dev
	check /usr/include/libfdt.h libfdt-dev
	check /usr/bin/python3 python3
	check /usr/bin/make make
	check /usr/bin/clang clang
	check /usr/bin/gdb-multiarch gdb-multiarch
	check /usr/sbin/mkfs.ext4 e2fsprogs
	# libFuzzer's runtime: only "Recommended" by clang, so named here.
	if [ ! -e /usr/bin/clang ] ||
		[ ! -e "$(clang -print-file-name="libclang_rt.fuzzer-$(uname -m).a")" ]; then
		need+=(libclang-rt-dev)
	fi
	if [ ${#need[@]} -gt 0 ]; then
		note "installing ${need[*]}"
		apt_update
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
	fi
}

# libfdt for the target. Debian ships it per architecture; we take the arm64
# build's static archive and headers without installing it system-wide.
target_libfdt() {
	[ -f "$deps/arm64/usr/lib/aarch64-linux-gnu/libfdt.a" ] && return
	note "fetching libfdt-dev:arm64"
	download libfdt-dev:arm64
	mkdir -p "$deps/arm64"
	dpkg -x "$fetched"/libfdt-dev_*_arm64.deb "$deps/arm64"
	rm -rf "$fetched"
}

# The kernel package a metapackage currently depends on, e.g.
# linux-image-arm64:arm64 -> linux-image-6.1.0-56-arm64: resolved at run
# time, never pinned. $1 is the metapackage, $2 its architecture.
current_kernel_package() {
	apt-cache depends "$1:$2" |
		awk -v arch=":$2" '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ {
			sub(arch "$", "", $2); print $2; exit }'
}

# Debian's current arm64 kernel, as a plain arm64 Image in .deps/guest/Image.
# Only /boot of the package is unpacked, and one module (below): its 350 MB
# of modules are not needed, the guest runs from an initramfs with
# everything else built in.
guest_kernel() {
	local pkg deb vmlinuz out="$guest/Image"
	[ -f "$out" ] && return
	ensure_foreign
	apt_update
	pkg=$(current_kernel_package linux-image-arm64 arm64)
	if [ -z "$pkg" ]; then
		echo "setup: cannot resolve linux-image-arm64:arm64 to a kernel package" >&2
		exit 1
	fi
	note "fetching $pkg:arm64"
	download "$pkg:arm64"
	deb=$(echo "$fetched"/"$pkg"_*_arm64.deb)
	rm -rf "$deps/linux-image"
	mkdir -p "$deps/linux-image" "$guest"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$deps/linux-image" --wildcards './boot/*'
	dpkg-deb -f "$deb" Package Version >"$deps/linux-image/package"
	install_modules "$deb"
	install_pi_dtb "$deb"
	rm -rf "$fetched"
	vmlinuz=$(echo "$deps"/linux-image/boot/vmlinuz-*)
	# Debian's arm64 vmlinuz is a plain Image today; older or other builds
	# are gzip'd. Either way the result must be an Image (magic at 56).
	if [ "$(head -c 2 "$vmlinuz" | od -An -tx1 | tr -d ' ')" = "1f8b" ]; then
		gzip -dc "$vmlinuz" >"$out.tmp"
	else
		cp "$vmlinuz" "$out.tmp"
	fi
	if [ "$(dd if="$out.tmp" bs=1 skip=56 count=4 status=none)" != "ARMd" ]; then
		echo "setup: $vmlinuz is not an arm64 Image (gzip'd or plain)" >&2
		rm -f "$out.tmp"
		exit 1
	fi
	mv "$out.tmp" "$out"
}

# The modules the guest's initramfs carries, each where it is in the
# kernel package's tree, from the same package as the Image, into
# .deps/guest/modules/; the tests load them as udev would on a
# distribution (the package has no modules.dep: Debian's depmod makes it
# at install time, so the order below is each module's "depends=" and
# "softdep=" from its .modinfo, dependencies first):
#   arm_smccc_trng  the SMCCC TRNG's hwrng driver (guests/linux/tests/trng.sh)
#   sbsa_gwdt       the SBSA Generic Watchdog's driver, for the watchdog
#                   each VM has (guests/linux/tests/watchdog.sh)
#   virtio_mmio     the virtio-mmio transport, for the devices assigned to
#                   a VM (guests/linux/tests/disk.sh, rng.sh, bench_disk.sh)
#   virtio_blk      a virtio disk on it
#   virtio-rng      a virtio entropy source on it, as an hwrng
#   crc32c_generic  "crypto-crc32c", which ext4 and jbd2 ask for (softdep):
#                   their metadata checksums
#   crc16, mbcache, jbd2, ext4
#                   ext4 (depends=jbd2,mbcache,crc16), the disk's file system
MODULES="hw_random/arm_smccc_trng.ko watchdog/sbsa_gwdt.ko virtio/virtio_mmio.ko
block/virtio_blk.ko hw_random/virtio-rng.ko crypto/crc32c_generic.ko lib/crc16.ko
fs/mbcache.ko jbd2/jbd2.ko ext4/ext4.ko"

module_files() {
	local m
	for m in $MODULES; do
		echo "$guest/modules/${m##*/}"
	done
}

have_modules() {
	local f
	for f in $(module_files); do
		[ -f "$f" ] || return 1
	done
}

# Takes each of $MODULES out of the kernel package file $1, uncompressed.
install_modules() {
	local m name found tmp patterns=()
	tmp=$(mktemp -d)
	mkdir -p "$guest/modules"
	for m in $MODULES; do
		patterns+=("$m*")
	done
	dpkg-deb --fsys-tarfile "$1" | tar -x -C "$tmp" --wildcards --no-anchored "${patterns[@]}"
	for m in $MODULES; do
		name=${m##*/}
		found=$(find "$tmp" -path "*/$m*" | head -n 1)
		case $found in
		*.ko) cp "$found" "$guest/modules/$name.tmp" ;;
		*.ko.xz) xz -dc "$found" >"$guest/modules/$name.tmp" ;;
		*.ko.zst) zstd -qdc "$found" >"$guest/modules/$name.tmp" ;;
		*)
			rm -rf "$tmp"
			echo "setup: $1 has no $m" >&2
			exit 1
			;;
		esac
		mv "$guest/modules/$name.tmp" "$guest/modules/$name"
	done
	rm -rf "$tmp"
}

# The Raspberry Pi 3B's device tree, as the kernel package ships it: the
# host tree of `./vireo run --board raspi3b` (docs/boards/raspi3b.md).
PI_DTB=bcm2837-rpi-3-b.dtb

# Takes broadcom/$PI_DTB out of the kernel package file $1.
install_pi_dtb() {
	local found tmp
	tmp=$(mktemp -d)
	dpkg-deb --fsys-tarfile "$1" | tar -x -C "$tmp" --wildcards --no-anchored "broadcom/$PI_DTB"
	found=$(find "$tmp" -name "$PI_DTB" | head -n 1)
	if [ -z "$found" ]; then
		rm -rf "$tmp"
		echo "setup: $1 has no broadcom/$PI_DTB" >&2
		exit 1
	fi
	mkdir -p "$guest/dtbs"
	cp "$found" "$guest/dtbs/$PI_DTB.tmp"
	mv "$guest/dtbs/$PI_DTB.tmp" "$guest/dtbs/$PI_DTB"
	rm -rf "$tmp"
}

# For a .deps/guest/Image unpacked before a module or the tree was
# needed: fetch the same package again (its name, the kernel's ABI, is
# kept in .deps/linux-image/package).
guest_modules() {
	local pkg deb
	have_modules && [ -f "$guest/dtbs/$PI_DTB" ] && return
	pkg=$(awk '$1 == "Package:" { print $2 }' "$deps/linux-image/package" 2>/dev/null || true)
	if [ -z "$pkg" ]; then
		echo "setup: no .deps/linux-image/package: remove .deps/guest/Image and run again" >&2
		exit 1
	fi
	note "fetching $pkg:arm64 for its modules and $PI_DTB"
	download "$pkg:arm64"
	deb=$(echo "$fetched"/"$pkg"_*_arm64.deb)
	install_modules "$deb"
	install_pi_dtb "$deb"
	rm -rf "$fetched"
}

# busybox-static:arm64, the only program in the guest's initramfs.
guest_busybox() {
	[ -f "$guest/busybox" ] && return
	note "fetching busybox-static:arm64"
	download busybox-static:arm64
	rm -rf "$deps/busybox"
	mkdir -p "$deps/busybox" "$guest"
	dpkg -x "$fetched"/busybox-static_*_arm64.deb "$deps/busybox"
	rm -rf "$fetched"
	ln -sfn ../busybox/bin/busybox "$guest/busybox"
}

# An initramfs of guests/linux/ with a busybox and kernel modules:
# initramfs OUT BUSYBOX [MODULE...], rebuilt when any input is newer.
initramfs() {
	local out="$1" busybox="$2" input stale=0 mod
	local args=(--busybox "$busybox" --guest "$top/guests/linux" -o "$out")
	shift 2
	for mod in "$@"; do
		args+=(--module "$mod")
	done
	for input in "$busybox" "$top/scripts/mkinitramfs.py" "$@" \
		"$top/guests/linux/init" "$top"/guests/linux/tests/*.sh; do
		if [ ! -f "$out" ] || [ "$input" -nt "$out" ]; then
			stale=1
		fi
	done
	[ $stale -eq 1 ] || return 0
	note "building ${out#"$top/"}"
	python3 "$top/scripts/mkinitramfs.py" "${args[@]}"
}

# The arm64 guest's, with the modules the tests load.
guest_initramfs() {
	# shellcheck disable=SC2046 # one module path per word
	initramfs "$guest/initramfs.cpio.gz" "$guest/busybox" $(module_files)
}

# --- the 32-bit guest: .deps/guest/armhf/ -----------------------------------
#
# Debian's armhf kernel for the virt machine and every ARMv7-A board with
# LPAE (linux-image-armmp-lpae: Cortex-A7/A15 and later, which is what a
# Cortex-A72's AArch32 state is), kept as the zImage it ships, which
# decompresses itself (Linux's 32-bit boot protocol: magic 0x016f2818 at
# byte 0x24). Only vmlinuz and the config are taken; the modules are not:
# no 32-bit test needs one. The package's name and version are kept in
# armhf/package.
armhf="$guest/armhf"

armhf_kernel() {
	local pkg deb tmp out="$armhf/zImage"
	[ -f "$out" ] && return
	ensure_foreign
	apt_update
	pkg=$(current_kernel_package linux-image-armmp-lpae armhf)
	if [ -z "$pkg" ]; then
		echo "setup: cannot resolve linux-image-armmp-lpae:armhf to a kernel package" >&2
		exit 1
	fi
	note "fetching $pkg:armhf"
	download "$pkg:armhf"
	deb=$(echo "$fetched"/"$pkg"_*_armhf.deb)
	tmp=$(mktemp -d)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' './boot/config-*'
	mkdir -p "$armhf"
	dpkg-deb -f "$deb" Package Version >"$armhf/package"
	cp "$tmp"/boot/config-* "$armhf/config"
	cp "$tmp"/boot/vmlinuz-* "$out.tmp"
	rm -rf "$tmp" "$fetched"
	if [ "$(od -An -tx4 -j 36 -N 4 "$out.tmp" | tr -d ' ')" != "016f2818" ]; then
		echo "setup: $pkg's vmlinuz is not a 32-bit Arm zImage" >&2
		rm -f "$out.tmp"
		exit 1
	fi
	mv "$out.tmp" "$out"
}

# busybox-static:armhf, the 32-bit initramfs's only program.
armhf_busybox() {
	local tmp
	[ -f "$armhf/busybox" ] && return
	note "fetching busybox-static:armhf"
	download busybox-static:armhf
	tmp=$(mktemp -d)
	dpkg -x "$fetched"/busybox-static_*_armhf.deb "$tmp"
	mkdir -p "$armhf"
	cp "$tmp/bin/busybox" "$armhf/busybox.tmp"
	mv "$armhf/busybox.tmp" "$armhf/busybox"
	rm -rf "$tmp" "$fetched"
}

# The 32-bit initramfs: the same init and tests as the arm64 one, with the
# armhf busybox and no modules.
armhf_initramfs() {
	initramfs "$armhf/initramfs.cpio.gz" "$armhf/busybox"
}

host_packages
target_libfdt
guest_kernel
guest_modules
guest_busybox
guest_initramfs
armhf_kernel
armhf_busybox
armhf_initramfs
echo "setup: ready"
