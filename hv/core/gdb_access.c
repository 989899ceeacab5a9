/*
 * What gdb reads and writes of a halted VM (gdb.c dispatches to it):
 * registers, memory, and the target description that names them.
 *
 * Registers are the org.gnu.gdb.aarch64 core and fpu features (x0-x30,
 * sp, pc, cpsr, v0-v31, fpsr, fpcr), in that order in 'g' and 'G'. "sp"
 * is the stack pointer the vCPU's PSTATE selects; the V registers are the
 * mode's to reach (vmode->fp_reg(): with SVE, the low bits of Z); a
 * written cpsr must stay AArch64 at EL0 or EL1, or the ERET into the
 * guest would leave the guest's world.
 *
 * Memory is by guest virtual address through the current thread's
 * stage-1 tables, walked in software (arch/aarch64/s1walk.c: the vCPU is
 * not loaded, so AT cannot translate), then through vm_ram_ptr(), so
 * nothing outside the VM's RAM is ever reached; "monitor phys on" makes
 * addresses guest-physical. Where gdb's breakpoints are, reads show the
 * instructions they replaced; writes clean the data cache and invalidate
 * the instruction caches, since they may be code.
 */
#include "core/gdb_stub.h"

#include <string.h>

#include "arch/aarch64/cache.h"
#include "arch/aarch64/idregs.h"
#include "arch/aarch64/s1walk.h"
#include "core/printk.h"
#include "core/vm.h"
#include "core/vmode.h"

/* --- memory -------------------------------------------------------------- */

static bool read_desc(void *ctx, ipaddr_t at, uint64_t *desc)
{
	const uint64_t *p = vm_ram_ptr(ctx, at, sizeof(*p));

	if (!p) {
		return false;
	}
	*desc = *p;
	return true;
}

/* The guest-physical address of addr, as vCPU cur's MMU sees it. */
static bool translate(struct gdb_stub *s, uint64_t addr, ipaddr_t *out)
{
	const struct vcpu *v = &s->vm->vcpus[s->cur];
	struct s1_regime r = { .sctlr = v->sys.sctlr, .tcr = v->sys.tcr,
			       .ttbr0 = v->sys.ttbr0, .ttbr1 = v->sys.ttbr1,
			       .mmfr0 = id_reg_read(7, 0), .mmfr2 = id_reg_read(7, 2) };
	struct s1_walk w;

	if (s->phys) {
		*out = ipa(addr);
		return true;
	}
	if (s1_translate(&r, gva(addr), read_desc, s->vm, &w) != S1_OK) {
		return false;
	}
	*out = w.ipa;
	return true;
}

/* The host pointer for [addr, addr + len), within one 4 KiB page (the
 * smallest a stage-1 mapping can be). */
static void *reach(struct gdb_stub *s, uint64_t addr, size_t len, ipaddr_t *where)
{
	ipaddr_t a;

	if (!translate(s, addr, &a)) {
		return NULL;
	}
	if (where) {
		*where = a;
	}
	return vm_ram_ptr(s->vm, a, len);
}

static size_t in_page(uint64_t addr, size_t len)
{
	return MIN(len, PAGE_SIZE - (addr & (PAGE_SIZE - 1)));
}

bool gdb_mem_read(struct gdb_stub *s, uint64_t addr, void *buf, size_t len)
{
	uint8_t *b = buf;
	unsigned i;

	while (len) {
		size_t n = in_page(addr, len);
		const void *p = reach(s, addr, n, NULL);

		if (!p) {
			return false;
		}
		memcpy(b, p, n);
		/* Where a breakpoint is, gdb sees the instruction it hides. */
		for (i = 0; i < GDB_MAX_SWBP; i++) {
			const struct gdb_swbp *bp = &s->swbp[i];
			uint64_t at = s->phys ? ipa_addr(bp->ipa) : bp->va;
			unsigned k;

			for (k = 0; bp->used && k < 4; k++) {
				if (at + k - addr < n) {
					b[at + k - addr] = (uint8_t)(bp->orig >> (8 * k));
				}
			}
		}
		addr += n;
		b += n;
		len -= n;
	}
	return true;
}

bool gdb_mem_write(struct gdb_stub *s, uint64_t addr, const void *buf, size_t len,
		   ipaddr_t *first_ipa)
{
	const uint8_t *b = buf;

	while (len) {
		size_t n = in_page(addr, len);
		void *p = reach(s, addr, n, first_ipa);

		if (!p) {
			return false;
		}
		memcpy(p, b, n);
		/* It may be code: the guest must fetch what was written. */
		dcache_clean_range(p, n);
		first_ipa = NULL;
		addr += n;
		b += n;
		len -= n;
	}
	icache_inval_all();
	return true;
}

