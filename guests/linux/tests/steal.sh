#!/bin/sh
# Stolen time as Linux accounts it from Vireo's PV time records: a busy
# loop pinned to every CPU, and the steal column (the 8th value) of
# /proc/stat's "cpu" line, in clock ticks, before and after. Under
# overcommit the loops wait for the other VM's vCPUs and steal grows; with
# a CPU per vCPU it stays 0.
#
# The loop runs for vireo.busy=S seconds (default 3). With
# vireo.busy_start=console it starts only once a line arrives on the
# console, after "vireo-test: steal waiting": a test starts the loops of
# two VMs together that way, however much longer one took to boot than the
# other (which depends on how loaded the host is: the guests' clocks run
# with its clock).
#
#   vireo-test: steal waiting                 (with vireo.busy_start=console)
#   vireo-test: steal before=N after=N
#   vireo-test: steal ticks=N                 (after - before)

secs=3
start=
for word in $(cat /proc/cmdline); do
	case $word in
	vireo.busy=*) secs=${word#vireo.busy=} ;;
	vireo.busy_start=*) start=${word#vireo.busy_start=} ;;
	esac
done

steal() {
	awk '$1 == "cpu" { print $9 }' /proc/stat
}

if [ "$start" = console ]; then
	echo "vireo-test: steal waiting"
	read -r _
fi
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
