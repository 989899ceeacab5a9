#!/bin/sh
# The SMCCC TRNG as the kernel's hardware random number generator. With an
# entropy source in the CPU (-cpu max) Vireo offers the TRNG calls, the
# kernel's SMCCC probe registers the smccc_trng platform device, and
# Debian's driver for it (a module, loaded here as udev would) makes it
# the current hwrng. Reads a few bytes from it.
#
#   vireo-test: rng=smccc_trng
#   vireo-test: hwrng read ok                 (or: hwrng read failed)

insmod /lib/modules/arm_smccc_trng.ko
echo "vireo-test: rng=$(cat /sys/class/misc/hw_random/rng_current)"
bytes=$(dd if=/dev/hwrng bs=32 count=1 2>/dev/null | wc -c)
if [ "$bytes" -eq 32 ]; then
	echo "vireo-test: hwrng read ok"
else
	echo "vireo-test: hwrng read failed ($bytes bytes)"
fi
