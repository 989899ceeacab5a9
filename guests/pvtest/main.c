/*
 * pvtest: every call of Vireo's paravirtual interface (docs/hypercalls.md),
 * with valid arguments and with each invalid one, through guests/common/
 * vireo_pv.h.
 *
 * Each check prints one fixed line, "pvtest: NAME: ok" or "pvtest: NAME:
 * FAIL ...", and the run ends with "pvtest: done, N checks, M failed" and
 * PSCI SYSTEM_OFF. What it covers:
 *   - the vendor calls over both conduits (hvc: and smc: checks): VERSION,
 *     NULL, REVISION, CALL_UID, YIELD, unknown and mis-sized IDs, HVC with
 *     a nonzero immediate;
 *   - SHARED_PAGE: unaligned, outside RAM (below, at its end, in a device
 *     page), wrapping, 0 to stop; the page's contents after it (layout,
 *     features, vcpu_id, sequence, times, reserved bytes untouched,
 *     guest_flags the guest's own); the sequence and running time advancing
 *     across a YIELD, stolen time staying 0 (each vCPU has a CPU of its
 *     own); pending_irqs with an SGI left pending; a failed call leaving
 *     the page in place; moving it; stopping it;
 *   - CONSOLE_WRITE: too long, outside RAM, wrapping, across RAM's end,
 *     length 0, a line (which the test finds on the console) and a full
 *     4096-byte buffer;
 *   - CHANNEL_INFO and DOORBELL for channels that do not exist (this guest
 *     runs without any: guests/pvchan covers the rest);
 *   - PV time: SMCCC_ARCH_FEATURES, PV_TIME_FEATURES, PV_TIME_ST and the
 *     record it points to; the TRNG: all -1 without RNDR, else VERSION,
 *     FEATURES, GET_UUID, RND32 and RND64 with good and bad sizes;
 *   - with a second vCPU (started with PSCI CPU_ON): its own shared page
 *     (vcpu_id 1) and stolen-time record (at 0x090a0040).
 * RAM's extent and the "vireo,hypervisor-1.0" node come from the device
 * tree Vireo passes in x0.
 */
#include "guest.h"
#include "vireo_pv.h"

#define PSCI_CPU_ON 0xc4000003U
#define PSCI_AFFINITY_INFO 0xc4000004U
#define PSCI_CPU_OFF 0x84000002U

static int checks, failed;