void gdb_cmd_read_mem(struct gdb_stub *s, const char *args)
{
	uint8_t buf[(GDB_PACKET_MAX - 1) / 2];
	uint64_t addr, len;

	if (!gdb_parse_addr_len(args, '\0', &addr, &len, NULL)) {
		gdb_send_error(s, 22);
		return;
	}
	len = MIN(len, sizeof(buf));
	if (!gdb_mem_read(s, addr, buf, len)) {
		gdb_send_error(s, 14);
		return;
	}
	gdb_hex_encode(s->packet, buf, len);
	gdb_send(s, s->packet, 2 * len);
}

void gdb_cmd_write_mem(struct gdb_stub *s, const char *args)
{
	uint8_t buf[GDB_PACKET_MAX / 2];
	uint64_t addr, len;
	const char *hex;

	if (!gdb_parse_addr_len(args, ':', &addr, &len, &hex) || len > sizeof(buf) ||
	    strlen(hex) != 2 * len || !gdb_hex_decode(buf, hex, len)) {
		gdb_send_error(s, 22);
		return;
	}
	if (!gdb_mem_write(s, addr, buf, len, NULL)) {
		gdb_send_error(s, 14);
		return;
	}
	gdb_send_str(s, "OK");
}

/* --- registers ----------------------------------------------------------- */

#define REG_SP 31
#define REG_PC 32
#define REG_CPSR 33
#define REG_V0 34
#define REG_FPSR 66
#define REG_FPCR 67
#define NR_REGS 68

static unsigned reg_size(unsigned n)
{
	if (n < REG_CPSR) {
		return 8;
	}
	return n >= REG_V0 && n < REG_FPSR ? 16 : 4;
}

static uint64_t *sp_of(struct vcpu *v)
{
	return (v->regs.pstate & PSR_MODE_MASK) == PSR_MODE_EL1H ? &v->sys.sp_el1
								  : &v->regs.sp_el0;
}

/* Register n of v, little-endian, into buf; its size. */
static unsigned reg_get(struct vcpu *v, unsigned n, uint8_t *buf)
{
	uint64_t val[2] = { 0, 0 };

	if (n < 31) {
		val[0] = v->regs.x[n];
	} else if (n == REG_SP) {
		val[0] = *sp_of(v);
	} else if (n == REG_PC) {
		val[0] = v->regs.pc;
	} else if (n == REG_CPSR) {
		val[0] = v->regs.pstate;
	} else if (n < REG_FPSR) {
		vmode->fp_reg(v, n - REG_V0, val, false);
	} else {
		val[0] = n == REG_FPSR ? v->fp.fpsr : v->fp.fpcr;
	}
	memcpy(buf, val, reg_size(n));
	return reg_size(n);
}

/* The PSTATE a debugger may give a vCPU: AArch64 at EL0 or EL1 only, or
 * the ERET into the guest would go somewhere the guest does not own. */
static bool pstate_allowed(uint64_t val)
{
	uint64_t m = val & (PSR_MODE_MASK | BIT(4));

	return m == PSR_MODE_EL0T || m == PSR_MODE_EL1T || m == PSR_MODE_EL1H;
}

static bool reg_set(struct vcpu *v, unsigned n, const uint8_t *buf)
{
	uint64_t val[2] = { 0, 0 };

	memcpy(val, buf, reg_size(n));
	if (n < 31) {
		v->regs.x[n] = val[0];
	} else if (n == REG_SP) {
		*sp_of(v) = val[0];
	} else if (n == REG_PC) {
		v->regs.pc = val[0];
	} else if (n == REG_CPSR) {
		if (!pstate_allowed(val[0])) {
			return false;
		}
		v->regs.pstate = val[0];
	} else if (n < REG_FPSR) {
		vmode->fp_reg(v, n - REG_V0, val, true);
	} else if (n == REG_FPSR) {
		v->fp.fpsr = val[0];
	} else {
		v->fp.fpcr = val[0];
	}
	return true;
}

void gdb_cmd_read_regs(struct gdb_stub *s)
{
	struct vcpu *v = &s->vm->vcpus[s->cur];
	uint8_t buf[16];
	size_t len = 0;
	unsigned n;

	for (n = 0; n < NR_REGS; n++) {
		unsigned size = reg_get(v, n, buf);

		gdb_hex_encode(s->packet + len, buf, size);
		len += 2 * size;
	}
	gdb_send(s, s->packet, len);
}

void gdb_cmd_write_regs(struct gdb_stub *s, const char *hex)
{
	struct vcpu *v = &s->vm->vcpus[s->cur];
	uint8_t buf[16], sp[8];
	uint64_t cpsr = 0;
	unsigned n, pass;

	/* All or nothing: the first pass only checks. */
	for (pass = 0; pass < 2; pass++) {
		const char *h = hex;

		for (n = 0; n < NR_REGS; n++) {
			unsigned size = reg_size(n);

			if (strlen(h) < 2 * size || !gdb_hex_decode(buf, h, size)) {
				gdb_send_error(s, 22);
				return;
			}
			if (n == REG_CPSR) {
				memcpy(&cpsr, buf, size);
			}
			if (n == REG_SP) {
				memcpy(sp, buf, size); /* the new PSTATE says which SP */
			} else if (pass == 1) {
				reg_set(v, n, buf);
			}
			h += 2 * size;
		}
		if (pass == 1) {
			reg_set(v, REG_SP, sp);
		}
		if (!pstate_allowed(cpsr)) {
			gdb_send_error(s, 22);
			return;
		}
	}
	gdb_send_str(s, "OK");
}

