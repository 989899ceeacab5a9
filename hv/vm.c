/*
 * Building, resetting and ending VMs.
 *
 * vm_create() turns a kernel boot module into a VM:
 *   1. its RAM: contiguous pages from the allocator (zeroed), 2 MiB aligned
 *      so stage 2 can map it with blocks, at IPA 0x40000000 as on QEMU virt;
 *   2. its stage-2 tables with its own VMID (VM id + 1; 0 is never a
 *      guest's), mapping that RAM and nothing else;
 *   3. its emulated devices, registered as IPA ranges: the PL011 console;
 *   4. its images copied into RAM (an arm64 Image at RAM base plus the
 *      header's text_offset, anything else at RAM base);
 *   5. its vCPU, reset to enter the kernel at EL1 with MMU off.
 * Everything else in the IPA space stays unmapped and so faults to Vireo.
 *
 * A VM ends with vm_stop(), which records and prints the first reason; its
 * vCPU leaves the run loop, and the CPU that ran it calls vm_vcpu_exited(),
 * which frees the VM's memory and, when no VM is left, powers the machine
 * off. SYSTEM_RESET goes the same way but reloads the VM instead.
 * Lock order: vm_lock, then mem_lock (mem.c).
 */
#include "vm.h"

#include <stdarg.h>
#include <string.h>

#include "firmware.h"
#include "mem.h"
#include "mmu.h"
#include "printk.h"
#include "spinlock.h"

#define IMAGE_MAGIC 0x644d5241U /* "ARM\x64" */
#define IMAGE_MAGIC_OFFSET 56
#define IMAGE_TEXT_OFFSET 8

static struct vm vms[MAX_VMS];
static unsigned vms_alive;
static spinlock_t vm_lock = SPINLOCK_INIT;

bool vm_is_running(const struct vm *vm)
{
	return __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) == VM_RUNNING;
}

void *vm_ram_ptr(const struct vm *vm, ipaddr_t addr, uint64_t size)
{
	uint64_t off = ipa_addr(addr) - ipa_addr(vm->ram_ipa);

	if (ipa_addr(addr) < ipa_addr(vm->ram_ipa) || off > vm->ram_size ||
	    size > vm->ram_size - off) {
		return NULL;
	}
	return pa_to_ptr(pa(pa_addr(vm->ram_pa) + off));
}

/* Where in RAM an image goes: the arm64 Image header's text_offset, if
 * the image has that header (Documentation/arch/arm64/booting.rst). */
static uint64_t image_offset(const uint8_t *img, uint64_t size)
{
	uint32_t magic;
	uint64_t text_offset;

	if (size < 64) {
		return 0;
	}
	memcpy(&magic, img + IMAGE_MAGIC_OFFSET, sizeof(magic));
	if (magic != IMAGE_MAGIC) {
		return 0;
	}
	memcpy(&text_offset, img + IMAGE_TEXT_OFFSET, sizeof(text_offset));
	return text_offset;
}

/* Copies the images into zeroed RAM and makes the code visible to the
 * instruction side (D7.5.2: data writes are not seen by instruction fetch
 * until cleaned to the PoU and the I-cache is invalidated). */
static bool load_images(struct vm *vm)
{
	const uint8_t *img = pa_to_ptr(vm->kernel.range.base);
	uint64_t size = vm->kernel.range.size;
	uint64_t offset = image_offset(img, size);
	void *dst = vm_ram_ptr(vm, ipa(ipa_addr(vm->ram_ipa) + offset), size);

	if (!dst) {
		return false;
	}
	memset(pa_to_ptr(vm->ram_pa), 0, vm->ram_size);
	memcpy(dst, img, size);
	dcache_clean_range(dst, size);
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
	vm->entry = ipa_addr(vm->ram_ipa) + offset;
	return true;
}

static void reset_vcpus(struct vm *vm)
{
	unsigned i;

	for (i = 0; i < vm->n_vcpus; i++) {
		vcpu_reset(&vm->vcpus[i], i == 0 ? vm->entry : 0, 0);
	}
	/* Each VM's virtual counter starts near zero when it (re)starts. */
	vm->cntvoff = read_sysreg(cntpct_el0);
}