/* One check: its line, and the totals. */
static void check(const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void check(const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (ok) {
		printf("pvtest: %s: ok\n", name);
		return;
	}
	failed++;
	printf("pvtest: %s: FAIL ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putc('\n');
}

static void expect(const char *name, int64_t got, int64_t want)
{
	check(name, got == want, "got %ld (0x%lx), want %ld (0x%lx)", got, (uint64_t)got, want,
	      (uint64_t)want);
}

/* a + b in a static buffer, for check names built on the fly (each
 * is used before the next is made). */
static const char *cat(const char *a, const char *b)
{
	static char buf[128];
	unsigned i = 0;

	for (const char *s = a; *s && i < sizeof(buf) - 1; s++) {
		buf[i++] = *s;
	}
	for (const char *s = b; *s && i < sizeof(buf) - 1; s++) {
		buf[i++] = *s;
	}
	buf[i] = '\0';
	return buf;
}

/* "hvc: version" and the like, for the checks run over both conduits. */
static const char *conduit_prefix;

static const char *named(const char *what)
{
	return cat(conduit_prefix, what);
}

static void cexpect(const char *what, int64_t got, int64_t want)
{
	expect(named(what), got, want);
}

static int64_t call(uint32_t fn, uint64_t a1, uint64_t a2)
{
	return (int64_t)vireo_smccc(fn, a1, a2, 0).a0;
}

/* --- the device tree ------------------------------------------------------ */

#define FDT_MAGIC 0xd00dfeedU
#define FDT_BEGIN_NODE 1U
#define FDT_END_NODE 2U
#define FDT_PROP 3U
#define FDT_NOP 4U

static uint32_t be32(const void *p)
{
	uint32_t v = *(const volatile uint32_t *)p; /* aligned: FDT cells are */

	return __builtin_bswap32(v);
}

static int prefix(const char *s, const char *p)
{
	while (*p) {
		if (*s++ != *p++) {
			return 0;
		}
	}
	return 1;
}

static uint64_t ram_base, ram_size;
static int dt_hypervisor;

/* RAM from /memory's reg (two cells each, as Vireo writes it) and whether
 * /hypervisor says "vireo,hypervisor-1.0". */
static void read_dt(uint64_t fdt)
{
	const uint8_t *base = (const uint8_t *)(uintptr_t)fdt;
	const uint8_t *p, *strings;
	int depth = 0, in_memory = 0, in_hyp = 0;

	if (!fdt || be32(base) != FDT_MAGIC) {
		return;
	}
	p = base + be32(base + 8);
	strings = base + be32(base + 12);
	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			unsigned len = 0;

			while (p[len]) {
				len++;
			}
			depth++;
			in_memory = depth == 2 && prefix(name, "memory");
			in_hyp = depth == 2 && prefix(name, "hypervisor");
			p += (len + 4) & ~3U;
		} else if (tok == FDT_END_NODE) {
			depth--;
			in_memory = in_hyp = 0;
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p), nameoff = be32(p + 4);
			const char *pname = (const char *)strings + nameoff;
			const uint8_t *val = p + 8;

			if (in_memory && prefix(pname, "reg") && pname[3] == '\0' && len >= 16) {
				ram_base = (uint64_t)be32(val) << 32 | be32(val + 4);
				ram_size = (uint64_t)be32(val + 8) << 32 | be32(val + 12);
			}
			if (in_hyp && prefix(pname, "compatible") &&
			    prefix((const char *)val, "vireo,hypervisor-1.0")) {
				dt_hypervisor = 1;
			}
			p += 8 + ((len + 3) & ~3U);
		} else if (tok != FDT_NOP) {
			return; /* FDT_END, or something broken */
		}
	}
}

/* --- small helpers --------------------------------------------------------- */

static void fill(volatile void *p, uint8_t v, uint64_t n)
{
	volatile uint8_t *b = p;

	while (n--) {
		*b++ = v;
	}
}

/* The first byte in [from, to) that is not zero, or -1. */
static int64_t nonzero_at(const volatile void *p, uint64_t from, uint64_t to)
{
	const volatile uint8_t *b = p;

	for (uint64_t i = from; i < to; i++) {
		if (b[i]) {
			return (int64_t)i;
		}
	}
	return -1;
}

static void spin_ms(uint64_t ms)
{
	uint64_t end = read_sysreg(cntvct_el0) + read_sysreg(cntfrq_el0) / 1000 * ms;

	while (read_sysreg(cntvct_el0) < end) {
	}
}