void gdb_cmd_read_reg(struct gdb_stub *s, const char *args)
{
	uint8_t buf[16];
	uint64_t n;
	unsigned size;

	if (!gdb_parse_num(&args, &n) || *args || n >= NR_REGS) {
		gdb_send_error(s, 22);
		return;
	}
	size = reg_get(&s->vm->vcpus[s->cur], (unsigned)n, buf);
	gdb_hex_encode(s->packet, buf, size);
	gdb_send(s, s->packet, 2 * size);
}

void gdb_cmd_write_reg(struct gdb_stub *s, const char *args)
{
	uint8_t buf[16];
	uint64_t n;

	if (!gdb_parse_num(&args, &n) || *args++ != '=' || n >= NR_REGS ||
	    strlen(args) != 2 * reg_size((unsigned)n) ||
	    !gdb_hex_decode(buf, args, reg_size((unsigned)n)) ||
	    !reg_set(&s->vm->vcpus[s->cur], (unsigned)n, buf)) {
		gdb_send_error(s, 22);
		return;
	}
	gdb_send_str(s, "OK");
}

/* --- the target description ---------------------------------------------- */

/* gdb's aarch64 core and fpu features, built once (gdb's manual, "Target
 * Descriptions" and "AArch64 Features"). */
static char target_xml[4096];
static size_t target_xml_len;

static void xml_add(const char *fmt, unsigned n)
{
	target_xml_len += (size_t)snprintf(target_xml + target_xml_len,
					   sizeof(target_xml) - target_xml_len, fmt, n);
}

static void build_target_xml(void)
{
	unsigned n;

	if (target_xml_len) {
		return;
	}
	xml_add("<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
		"<target><architecture>aarch64</architecture>"
		"<feature name=\"org.gnu.gdb.aarch64.core\">", 0);
	for (n = 0; n < 31; n++) {
		xml_add("<reg name=\"x%u\" bitsize=\"64\"/>", n);
	}
	xml_add("<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>"
		"<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>"
		"<reg name=\"cpsr\" bitsize=\"32\"/></feature>"
		"<feature name=\"org.gnu.gdb.aarch64.fpu\">"
		"<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
		"<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>"
		"<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
		"<vector id=\"v4u\" type=\"uint32\" count=\"4\"/>"
		"<vector id=\"v8u\" type=\"uint16\" count=\"8\"/>"
		"<vector id=\"v16u\" type=\"uint8\" count=\"16\"/>"
		"<union id=\"vnd\"><field name=\"f\" type=\"v2d\"/>"
		"<field name=\"u\" type=\"v2u\"/></union>"
		"<union id=\"vns\"><field name=\"f\" type=\"v4f\"/>"
		"<field name=\"u\" type=\"v4u\"/></union>"
		"<union id=\"vnh\"><field name=\"u\" type=\"v8u\"/></union>"
		"<union id=\"vnb\"><field name=\"u\" type=\"v16u\"/></union>"
		"<union id=\"vnq\"><field name=\"u\" type=\"uint128\"/></union>"
		"<union id=\"aarch64v\"><field name=\"d\" type=\"vnd\"/>"
		"<field name=\"s\" type=\"vns\"/><field name=\"h\" type=\"vnh\"/>"
		"<field name=\"b\" type=\"vnb\"/><field name=\"q\" type=\"vnq\"/></union>", 0);
	for (n = 0; n < 32; n++) {
		xml_add("<reg name=\"v%u\" bitsize=\"128\" type=\"aarch64v\"/>", n);
	}
	xml_add("<reg name=\"fpsr\" bitsize=\"32\"/><reg name=\"fpcr\" bitsize=\"32\"/>"
		"</feature></target>", 0);
}

/* qXfer:features:read:target.xml:OFFSET,LENGTH */
void gdb_cmd_features(struct gdb_stub *s, const char *args)
{
	uint64_t off, len;

	if (strncmp(args, "target.xml:", 11) != 0) {
		gdb_send_error(s, 0);
		return;
	}
	if (!gdb_parse_addr_len(args + 11, '\0', &off, &len, NULL)) {
		gdb_send_error(s, 22);
		return;
	}
	build_target_xml();
	off = MIN(off, target_xml_len);
	len = MIN(MIN(len, target_xml_len - off), GDB_PACKET_MAX - 1);
	s->packet[0] = off + len < target_xml_len ? 'm' : 'l';
	memcpy(s->packet + 1, target_xml + off, len);
	gdb_send(s, s->packet, 1 + len);
}
