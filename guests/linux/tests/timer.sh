#!/bin/sh
# The guest's clock and timer agree with the host's: "sleep 1" must take
# about one second of guest time (the test accepts 900 to 1500 ms).
#
#   vireo-test: sleep1 ms=1004

# Milliseconds on the guest's clock: date's nanoseconds if this busybox
# has %N, else /proc/uptime (10 ms resolution).
now_ms() {
	ns=$(date +%s%N)
	case $ns in
	'' | *[!0-9]*) awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime ;;
	*) echo $((ns / 1000000)) ;;
	esac
}

start=$(now_ms)
sleep 1
end=$(now_ms)
echo "vireo-test: sleep1 ms=$((end - start))"
