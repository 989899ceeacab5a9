#!/bin/sh
# disk.sh across a reboot of the VM alone (PSCI SYSTEM_RESET): Vireo
# restarts the VM from its images while the machine, and so the disk,
# goes on, and the device must work again in the new boot (its interrupt
# forwarded anew, its DMA into the reloaded RAM). The first boot writes
# /vireo/data and reboots; the second finds it, then moves the disk's
# interrupt to CPU 1 (which makes the kernel write GICD_IROUTER, and
# Vireo route the physical interrupt to vCPU 1's CPU), reads the file
# again from the disk and counts the interrupts CPU 1 took.
#
#   (disk.sh's lines, then on the first boot:)
#   vireo-test: disk: rebooting
#   (on the second:)
#   vireo-test: disk: on CPU 1: read md5=HEX, interrupts=N

sh /tests/disk.sh | tee /tmp/disk.out
if grep -q "disk: wrote" /tmp/disk.out; then
	echo "vireo-test: disk: rebooting"
	reboot -f
fi
irq=$(awk '/virtio0/ { sub(":", "", $1); print $1 }' /proc/interrupts)
echo 2 >"/proc/irq/$irq/smp_affinity"
mount -t ext4 /dev/vda /mnt
echo 3 >/proc/sys/vm/drop_caches
sum=$(md5sum </mnt/vireo/data | cut -d' ' -f1)
umount /mnt
echo "vireo-test: disk: on CPU 1: read md5=$sum," \
	"interrupts=$(awk '/virtio0/ { print $3 }' /proc/interrupts)"
