#!/bin/sh
# The Linux side of "make bench" (tools/bench.py): a CPU- and memory-bound
# workload in tmpfs, timed by the guest's own clock. With "vireo.bench=boot"
# on the kernel command line it does nothing, so that the boot to
# userspace and the power-off are measured alone.
#
#   vireo-bench: booted
#   vireo-bench: data bytes=N
#   vireo-bench: md5 ns=N sum=HEX
#   vireo-bench: gzip ns=N bytes=N
#
# With "vireo.bench=disk" it reads the first 64 MiB of the virtio disk
# (/dev/vda: a device assigned to the VM under Vireo, QEMU's own
# natively) to /dev/null instead, in 1 MiB requests that bypass the page
# cache (O_DIRECT), with a busy loop beside it so that the CPU never idles
# (under -icount with sleep=off an idle CPU lets QEMU move the clock on to
# the next timer, at a moment that depends on the host), and counts the
# device's interrupts meanwhile, from its line in /proc/interrupts (the
# last field names the virtio device):
#
#   vireo-bench: disk ns=N bytes=67108864
#   vireo-bench: disk_irqs n=N
#
# The clock is the kernel's monotonic one, in nanoseconds, read from
# /proc/timer_list ("now at N nsecs"): busybox's date has no %N, and
# /proc/uptime counts in 10 ms steps. Under -icount shift=0 a nanosecond
# is an instruction executed anywhere in the machine. Every input is fixed,
# so every run does the same work.

mode=run
for word in $(cat /proc/cmdline); do
	case $word in
	vireo.bench=*) mode=${word#vireo.bench=} ;;
	esac
done

echo "vireo-bench: booted"
[ "$mode" = boot ] && exit 0

now_ns() {
	while read -r a b c d; do
		if [ "$a $b" = "now at" ]; then
			echo "$c"
			return
		fi
	done </proc/timer_list
}

# The interrupts taken of virtio device $1, on every CPU.
interrupts() {
	awk -v dev="$1" '$NF == dev { n = 0; for (i = 2; $i ~ /^[0-9]+$/; i++) n += $i; print n }' \
		/proc/interrupts
}

if [ "$mode" = disk ]; then
	insmod /lib/modules/virtio_mmio.ko
	insmod /lib/modules/virtio_blk.ko
	dev=$(basename "$(readlink /sys/block/vda/device)")
	n0=$(interrupts "$dev")
	t0=$(now_ns)
	while :; do :; done &
	spin=$!
	dd if=/dev/vda of=/dev/null bs=1M count=64 iflag=direct 2>/dev/null
	kill $spin
	t1=$(now_ns)
	n1=$(interrupts "$dev")
	echo "vireo-bench: disk ns=$((t1 - t0)) bytes=$((64 << 20))"
	echo "vireo-bench: disk_irqs n=$((n1 - n0))"
	exit 0
fi

# 4,200,000 bytes of text: 20,000 numbered lines, six times.
cd /tmp || exit 1
awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "line %06d of the benchmark input\n", i }' >part
cat part part part part part part >data
rm part
echo "vireo-bench: data bytes=$(wc -c <data)"

t0=$(now_ns)
sum=$(md5sum <data)
sum=$(md5sum <data)
t1=$(now_ns)
echo "vireo-bench: md5 ns=$((t1 - t0)) sum=${sum%% *}"

t0=$(now_ns)
gzip -c data >data.gz
t1=$(now_ns)
echo "vireo-bench: gzip ns=$((t1 - t0)) bytes=$(wc -c <data.gz)"
rm data data.gz
