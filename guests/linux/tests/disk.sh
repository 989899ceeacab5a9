#!/bin/sh
# A disk of the VM's own: the virtio-blk device the launcher's --disk
# assigned to it (a host virtio-mmio transport, in the VM's device tree as
# it is on the host), with an ext4 file system made by mkfs.ext4 -d
# (tests/integration/cases_devices.py). Loads the drivers as udev would,
# dependencies first (scripts/setup.sh's MODULES), and mounts /dev/vda on
# /mnt. The first boot of an image writes /vireo/data, 1 MiB made from a
# fixed pattern, and syncs it to the disk; a later boot of the same image
# finds it there and reads it back. Either way the file's md5sum is
# printed, for the test to compare with the pattern's.
#
#   vireo-test: disk: /dev/vda is virtioN at ADDRESS.virtio_mmio, N sectors
#   vireo-test: disk: mounted ext4; hello=TEXT             (/vireo/hello, from mkfs -d)
#   vireo-test: disk: wrote /vireo/data md5=HEX            (first boot; or:)
#   vireo-test: disk: found /vireo/data md5=HEX            (a later boot)
#   vireo-test: disk: unmounted
# and "vireo-test: disk: FAILED: WHY" where a step fails.

fail() {
	echo "vireo-test: disk: FAILED: $*"
	exit 1
}

for m in virtio_mmio virtio_blk crc32c_generic crc16 mbcache jbd2 ext4; do
	insmod "/lib/modules/$m.ko" || fail "insmod $m"
done
# virtio_blk probes the device as it loads: /dev/vda is there when it is.
[ -b /dev/vda ] || fail "no /dev/vda"
# /sys/devices/platform/ADDRESS.virtio_mmio/virtioN: the transport it is on.
dev=$(readlink -f /sys/block/vda/device)
echo "vireo-test: disk: /dev/vda is $(basename "$dev") at $(basename "$(dirname "$dev")")," \
	"$(cat /sys/block/vda/size) sectors"

mkdir -p /mnt
mount -t ext4 /dev/vda /mnt || fail "mount"
echo "vireo-test: disk: mounted ext4; hello=$(cat /mnt/vireo/hello)"

# 16384 lines of 64 bytes: an eight-digit line number and 7 times it in 54.
if [ -f /mnt/vireo/data ]; then
	echo "vireo-test: disk: found /vireo/data md5=$(md5sum </mnt/vireo/data | cut -d' ' -f1)"
else
	awk 'BEGIN { for (i = 0; i < 16384; i++) printf "%08d %054d\n", i, i * 7 }' \
		>/mnt/vireo/data || fail "write"
	sync
	echo "vireo-test: disk: wrote /vireo/data md5=$(md5sum </mnt/vireo/data | cut -d' ' -f1)"
fi
umount /mnt || fail "umount"
echo "vireo-test: disk: unmounted"
