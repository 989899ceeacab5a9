#!/bin/sh
# A victim for the isolation test: keeps printing a heartbeat while another
# VM attacks the machine, and checks each time that 8 MiB of its own memory
# (a tmpfs file full of random bytes, kept in RAM) still has the checksum
# it had at the start. The number of beats comes from vireo.beats=N on the
# kernel command line (default 100); each is about 0.2 s apart.
#
#   vireo-test: heartbeat start beats=N
#   vireo-test: heartbeat 1 sum=ok            (... up to N; sum=BAD if not)
#   vireo-test: heartbeat done bad=0

beats=100
for word in $(cat /proc/cmdline); do
	case $word in
	vireo.beats=*) beats=${word#vireo.beats=} ;;
	esac
done

dd if=/dev/urandom of=/tmp/blob bs=1M count=8 2>/dev/null
sum() {
	set -- $(md5sum /tmp/blob)
	echo "$1"
}
want=$(sum)
echo "vireo-test: heartbeat start beats=$beats"

n=1
bad=0
while [ "$n" -le "$beats" ]; do
	if [ "$(sum)" = "$want" ]; then
		result=ok
	else
		result=BAD
		bad=$((bad + 1))
	fi
	echo "vireo-test: heartbeat $n sum=$result"
	sleep 0.2
	n=$((n + 1))
done
rm -f /tmp/blob
echo "vireo-test: heartbeat done bad=$bad"
