#!/bin/sh
# The VM's SBSA Generic Watchdog, through Debian's driver (a module, loaded
# here as udev would) and busybox's watchdog daemon. While the daemon
# refreshes it, the VM runs on well past the timeout; then the kernel
# panics (sysrq c), nothing refreshes the watchdog any more, and when it
# expires Vireo applies the VM's on-crash policy ("watchdog expired").
# After a restart by the watchdog the driver reports the reset
# (WDIOF_CARDRESET in bootstatus), and the test powers off instead.
#
#   vireo-test: watchdog: sbsa generic watchdog ready (timeout 6 s, bootstatus 0x0)
#   vireo-test: watchdog: alive after 12 s of the daemon's refreshes
#   vireo-test: watchdog: panicking
# or, after the watchdog's reset:
#   vireo-test: watchdog: the last reset was the watchdog's

# A 6 s timeout (the driver runs it single-stage: WOR is half of it).
insmod /lib/modules/sbsa_gwdt.ko timeout=6
wd=/sys/class/watchdog/watchdog0
if [ ! -c /dev/watchdog ] || [ ! -d $wd ]; then
	echo "vireo-test: watchdog: no watchdog device"
	exit 1
fi
status=$(cat $wd/bootstatus)
echo "vireo-test: watchdog: $(tr 'A-Z' 'a-z' <$wd/identity) ready" \
	"(timeout $(cat $wd/timeout) s, bootstatus $(printf '0x%x' "$status"))"
if [ $((status & 0x20)) -ne 0 ]; then
	echo "vireo-test: watchdog: the last reset was the watchdog's"
	exit 0
fi
# Refreshed every second, with the same timeout.
watchdog -T 6 -t 1 /dev/watchdog
sleep 12
echo "vireo-test: watchdog: alive after 12 s of the daemon's refreshes"
echo "vireo-test: watchdog: panicking"
echo c >/proc/sysrq-trigger
echo "vireo-test: watchdog: still here after the panic"
