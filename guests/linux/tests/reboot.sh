#!/bin/sh
# A guest-initiated reboot (PSCI SYSTEM_RESET) restarts the VM from its
# images. With no persistent storage the second boot runs this script
# again, so the VM reboots forever: the test stops after two boots.
#
#   vireo-test: rebooting

echo "vireo-test: rebooting"
reboot -f
