/*
 * sve: a vCPU's SVE registers are its own, whoever else runs on its CPU.
 *
 * Two vCPUs, placed on one physical CPU by the test (affinity), take turns
 * there: each, ROUNDS times, fills every scalable register (Z0-Z31,
 * P0-P15, FFR) with a pattern of its own and of the round, announces it,
 * spins until the other has announced the same round (so the other ran on
 * the CPU and loaded its own registers in between; Vireo's time slices
 * take the CPU from a spinning vCPU), stores them all again and compares.
 * vCPU 0 runs at the largest vector length (ZCR_EL1.LEN all ones), vCPU 1
 * at 128 bits, so each vCPU's ZCR_EL1 must move with it too; each checks
 * its length (RDVL) at every round.
 *
 * Lines: "sve: vector length N bytes", "sve: vCPU n: ROUNDS rounds, K
 * wrong", "sve: done"; without SVE, "sve: no SVE" and power-off.
 */
#include "guest.h"

#define PSCI_CPU_ON 0xc4000003U
#define ROUNDS 24
#define MAX_VL 256 /* bytes: the architecture's largest, 2048 bits */
#define IMAGE_SIZE (32 * MAX_VL + 17 * (MAX_VL / 8))

#define PFR0_SVE(v) (((v) >> 32) & 0xf)
#define CPACR_FPEN (3UL << 20)
#define CPACR_ZEN (3UL << 16)

void sve_load_all(const uint8_t *image);
void sve_store_all(uint8_t *image);
uint64_t sve_vl(void);
static uint8_t sve_stack[8192] __attribute__((aligned(16))); /* vCPU 1's */

static uint8_t images[2][2][IMAGE_SIZE] __attribute__((aligned(16)));
static volatile unsigned announced[2];
static volatile unsigned wrong[2], finished[2];

/* The pattern for vCPU id in round r, at vector length vl: bytes that
 * differ between registers, vCPUs and rounds; FFR, which holds only
 * what a first-fault load can leave, a run of true elements. */
static void fill(uint8_t *img, unsigned id, unsigned r, unsigned vl)
{
	unsigned z = 32 * vl, pl = vl / 8, i, ones = (id * 7 + r * 3) % (vl + 1);

	for (i = 0; i < z + 16 * pl; i++) {
		img[i] = (uint8_t)(i * 131 + id * 29 + r * 17 + (i >> 8));
	}
	for (i = 0; i < pl; i++) {
		unsigned bits = ones > 8 * i ? ones - 8 * i : 0;

		img[z + 16 * pl + i] = bits >= 8 ? 0xff : (uint8_t)((1u << bits) - 1);
	}
}

static unsigned image_bytes(unsigned vl)
{
	return 32 * vl + 17 * (vl / 8);
}

static void take_turns(unsigned id, uint64_t zcr_len)
{
	unsigned other = 1 - id, r, vl;

	write_sysreg(cpacr_el1, CPACR_FPEN | CPACR_ZEN);
	isb();
	write_sysreg(s3_0_c1_c2_0, zcr_len); /* ZCR_EL1 */
	isb();
	vl = sve_vl();
	for (r = 1; r <= ROUNDS; r++) {
		unsigned i, n = image_bytes(vl);

		fill(images[id][0], id, r, vl);
		sve_load_all(images[id][0]);
		announced[id] = r;
		while (announced[other] < r && !finished[other]) {
		}
		sve_store_all(images[id][1]);
		for (i = 0; i < n; i++) {
			if (images[id][0][i] != images[id][1][i]) {
				break;
			}
		}
		if (i < n || sve_vl() != vl) {
			wrong[id]++;
			printf("sve: vCPU %u round %u: %s at byte %u\n", id, r,
			       sve_vl() != vl ? "vector length changed" : "registers changed", i);
		}
	}
	printf("sve: vCPU %u: %u rounds at %u bytes, %u wrong\n", id, ROUNDS, vl, wrong[id]);
	finished[id] = 1;
}

static void sve_secondary(void)
{
	guest_install_vectors();
	take_turns(1, 0); /* 128 bits */
	for (;;) {
		__asm__ volatile("wfi");
	}
}

int main(void)
{
	if (!PFR0_SVE(read_sysreg(id_aa64pfr0_el1))) {
		puts("sve: no SVE");
		psci_system_off();
	}
	write_sysreg(cpacr_el1, CPACR_FPEN | CPACR_ZEN);
	isb();
	write_sysreg(s3_0_c1_c2_0, 0xf);
	isb();
	printf("sve: vector length %lu bytes\n", sve_vl());
	static const struct guest_start start = { sve_stack + sizeof(sve_stack), sve_secondary };

	if (guest_cpu_on(1, &start) != 0) {
		puts("sve: CPU_ON failed");
		psci_system_off();
	}
	take_turns(0, 0xf);
	while (!finished[1]) {
	}
	puts(wrong[0] || wrong[1] ? "sve: FAILED" : "sve: done");
	psci_system_off();
}
