#!/bin/sh
# Both vCPUs are online and run user code: one bounded busy loop pinned to
# each, and /proc/stat must show each CPU's user time grow meanwhile.
#
#   vireo-test: nproc=2
#   vireo-test: cpu0 done            (and cpu1, in either order)
#   vireo-test: cpu0 busy=yes cpu1 busy=yes
#   vireo-test: date=YYYY-MM-DD      (the day the RTC gave the kernel at boot)

echo "vireo-test: nproc=$(nproc)"

# User plus nice time of one CPU so far, in clock ticks.
user_ticks() {
	awk -v cpu="cpu$1" '$1 == cpu { print $2 + $3; found = 1 } END { if (!found) print 0 }' /proc/stat
}

spin() {
	if taskset -c "$1" sh -c 'i=0; while [ $i -lt 100000 ]; do i=$((i + 1)); done'; then
		echo "vireo-test: cpu$1 done"
	else
		echo "vireo-test: cpu$1 failed"
	fi
}

busy() {
	if [ "$2" -gt "$1" ]; then echo yes; else echo no; fi
}

before0=$(user_ticks 0)
before1=$(user_ticks 1)
spin 0 &
spin 1 &
wait
after0=$(user_ticks 0)
after1=$(user_ticks 1)
echo "vireo-test: cpu0 busy=$(busy "$before0" "$after0") cpu1 busy=$(busy "$before1" "$after1")"
echo "vireo-test: date=$(date -u +%Y-%m-%d)"