/* HVC with a nonzero immediate: reserved, NOT_SUPPORTED. */
static int64_t hvc_imm1(uint32_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;

	__asm__ volatile("hvc #1"
			 : "+r"(x0)
			 :
			 : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
			   "x13", "x14", "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

/* --- the shared pages --------------------------------------------------------- */

static struct vireo_shared_page page_a, page_b, page_c;

static void check_snapshot(const char *who, const struct vireo_pv_snapshot *s, uint32_t vcpu)
{
	expect(cat(who, "layout"), s->layout, VIREO_PAGE_LAYOUT);
	expect(cat(who, "features"), (int64_t)s->features,
	       VIREO_FEAT_STEAL | VIREO_FEAT_CONSOLE | VIREO_FEAT_CHANNELS | VIREO_FEAT_YIELD);
	expect(cat(who, "vcpu_id"), s->vcpu_id, vcpu);
	expect(cat(who, "preempted"), s->preempted, 0);
	expect(cat(who, "stolen_ns"), (int64_t)s->stolen_ns, 0);
	expect(cat(who, "pending_irqs"), s->pending_irqs, 0);
	check(cat(who, "sequence even"), !(s->sequence & 1), "sequence %u", s->sequence);
}

/* --- the second vCPU ------------------------------------------------------------ */

struct secondary_result {
	volatile int done;
	int64_t set, pv_st;
	struct vireo_pv_snapshot snap;
	uint32_t rec_revision, rec_attributes;
	uint64_t rec_stolen;
};

static struct secondary_result second;
static uint8_t pvtest_secondary_stack[8192] __attribute__((aligned(16)));

/* Runs on vCPU 1, silently: vCPU 0 prints what it found. */
static void pvtest_secondary(void)
{
	const volatile struct vireo_pvtime_record *rec;

	guest_install_vectors();
	second.set = vireo_shared_page_set_ptr(&page_c);
	vireo_shared_page_read(&page_c, &second.snap);
	second.pv_st = vireo_pv_time_st();
	if (second.pv_st == (int64_t)(VIREO_PVTIME_IPA + sizeof(struct vireo_pvtime_record))) {
		rec = (const volatile struct vireo_pvtime_record *)(uintptr_t)second.pv_st;
		second.rec_revision = rec->revision;
		second.rec_attributes = rec->attributes;
		second.rec_stolen = rec->stolen_time;
	}
	vireo_shared_page_set(0);
	__asm__ volatile("dmb ish" ::: "memory");
	second.done = 1;
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

static void test_secondary(void)
{
	static const struct guest_start start = {
		pvtest_secondary_stack + sizeof(pvtest_secondary_stack), pvtest_secondary };
	int64_t r = guest_cpu_on(1, &start);
	uint64_t deadline;

	if (r == -2) {
		printf("pvtest: vcpu1: not present (boot with 2 vCPUs to test it)\n");
		return;
	}
	expect("vcpu1: cpu_on", r, 0);
	deadline = read_sysreg(cntvct_el0) + read_sysreg(cntfrq_el0) * 5;
	while (!second.done && read_sysreg(cntvct_el0) < deadline) {
	}
	check("vcpu1: finished", second.done, "no answer from vCPU 1 in 5 s");
	if (!second.done) {
		return;
	}
	__asm__ volatile("dmb ish" ::: "memory");
	expect("vcpu1: shared_page", second.set, 0);
	check_snapshot("vcpu1: page: ", &second.snap, 1);
	expect("vcpu1: pv_time_st", second.pv_st,
	       (int64_t)(VIREO_PVTIME_IPA + sizeof(struct vireo_pvtime_record)));
	expect("vcpu1: record revision", second.rec_revision, 0);
	expect("vcpu1: record attributes", second.rec_attributes, 0);
	expect("vcpu1: record stolen_time", (int64_t)second.rec_stolen, 0);
	/* It switches itself off: AFFINITY_INFO says OFF soon after. */
	deadline = read_sysreg(cntvct_el0) + read_sysreg(cntfrq_el0) * 5;
	while ((r = (int64_t)hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0)) != 1 &&
	       read_sysreg(cntvct_el0) < deadline) {
	}
	expect("vcpu1: off", r, 1);
}

/* --- the calls, over one conduit ---------------------------------------------------- */

static const char console_line_hvc[] = "pvtest: console_write through hvc\n";
static const char console_line_smc[] = "pvtest: console_write through smc\n";

static void test_conduit(enum vireo_conduit c)
{
	uint64_t ram_end = ram_base + ram_size;
	uint32_t uid[4], minor = 7;
	int64_t r;

	vireo_pv_conduit = c;
	conduit_prefix = c == VIREO_CONDUIT_HVC ? "hvc: " : "smc: ";

	/* Identity. */
	cexpect("version", vireo_version(), VIREO_VERSION_1_0);
	cexpect("null", vireo_null(), 0);
	r = vireo_revision(&minor);
	check(named("revision"), r == 1 && minor == 0, "got %ld.%u, want 1.0", r, minor);
	vireo_uid(uid);
	check(named("call_uid"),
	      uid[0] == VIREO_UID_W0 && uid[1] == VIREO_UID_W1 && uid[2] == VIREO_UID_W2 &&
		      uid[3] == VIREO_UID_W3,
	      "got %08x %08x %08x %08x", uid[0], uid[1], uid[2], uid[3]);
	cexpect("yield", vireo_yield(), 0);

	/* IDs Vireo does not implement, or not in that form. */
	cexpect("unknown 0x86000007", call(0x86000007U, 0, 0), VIREO_NOT_SUPPORTED);
	cexpect("unknown 0x8600fe00", call(0x8600fe00U, 0, 0), VIREO_NOT_SUPPORTED);
	cexpect("unknown call_count 0x8600ff00", call(0x8600ff00U, 0, 0), VIREO_NOT_SUPPORTED);
	cexpect("unknown 0x8600ff02", call(0x8600ff02U, 0, 0), VIREO_NOT_SUPPORTED);
	cexpect("unknown 0x8600ffff", call(0x8600ffffU, 0, 0), VIREO_NOT_SUPPORTED);
	cexpect("unknown smc64 version 0xc6000000", call(0xc6000000U, 0, 0), VIREO_NOT_SUPPORTED);
	cexpect("unknown smc32 shared_page 0x86000002", call(0x86000002U, (uint64_t)&page_b, 0),
		VIREO_NOT_SUPPORTED);
	cexpect("unknown smc32 console_write 0x86000003",
		call(0x86000003U, (uint64_t)console_line_hvc, 4), VIREO_NOT_SUPPORTED);
	cexpect("unknown yielding-call version 0x06000000", call(0x06000000U, 0, 0),
		VIREO_NOT_SUPPORTED);
	cexpect("unknown owner 7 0x87000000", call(0x87000000U, 0, 0), VIREO_NOT_SUPPORTED);
	cexpect("unknown pv_time 0xc5000022", call(0xc5000022U, 0, 0), VIREO_NOT_SUPPORTED);

	/* SHARED_PAGE: everything but a page of RAM is refused. */
	cexpect("shared_page unaligned", vireo_shared_page_set((uint64_t)&page_b + 8),
		VIREO_INVALID_PARAMETERS);
	cexpect("shared_page unaligned by 2048", vireo_shared_page_set((uint64_t)&page_b + 2048),
		VIREO_INVALID_PARAMETERS);
	cexpect("shared_page below ram", vireo_shared_page_set(ram_base - 0x1000),
		VIREO_INVALID_PARAMETERS);
	cexpect("shared_page ipa 0x1000", vireo_shared_page_set(0x1000), VIREO_INVALID_PARAMETERS);
	cexpect("shared_page at ram end", vireo_shared_page_set(ram_end), VIREO_INVALID_PARAMETERS);
	cexpect("shared_page far above ram", vireo_shared_page_set(1UL << 40),
		VIREO_INVALID_PARAMETERS);
	cexpect("shared_page uart page", vireo_shared_page_set(GUEST_UART_BASE),
		VIREO_INVALID_PARAMETERS);
	cexpect("shared_page pv time page", vireo_shared_page_set(VIREO_PVTIME_IPA),
		VIREO_INVALID_PARAMETERS);
	cexpect("shared_page wrapping", vireo_shared_page_set(0xfffffffffffff000UL),
		VIREO_INVALID_PARAMETERS);

	/* CONSOLE_WRITE. */
	cexpect("console_write too long", vireo_console_write((void *)ram_base, 4097),
		VIREO_INVALID_PARAMETERS);
	cexpect("console_write huge length", vireo_console_write((void *)ram_base, ~0UL),
		VIREO_INVALID_PARAMETERS);
	cexpect("console_write outside ram", vireo_console_write((void *)GUEST_UART_BASE, 8),
		VIREO_INVALID_PARAMETERS);
	cexpect("console_write below ram", vireo_console_write((void *)(ram_base - 16), 8),
		VIREO_INVALID_PARAMETERS);
	cexpect("console_write across ram end", vireo_console_write((void *)(ram_end - 8), 16),
		VIREO_INVALID_PARAMETERS);
	cexpect("console_write wrapping", vireo_console_write((void *)0xfffffffffffffff0UL, 0x20),
		VIREO_INVALID_PARAMETERS);
	cexpect("console_write length 0", vireo_console_write(console_line_hvc, 0), 0);
	{
		const char *line = c == VIREO_CONDUIT_HVC ? console_line_hvc : console_line_smc;

		cexpect("console_write line", vireo_console_write(line, sizeof(console_line_hvc) - 1),
			sizeof(console_line_hvc) - 1);
	}

	/* Channels: this VM has none. */
	cexpect("channel_info 0", vireo_channel_info(0, 0), VIREO_INVALID_PARAMETERS);
	cexpect("channel_info 7", vireo_channel_info(7, 0), VIREO_INVALID_PARAMETERS);
	cexpect("channel_info 0x100000000", vireo_channel_info(1UL << 32, 0),
		VIREO_INVALID_PARAMETERS);
	cexpect("channel_info -1", vireo_channel_info(~0UL, 0), VIREO_INVALID_PARAMETERS);
	cexpect("doorbell 0", vireo_doorbell(0), VIREO_INVALID_PARAMETERS);
	cexpect("doorbell 8", vireo_doorbell(8), VIREO_INVALID_PARAMETERS);
	cexpect("doorbell 0xffffffff", vireo_doorbell(0xffffffffU), VIREO_INVALID_PARAMETERS);
	cexpect("doorbell 0x100000000 (w1 = 0)", call(VIREO_FN_DOORBELL, 1UL << 32, 0),
		VIREO_INVALID_PARAMETERS);

	/* PV time. */
	cexpect("arch_features pv_time_features",
		call(VIREO_FN_SMCCC_ARCH_FEATURES, VIREO_FN_PV_TIME_FEATURES, 0), 0);
	cexpect("pv_time_features pv_time_features",
		vireo_pv_time_features(VIREO_FN_PV_TIME_FEATURES), 0);
	cexpect("pv_time_features pv_time_st", vireo_pv_time_features(VIREO_FN_PV_TIME_ST), 0);
	cexpect("pv_time_features 0xc5000022", vireo_pv_time_features(0xc5000022U),
		VIREO_NOT_SUPPORTED);
	cexpect("pv_time_features version", vireo_pv_time_features(VIREO_FN_VERSION),
		VIREO_NOT_SUPPORTED);
	cexpect("pv_time_st", vireo_pv_time_st(), (int64_t)VIREO_PVTIME_IPA);
}

/* A 4096-byte buffer: 32 lines of 128 bytes. */
static char console_full[VIREO_CONSOLE_MAX];

static void test_console_full(void)
{
	for (unsigned line = 0; line < 32; line++) {
		char *l = console_full + line * 128;
		const char *head = "pvtest: console_write 4096: line ";
		unsigned i = 0;

		for (; head[i]; i++) {
			l[i] = head[i];
		}
		l[i++] = (char)('0' + line / 10);
		l[i++] = (char)('0' + line % 10);
		l[i++] = ' ';
		for (; i < 127; i++) {
			l[i] = '.';
		}
		l[127] = '\n';
	}
	expect("hvc: console_write 4096", vireo_console_write(console_full, VIREO_CONSOLE_MAX),
	       VIREO_CONSOLE_MAX);
}

/* --- TRNG ------------------------------------------------------------------------- */

static void test_trng(void)
{
	int rndr = ((read_sysreg(id_aa64isar0_el1) >> 60) & 0xf) != 0;
	static const uint32_t ids[] = { VIREO_FN_TRNG_VERSION, VIREO_FN_TRNG_FEATURES,
					VIREO_FN_TRNG_GET_UUID, VIREO_FN_TRNG_RND32,
					VIREO_FN_TRNG_RND64 };
	static const char *const names[] = { "version", "features", "get_uuid", "rnd32", "rnd64" };
	struct vireo_smccc_res r;

	vireo_pv_conduit = VIREO_CONDUIT_HVC;
	printf("pvtest: cpu has RNDR: %s\n", rndr ? "yes" : "no");
	if (!rndr) {
		expect("trng: version (no RNDR)", call(VIREO_FN_TRNG_VERSION, 0, 0), -1);
		expect("trng: features (no RNDR)", call(VIREO_FN_TRNG_FEATURES, VIREO_FN_TRNG_RND64, 0),
		       -1);
		expect("trng: get_uuid (no RNDR)", call(VIREO_FN_TRNG_GET_UUID, 0, 0), -1);
		expect("trng: rnd32 (no RNDR)", call(VIREO_FN_TRNG_RND32, 32, 0), -1);
		expect("trng: rnd64 (no RNDR)", call(VIREO_FN_TRNG_RND64, 64, 0), -1);
		expect("trng: arch_features trng_version (no RNDR)",
		       call(VIREO_FN_SMCCC_ARCH_FEATURES, VIREO_FN_TRNG_VERSION, 0), -1);
		return;
	}
	expect("trng: version", call(VIREO_FN_TRNG_VERSION, 0, 0), 0x10000);
	vireo_pv_conduit = VIREO_CONDUIT_SMC;
	expect("trng: version over smc", call(VIREO_FN_TRNG_VERSION, 0, 0), 0x10000);
	vireo_pv_conduit = VIREO_CONDUIT_HVC;
	for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		expect(cat("trng: features ", names[i]), call(VIREO_FN_TRNG_FEATURES, ids[i], 0), 0);
	}
	expect("trng: features 0x84000054", call(VIREO_FN_TRNG_FEATURES, 0x84000054U, 0), -1);
	expect("trng: features smc64 version 0xc4000050",
	       call(VIREO_FN_TRNG_FEATURES, 0xc4000050U, 0), -1);
	r = vireo_smccc(VIREO_FN_TRNG_GET_UUID, 0, 0, 0);
	check("trng: get_uuid", (uint32_t)r.a0 == VIREO_UID_W0 && (uint32_t)r.a1 == VIREO_UID_W1 &&
					(uint32_t)r.a2 == VIREO_UID_W2 &&
					(uint32_t)r.a3 == VIREO_UID_W3,
	      "got %08lx %08lx %08lx %08lx", r.a0, r.a1, r.a2, r.a3);

	r = vireo_smccc(VIREO_FN_TRNG_RND64, 1, 0, 0);
	check("trng: rnd64 n=1", r.a0 == 0 && r.a1 == 0 && r.a2 == 0 && r.a3 <= 1,
	      "x0=%ld x1=%lx x2=%lx x3=%lx", (int64_t)r.a0, r.a1, r.a2, r.a3);
	r = vireo_smccc(VIREO_FN_TRNG_RND64, 64, 0, 0);
	check("trng: rnd64 n=64", r.a0 == 0 && r.a1 == 0 && r.a2 == 0 && r.a3 != 0,
	      "x0=%ld x1=%lx x2=%lx x3=%lx", (int64_t)r.a0, r.a1, r.a2, r.a3);
	r = vireo_smccc(VIREO_FN_TRNG_RND64, 192, 0, 0);
	/* 192 random bits: a zero 64-bit word has chance 2^-64. */
	check("trng: rnd64 n=192", r.a0 == 0 && r.a1 != 0 && r.a2 != 0 && r.a3 != 0,
	      "x0=%ld x1=%lx x2=%lx x3=%lx", (int64_t)r.a0, r.a1, r.a2, r.a3);
	expect("trng: rnd64 n=0", call(VIREO_FN_TRNG_RND64, 0, 0), VIREO_INVALID_PARAMETERS);
	expect("trng: rnd64 n=193", call(VIREO_FN_TRNG_RND64, 193, 0), VIREO_INVALID_PARAMETERS);
	r = vireo_smccc(VIREO_FN_TRNG_RND32, 32, 0, 0);
	check("trng: rnd32 n=32", r.a0 == 0 && r.a1 == 0 && r.a2 == 0 && r.a3 >> 32 == 0,
	      "x0=%ld x1=%lx x2=%lx x3=%lx", (int64_t)r.a0, r.a1, r.a2, r.a3);
	r = vireo_smccc(VIREO_FN_TRNG_RND32, 96, 0, 0);
	check("trng: rnd32 n=96",
	      r.a0 == 0 && r.a1 >> 32 == 0 && r.a2 >> 32 == 0 && r.a3 >> 32 == 0 && (r.a1 | r.a2 | r.a3),
	      "x0=%ld x1=%lx x2=%lx x3=%lx", (int64_t)r.a0, r.a1, r.a2, r.a3);
	expect("trng: rnd32 n=0", call(VIREO_FN_TRNG_RND32, 0, 0), VIREO_INVALID_PARAMETERS);
	expect("trng: rnd32 n=97", call(VIREO_FN_TRNG_RND32, 97, 0), VIREO_INVALID_PARAMETERS);
}

/* --- PV time's record ----------------------------------------------------------------- */

static void test_pvtime_record(void)
{
	const volatile struct vireo_pvtime_record *rec =
		(const volatile struct vireo_pvtime_record *)VIREO_PVTIME_IPA;

	expect("pvtime: record revision", rec->revision, 0);
	expect("pvtime: record attributes", rec->attributes, 0);
	expect("pvtime: record stolen_time", (int64_t)rec->stolen_time, 0);
}

/* --- the shared page ------------------------------------------------------------------- */

static void test_shared_page_first(void)
{
	struct vireo_pv_snapshot s;

	fill(&page_a, 0, sizeof(page_a));
	page_a.guest_flags = 0x5a5a0001;
	expect("page: shared_page set", vireo_shared_page_set_ptr(&page_a), 0);
	vireo_shared_page_read(&page_a, &s);
	check_snapshot("page: ", &s, 0);
	/* Zeroed, then written once (odd, then even): 2. */
	expect("page: sequence after set", s.sequence, 2);
	expect("page: guest_flags untouched", (int64_t)page_a.guest_flags, 0x5a5a0001);
	expect("page: reserved bytes untouched", nonzero_at(&page_a, 52, sizeof(page_a)), -1);
}

static void test_shared_page_yield(const char *label)
{
	struct vireo_pv_snapshot before, after;

	vireo_shared_page_read(&page_a, &before);
	spin_ms(20);
	expect(cat(label, "yield"), vireo_yield(), 0);
	vireo_shared_page_read(&page_a, &after);
	check(cat(label, "sequence advances"),
	      after.sequence > before.sequence && !(after.sequence & 1), "sequence %u, then %u",
	      before.sequence, after.sequence);
	/* It ran 20 ms between the two: running_ns grew by that at least. */
	check(cat(label, "running_ns advances"), after.running_ns >= before.running_ns + 20000000,
	      "running_ns %lu, then %lu", before.running_ns, after.running_ns);
	expect(cat(label, "stolen_ns"), (int64_t)after.stolen_ns, 0);
	expect(cat(label, "preempted"), after.preempted, 0);
}

/* pending_irqs: an SGI to itself, left pending with interrupts masked
 * across a YIELD, shows in the page; once taken, no more. */
#define GICR_SGI_BASE (VIREO_GICR_BASE + 0x10000) /* vCPU 0's SGI frame */
#define GICR_IGROUPR0 0x80
#define GICR_ISENABLER0 0x100
#define SGI_TEST 3

static void test_pending_irqs(void)
{
	struct vireo_pv_snapshot s;
	uint32_t intid;

	expect("page: gic init", vireo_gic_init(), 0);
	*(volatile uint32_t *)(GICR_SGI_BASE + GICR_IGROUPR0) |= 1U << SGI_TEST;
	*(volatile uint32_t *)(GICR_SGI_BASE + GICR_ISENABLER0) = 1U << SGI_TEST;
	/* ICC_SGI1R_EL1: INTID in [27:24], target list bit 0 = vCPU 0. PSTATE.I
	 * is set (start.S masks everything), so it stays pending. */
	write_sysreg(icc_sgi1r_el1, (uint64_t)SGI_TEST << 24 | 1);
	isb();
	vireo_yield();
	vireo_shared_page_read(&page_a, &s);
	check("page: pending_irqs with an SGI pending", s.pending_irqs != 0, "pending_irqs %u",
	      s.pending_irqs);
	intid = vireo_gic_ack();
	expect("page: the pending interrupt is the SGI", intid, SGI_TEST);
	if (intid < 1020) {
		vireo_gic_eoi(intid);
	}
	vireo_yield();
	vireo_shared_page_read(&page_a, &s);
	expect("page: pending_irqs once taken", s.pending_irqs, 0);
}

static void test_shared_page_moves(void)
{
	struct vireo_pv_snapshot s;
	uint32_t seq_a;

	fill(&page_b, 0, sizeof(page_b));
	expect("page: move to another page", vireo_shared_page_set_ptr(&page_b), 0);
	seq_a = page_a.sequence;
	vireo_yield();
	vireo_shared_page_read(&page_b, &s);
	expect("page: old page no longer written", page_a.sequence, seq_a);
	check("page: new page written", s.sequence >= 2 && !(s.sequence & 1) && s.layout == 1,
	      "sequence %u layout %u", s.sequence, s.layout);
	check("page: new page keeps running_ns", s.running_ns > 0, "running_ns %lu", s.running_ns);

	expect("page: shared_page 0 stops", vireo_shared_page_set(0), 0);
	fill(&page_b, 0, sizeof(page_b));
	vireo_yield();
	vireo_yield();
	expect("page: nothing written after stop", nonzero_at(&page_b, 0, sizeof(page_b)), -1);
	expect("page: shared_page 0 again", vireo_shared_page_set(0), 0);
}

int main(void)
{
	guest_install_vectors();
	printf("pvtest: start\n");
	read_dt(guest_boot_arg);
	if (!ram_size) {
		/* No device tree: assume the launcher's default, 64 MiB here. */
		ram_base = (uint64_t)(uintptr_t)main & ~0x3fffffUL;
		ram_size = 64UL << 20;
	}
	printf("pvtest: ram 0x%lx-0x%lx\n", ram_base, ram_base + ram_size - 1);
	check("dt: vireo,hypervisor-1.0 node", dt_hypervisor, "no /hypervisor node");
	check("detect: call_uid is vireo's", vireo_detect(), "another UUID");

	/* The stolen-time record before anything could have been stolen. */
	test_pvtime_record();
	test_shared_page_first();
	test_conduit(VIREO_CONDUIT_HVC);
	test_conduit(VIREO_CONDUIT_SMC);
	vireo_pv_conduit = VIREO_CONDUIT_HVC;
	expect("hvc #1: version", hvc_imm1(VIREO_FN_VERSION), VIREO_NOT_SUPPORTED);
	test_console_full();
	/* The invalid SHARED_PAGE calls left page_a in place. */
	test_shared_page_yield("page: after invalid calls: ");
	test_shared_page_yield("page: second yield: ");
	test_pvtime_record();
	test_pending_irqs();
	test_shared_page_moves();
	test_trng();
	test_secondary();

	printf("pvtest: done, %d checks, %d failed\n", checks, failed);
	psci_system_off();
}
