#!/bin/sh
# A virtio entropy source of the VM's own: the virtio-rng device the
# launcher's --rng assigned to it (a host virtio-mmio transport, as
# disk.sh's disk is). Loads the transport's and the device's drivers as
# udev would; the device registers with the kernel's hw_random core as
# virtio_rng.N, which is made the current hwrng; then /dev/hwrng is read:
# each read is a request on the device's queue, whose answer comes with
# the device's interrupt (the driver waits for it; there is no polling).
#
#   vireo-test: rng: available=NAMES
#   vireo-test: rng: current=virtio_rng.N, virtio device virtioN at ADDRESS.virtio_mmio
#   vireo-test: rng: read 64 bytes, two reads differ
# and "vireo-test: rng: FAILED: WHY" where a step fails.

fail() {
	echo "vireo-test: rng: FAILED: $*"
	exit 1
}

for m in virtio_mmio virtio-rng; do
	insmod "/lib/modules/$m.ko" || fail "insmod $m"
done
hw=/sys/class/misc/hw_random
echo "vireo-test: rng: available=$(cat $hw/rng_available)"
name=$(tr ' ' '\n' <$hw/rng_available | grep '^virtio_rng\.' | head -n 1)
[ -n "$name" ] || fail "no virtio_rng in rng_available"
echo "$name" >$hw/rng_current || fail "selecting $name"
dev=$(readlink -f /sys/bus/virtio/drivers/virtio_rng/virtio*)
echo "vireo-test: rng: current=$(cat $hw/rng_current), virtio device $(basename "$dev") at" \
	"$(basename "$(dirname "$dev")")"

a=$(dd if=/dev/hwrng bs=32 count=1 2>/dev/null | od -An -tx1 | tr -d ' \n')
b=$(dd if=/dev/hwrng bs=32 count=1 2>/dev/null | od -An -tx1 | tr -d ' \n')
[ ${#a} -eq 64 ] && [ ${#b} -eq 64 ] || fail "short read (${#a} and ${#b} hex digits)"
[ "$a" != "$b" ] || fail "two reads gave the same 32 bytes"
echo "vireo-test: rng: read 64 bytes, two reads differ"