static bool build(struct vm *vm)
{
	uint64_t pages = vm->ram_size / PAGE_SIZE;
	unsigned i;

	if (!mem_alloc(pages, SZ_2M / PAGE_SIZE, &vm->ram_pa)) {
		printk("vireo: %s: not enough memory for %lu MiB of RAM\n", vm->name,
		       vm->ram_size >> 20);
		return false;
	}
	if (stage2_init(&vm->s2, arch_pa_bits(), MIN(arch_parange(), 5UL), vm->id + 1,
			&mem_pgtable_mm) != PGTABLE_OK ||
	    stage2_map(&vm->s2, vm->ram_ipa, vm->ram_pa, vm->ram_size, STAGE2_RAM) != PGTABLE_OK) {
		printk("vireo: %s: cannot build stage-2 tables\n", vm->name);
		return false;
	}
	vpl011_init(&vm->uart, vm->name);
	if (!mmio_register(&vm->mmio, ipa(VM_UART_IPA), PAGE_SIZE, &vpl011_ops, &vm->uart)) {
		return false;
	}
	if (!load_images(vm)) {
		printk("vireo: %s: kernel image (%lu bytes) does not fit in its RAM\n", vm->name,
		       vm->kernel.range.size);
		return false;
	}
	vm->n_vcpus = 1;
	for (i = 0; i < vm->n_vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].id = i;
		vm->vcpus[i].vmpidr = MPIDR_RES1 | FIELD_PREP(MPIDR_AFF0, i);
	}
	reset_vcpus(vm);
	return true;
}

struct vm *vm_create(unsigned id, const struct boot_module *kernel)
{
	struct vm *vm;

	if (id >= MAX_VMS) {
		printk("vireo: more than %d VMs; the rest are ignored\n", MAX_VMS);
		return NULL;
	}
	vm = &vms[id];
	*vm = (struct vm){
		.id = id,
		.kernel = *kernel,
		.ram_ipa = ipa(VM_RAM_IPA),
		.ram_size = VM_RAM_DEFAULT_SIZE,
	};
	snprintf(vm->name, sizeof(vm->name), "vm%u", id);
	if (!build(vm)) {
		return NULL;
	}
	vm->state = VM_RUNNING;
	spin_lock(&vm_lock);
	vms_alive++;
	spin_unlock(&vm_lock);
	printk("vireo: %s: %lu MiB RAM at IPA 0x%lx (PA 0x%lx), VMID %u, entry 0x%lx\n", vm->name,
	       vm->ram_size >> 20, ipa_addr(vm->ram_ipa), pa_addr(vm->ram_pa), vm->s2.vmid,
	       vm->entry);
	return vm;
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
	char reason[160];
	va_list ap;

	spin_lock(&vm_lock);
	if (vm->state == VM_STOPPED) {
		spin_unlock(&vm_lock); /* the first reason is the one that counts */
		return;
	}
	__atomic_store_n(&vm->state, VM_STOPPED, __ATOMIC_RELEASE);
	spin_unlock(&vm_lock);
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	vpl011_flush(&vm->uart);
	printk("vireo: %s stopped: %s\n", vm->name, reason);
}

void vm_request_reset(struct vm *vm)
{
	spin_lock(&vm_lock);
	if (vm->state == VM_RUNNING) {
		__atomic_store_n(&vm->state, VM_RESETTING, __ATOMIC_RELEASE);
	}
	spin_unlock(&vm_lock);
}

/* Returns the VM's memory. Its TLB entries go first, so the VMID can be
 * reused safely: VTTBR_EL2 still holds this VM's VMID on this CPU. */
static void destroy(struct vm *vm)
{
	write_sysreg(vttbr_el2, stage2_vttbr(&vm->s2));
	isb();
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	stage2_destroy(&vm->s2);
	mem_free(vm->ram_pa, vm->ram_size / PAGE_SIZE);
}

void vm_vcpu_exited(struct vcpu *v)
{
	struct vm *vm = v->vm;
	unsigned left;

	if (vm->state == VM_RESETTING) {
		vpl011_flush(&vm->uart);
		printk("vireo: %s: resetting\n", vm->name);
		load_images(vm);
		reset_vcpus(vm);
		__atomic_store_n(&vm->state, VM_RUNNING, __ATOMIC_RELEASE);
		return;
	}
	destroy(vm);
	spin_lock(&vm_lock);
	left = --vms_alive;
	spin_unlock(&vm_lock);
	if (left == 0) {
		printk("vireo: no VM left; powering off\n");
		firmware_system_off();
	}
}
