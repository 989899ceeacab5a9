/*
 * A virtual machine: its memory, its devices, its vCPUs and its life cycle.
 */
#ifndef VIREO_VM_H
#define VIREO_VM_H

#include "mmio.h"
#include "platform.h"
#include "stage2.h"
#include "vcpu.h"
#include "vpl011.h"

#define VM_MAX_VCPUS 1
#define VM_NAME_LEN 16

/* The platform every VM sees mirrors QEMU's virt machine, so software
 * built for that machine runs unmodified. */
#define VM_RAM_IPA 0x40000000UL
#define VM_RAM_DEFAULT_SIZE (64UL << 20)
#define VM_UART_IPA 0x09000000UL

enum vm_state {
	VM_RUNNING,
	VM_RESETTING, /* SYSTEM_RESET: restart from its images */
	VM_STOPPED,
};

struct vm {
	char name[VM_NAME_LEN];
	unsigned id;
	enum vm_state state;
	struct stage2 s2;
	ipaddr_t ram_ipa;
	uint64_t ram_size;
	paddr_t ram_pa;
	struct boot_module kernel;
	uint64_t entry; /* IPA of the kernel's first instruction */
	struct mmio_bus mmio;
	struct vpl011 uart;
	uint64_t cntvoff;
	unsigned n_vcpus;
	struct vcpu vcpus[VM_MAX_VCPUS];
};

/* Builds VM number id from a kernel boot module; prints why on failure.
 * Calls no libfdt, but it runs only at boot. */
struct vm *vm_create(unsigned id, const struct boot_module *kernel);
/* Ends the VM for good and says why on the console. Callable from its own
 * trap handlers; its vCPUs leave their run loops at their next exit. */
void vm_stop(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Marks the VM for a restart from its images (PSCI SYSTEM_RESET). */
void vm_request_reset(struct vm *vm);
/* Called by the CPU that ran the vCPU, once it has left the run loop. */
void vm_vcpu_exited(struct vcpu *v);
bool vm_is_running(const struct vm *vm);

/* Reaches guest RAM: the host pointer for [ipa, ipa + size), or NULL if
 * that range is not entirely this VM's RAM. The one checked way in. */
void *vm_ram_ptr(const struct vm *vm, ipaddr_t ipa, uint64_t size);

#endif
