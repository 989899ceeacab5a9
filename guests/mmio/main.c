/*
 * mmio: exercises Vireo's MMIO emulation on the emulated PL011, through
 * both decode paths.
 *
 * Plain loads and stores arrive with ESR_EL2.ISV set, and Vireo takes the
 * access from the syndrome. Pairs (LDP/STP) and writeback forms arrive
 * with ISV clear, and Vireo must decode the instruction itself, including
 * the base register update. What it cannot emulate (an exclusive load, a
 * 64-bit access the UART does not support) must come back as a data abort,
 * never as a guess. Every line it prints is checked by the integration
 * tests.
 */
#include "guest.h"

#define UART_IBRD 0x024
#define UART_IFLS 0x034
#define UART_PERIPHID0 0xfe0
#define UART_PCELLID0 0xff0

static volatile int aborts;

void guest_exception(struct guest_frame *f, int vector)
{
	if (vector == VEC_CUR_SPX_SYNC && ESR_EC(f->esr) == ESR_EC_DABT_CUR) {
		printf("mmio: abort ec=0x%x dfsc=0x%x far=0x%lx\n", (unsigned)ESR_EC(f->esr),
		       (unsigned)ESR_FSC(f->esr), f->far);
		f->elr += 4;
		aborts++;
		return;
	}
	guest_unhandled(f, vector);
}

static void syndrome_path(void)
{
	uint64_t base = GUEST_UART_BASE;
	uint32_t w, b;

	__asm__ volatile("ldr %w0, [%1, #0xfe0]" : "=r"(w) : "r"(base) : "memory");
	__asm__ volatile("ldrb %w0, [%1, #0xfe4]" : "=r"(b) : "r"(base) : "memory");
	printf("mmio: ldr periphid0=0x%x ldrb periphid1=0x%x\n", w, b);
}

static void decode_path(void)
{
	uint64_t p = GUEST_UART_BASE + UART_PCELLID0;
	uint64_t q = GUEST_UART_BASE + UART_PERIPHID0 + 8;
	uint64_t r = GUEST_UART_BASE + UART_IFLS - 4;
	uint64_t s = GUEST_UART_BASE + UART_IBRD;
	uint32_t a = 0, b = 0, c = 0, ibrd = 0, fbrd = 0, ifls = 0;

	__asm__ volatile("ldp %w0, %w1, [%2]" : "=r"(a), "=r"(b) : "r"(p) : "memory");
	printf("mmio: ldp pcellid0=0x%x pcellid1=0x%x\n", a, b);

	__asm__ volatile("ldr %w0, [%1], #4" : "=r"(c), "+r"(q) : : "memory");
	printf("mmio: post-index ldr periphid2=0x%x base+=%lu\n", c,
	       q - (GUEST_UART_BASE + UART_PERIPHID0 + 8));

	__asm__ volatile("str %w1, [%0, #4]!" : "+r"(r) : "r"(0x9U) : "memory");
	__asm__ volatile("ldr %w0, [%1]" : "=r"(ifls) : "r"(GUEST_UART_BASE + UART_IFLS) : "memory");
	printf("mmio: pre-index str ifls=0x%x base ok=%d\n", ifls,
	       r == GUEST_UART_BASE + UART_IFLS);

	__asm__ volatile("stp %w0, %w1, [%2]" : : "r"(0x1aU), "r"(0x2bU), "r"(s) : "memory");
	__asm__ volatile("ldp %w0, %w1, [%2]" : "=r"(ibrd), "=r"(fbrd) : "r"(s) : "memory");
	printf("mmio: stp/ldp ibrd=0x%x fbrd=0x%x\n", ibrd, fbrd);
}

static void refused(void)
{
	uint64_t base = GUEST_UART_BASE + UART_PERIPHID0;
	uint64_t v = 0x5a5a;
	uint32_t w = 0x5a5a;

	__asm__ volatile("ldxr %w0, [%1]" : "+r"(w) : "r"(base) : "memory");
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(base) : "memory");
	printf("mmio: refused accesses aborted=%d, registers untouched=%d\n", aborts,
	       w == 0x5a5a && v == 0x5a5a);
}

int main(void)
{
	guest_install_vectors();
	printf("mmio test: start\n");
	syndrome_path();
	decode_path();
	refused();
	printf("mmio test: done\n");
	psci_system_off();
}
