/*
 * Putting a VM's images into its RAM, following the arm64 Linux boot
 * protocol (Documentation/arch/arm64/booting.rst), which bare-metal images
 * with the same header follow too:
 *
 *   RAM base (2 MiB aligned)  + text_offset: the kernel Image, which needs
 *                               image_size bytes from there (its .bss too);
 *   below RAM end - 2 MiB:    the initrd, page aligned;
 *   RAM end - 2 MiB:          the device tree (at most 2 MiB, 8-byte aligned).
 *
 * An image without the header is copied to RAM base.
 *
 * An AArch32 VM (its configuration says so, or its image is a zImage:
 * magic 0x016f2818 at byte 0x24) follows the 32-bit protocol instead
 * (Documentation/arch/arm/booting.rst): its image goes to RAM base +
 * 0x8000, in the first 128 MiB as a zImage wants, the device tree and
 * initrd where a 64-bit VM has them but that "RAM end" is at most RAM
 * base + 512 MiB: a 32-bit Linux maps only its low memory (some 760 MiB
 * with a 3G/1G split), must find its device tree there (booting.rst), and
 * reads its initrd through __phys_to_virt() unchecked (arm_initrd_init());
 * and vcpu.c starts it in SVC mode
 * with r2 = the device tree. Its RAM must lie below 4 GiB, and the CPU
 * must implement AArch32 at EL1. vm_layout() decides
 * the places once and refuses a VM whose RAM cannot hold them;
 * vm_load_images() zeroes the RAM and copies everything in, at creation and
 * at every reset, all of it to the point of coherency, and makes the code
 * visible to instruction fetch.
 */
#include <string.h>

#include "arch/aarch64/cache.h"
#include "arch/aarch64/idregs.h"
#include "core/mem.h"
#include "core/printk.h"
#include "core/vm.h"

#define IMAGE_MAGIC 0x644d5241U /* "ARM\x64" */
#define IMAGE_MAGIC_OFFSET 56
#define IMAGE_TEXT_OFFSET 8
#define IMAGE_SIZE 16
#define DTB_SPACE SZ_2M
#define ZIMAGE_MAGIC 0x016f2818U
#define ZIMAGE_MAGIC_OFFSET 0x24
#define AARCH32_TEXT_OFFSET 0x8000
#define AARCH32_LOWMEM (512UL << 20) /* device tree and initrd below this */

static uint64_t le64_at(const uint8_t *p, unsigned off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static uint32_t le32_at(const uint8_t *p, uint64_t size, unsigned off)
{
	uint32_t v = 0;

	if (size >= off + sizeof(v)) {
		memcpy(&v, p + off, sizeof(v));
	}
	return v;
}

/* Whether the VM's EL1 is AArch32, and whether it can be: false with a
 * message if not. */
static bool choose_arch(struct vm *vm, const uint8_t *img, uint64_t size)
{
	enum vm_arch arch = vm->cfg.arch;

	if (arch == VM_ARCH_AUTO) {
		arch = le32_at(img, size, ZIMAGE_MAGIC_OFFSET) == ZIMAGE_MAGIC ? VM_ARCH_AARCH32 :
										VM_ARCH_AARCH64;
	}
	vm->aarch32 = arch == VM_ARCH_AARCH32;
	if (!vm->aarch32) {
		return true;
	}
	if (!id_aarch32_el1()) {
		printk("vireo: %s: is an AArch32 VM, and these CPUs cannot run AArch32 at EL1\n",
		       vm->name);
		return false;
	}
	if (vm->cfg.gdb != VM_GDB_OFF) {
		printk("vireo: %s: is an AArch32 VM; the GDB stub debugs AArch64 VMs only\n",
		       vm->name);
		return false;
	}
	if (ipa_addr(vm->ram_ipa) + vm->ram_size > SZ_4G) {
		printk("vireo: %s: is an AArch32 VM, and its RAM 0x%lx+0x%lx does not end below "
		       "4 GiB\n",
		       vm->name, ipa_addr(vm->ram_ipa), vm->ram_size);
		return false;
	}
	return true;
}

bool vm_layout(struct vm *vm)
{
	const uint8_t *img = phys_to_virt(vm->cfg.kernel.base);
	uint64_t size = vm->cfg.kernel.size;
	uint64_t footprint = size;
	uint64_t dtb_off, initrd_off, top;

	if (!choose_arch(vm, img, size)) {
		return false;
	}
	vm->kernel_offset = 0;
	if (vm->aarch32) {
		vm->kernel_offset = AARCH32_TEXT_OFFSET;
	} else if (le32_at(img, size, IMAGE_MAGIC_OFFSET) == IMAGE_MAGIC && size >= 64) {
		vm->kernel_offset = le64_at(img, IMAGE_TEXT_OFFSET);
		footprint = MAX(size, le64_at(img, IMAGE_SIZE));
	}
	if (vm->kernel_offset % 4 != 0) {
		printk("vireo: %s: kernel Image header: text_offset 0x%lx is not an instruction "
		       "boundary\n",
		       vm->name, vm->kernel_offset);
		return false;
	}
	top = vm->aarch32 ? MIN(vm->ram_size, AARCH32_LOWMEM) : vm->ram_size;
	dtb_off = top - DTB_SPACE;
	initrd_off = ALIGN_DOWN(dtb_off - vm->cfg.ramdisk.size, PAGE_SIZE);
	/* The header's two numbers are the image's to choose: compared so
	 * that no sum can wrap. */
	if (top < DTB_SPACE || vm->cfg.ramdisk.size > dtb_off ||
	    vm->kernel_offset > initrd_off || footprint > initrd_off - vm->kernel_offset) {
		printk("vireo: %s: %lu MiB of RAM cannot hold its kernel (%lu bytes from offset "
		       "0x%lx), initrd (%lu bytes) and device tree\n",
		       vm->name, vm->ram_size >> 20, footprint, vm->kernel_offset,
		       vm->cfg.ramdisk.size);
		return false;
	}
	vm->entry = ipa(ipa_addr(vm->ram_ipa) + vm->kernel_offset);
	vm->dtb_ipa = ipa(ipa_addr(vm->ram_ipa) + dtb_off);
	vm->initrd_size = vm->cfg.ramdisk.size;
	vm->initrd_ipa = ipa(vm->initrd_size ? ipa_addr(vm->ram_ipa) + initrd_off : 0);
	return true;
}

static void copy_in(struct vm *vm, ipaddr_t ipa_dst, const void *src, uint64_t size)
{
	void *dst = vm_ram_ptr(vm, ipa_dst, size);

	/* vm_layout() placed everything inside RAM. */
	if (dst && size) {
		memcpy(dst, src, size);
	}
}

void vm_load_images(struct vm *vm)
{
	void *ram = phys_to_virt(vm->ram_pa);

	memset(ram, 0, vm->ram_size);
	copy_in(vm, vm->entry, phys_to_virt(vm->cfg.kernel.base), vm->cfg.kernel.size);
	copy_in(vm, vm->initrd_ipa, phys_to_virt(vm->cfg.ramdisk.base), vm->initrd_size);
	copy_in(vm, vm->dtb_ipa, vm->dtb, vm->dtb_size);
	/* The guest starts with its MMU and caches off, reading memory past
	 * the caches: every line of its RAM (the zeroes too) goes to the point
	 * of coherency, and leaves no clean copy behind that the guest's own
	 * uncached writes would make stale (KVM does the same). Data writes
	 * reach instruction fetch only once cleaned that far and the I-cache
	 * is invalidated (Arm ARM D7.5.2). */
	dcache_clean_inval_range(ram, vm->ram_size);
	icache_inval_all();
}
