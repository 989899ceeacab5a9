#!/bin/sh
# Stolen time as Linux accounts it from Vireo's PV time records: a busy
# loop pinned to every CPU, and the steal column (the 8th value) of
# /proc/stat's "cpu" line, in clock ticks, before and after. Under
# overcommit the loops wait for the other VM's vCPUs and steal grows; with
# a CPU per vCPU it stays 0.
#
# The loop runs for vireo.busy=S seconds (default 3), or, with
# vireo.busy_until=T, until the uptime reaches T seconds (and 2 s at
# least): VMs booted together share a clock origin, so that way the loops
# of VMs that boot at different speeds still run at the same time.
#
#   vireo-test: steal before=N after=N
#   vireo-test: steal ticks=N                 (after - before)

secs=3
until=
for word in $(cat /proc/cmdline); do
	case $word in
	vireo.busy=*) secs=${word#vireo.busy=} ;;
	vireo.busy_until=*) until=${word#vireo.busy_until=} ;;
	esac
done
if [ -n "$until" ]; then
	up=$(cut -d. -f1 /proc/uptime)
	secs=$((until - up))
	[ "$secs" -ge 2 ] || secs=2
fi

steal() {
	awk '$1 == "cpu" { print $9 }' /proc/stat
}

before=$(steal)
pids=
cpu=0
while [ "$cpu" -lt "$(nproc)" ]; do
	taskset -c "$cpu" sh -c 'while :; do :; done' &
	pids="$pids $!"
	cpu=$((cpu + 1))
done
sleep "$secs"
kill $pids
wait 2>/dev/null
after=$(steal)
echo "vireo-test: steal before=$before after=$after"
echo "vireo-test: steal ticks=$((after - before))"
