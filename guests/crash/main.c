/*
 * crash: a guest that cannot take its own abort, which Vireo must stop.
 *
 * With VBAR_EL1 pointing at IPA 0 (unmapped), the external abort Vireo
 * injects for the load from 0x30000000 would vector to an address that
 * aborts again, forever. Vireo has to notice and stop the VM; reaching the
 * line after the load means it did not.
 */
#include "guest.h"

#define UNMAPPED_LOAD 0x30000000UL

int main(void)
{
	printf("crash test: start\n");

	write_sysreg(vbar_el1, 0);
	isb();
	uint32_t val;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(val) : "r"(UNMAPPED_LOAD) : "memory");
	(void)val;

	printf("crash test: survived (BUG)\n");
	psci_system_off();
}
