/*
 * reset: checks that PSCI SYSTEM_RESET restarts the VM from its image with
 * its memory zeroed.
 *
 * Each boot looks for a marker it leaves in RAM outside its image (and so
 * outside what start.S clears). Finding it means the reset kept the old
 * memory: a bug. Then it leaves the marker and asks for a reset, forever;
 * the integration test stops it after the second clean boot.
 */
#include "guest.h"

#define MARKER_ADDR 0x40800000UL /* 8 MiB into the VM's RAM */
#define MARKER 0x5245534554UL    /* "RESET" */

int main(void)
{
	volatile uint64_t *marker = (volatile uint64_t *)MARKER_ADDR;

	if (*marker == MARKER) {
		printf("reset: memory kept its old contents (BUG)\n");
		psci_system_off();
	}
	printf("reset: boot with clean memory\n");
	*marker = MARKER;
	hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	printf("reset: SYSTEM_RESET returned (BUG)\n");
	psci_system_off();
}
