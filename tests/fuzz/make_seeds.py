#!/usr/bin/python3
"""Writes the seed corpus of every fuzz target, tests/fuzz/corpus/<target>/.

    tests/fuzz/make_seeds.py [--check]

Each target reads its input as a stream of little-endian fields (see the
comment at the top of tests/fuzz/fuzz_<target>.c); the functions here pack
the same fields, so each seed starts the fuzzer on something meaningful:
real instructions, accesses that reach each emulated device, valid device
trees, well-formed SMCCC calls. The corpus is committed; run this again
after changing a target's input format. Files are named after what they
hold, and the output is deterministic. --check only compares.

The vmconfig seeds are device trees compiled by dtc from
tests/unit/dts/*.dts plus a few rearranged by hand below.
"""
import argparse
import glob
import os
import struct
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(TOP, "tests", "fuzz", "corpus")


def u8(v):
    return struct.pack("<B", v & 0xff)


def u16(v):
    return struct.pack("<H", v & 0xffff)


def u32(v):
    return struct.pack("<I", v & 0xffffffff)


def u64(v):
    return struct.pack("<Q", v & 0xffffffffffffffff)


# ---- insn ---------------------------------------------------------------
# A64 encodings, checked against GNU as (-march=armv8.3-a).
INSNS = {
    "uimm": [0xb9000041, 0xf9400483, 0x390000c5, 0x39400507, 0x39800149, 0x79c0018b,
             0xb98001cd, 0x7940060f],                      # str/ldr{,b,h,sb,sh,sw}
    "imm9_writeback": [0xf81f0e51, 0xf81f0ff3, 0xb84046b4],  # pre/post-index, SP base
    "pair": [0xa9810440, 0xa94010a3, 0x28c11d06, 0x69412969, 0xa80035cc, 0x29bf07e0],
    "ordered": [0xc8dffe0f, 0x889ffe51, 0xf8bfc293, 0x38bfc041],  # ldar, stlr, ldapr{,b}
    "regoff_unscaled": [0xf8776ad5, 0xb87a5b38, 0xf85fd39b, 0xb8400bdd, 0x78000883],
    "refused": [0xc85f7c20, 0x3dc00020, 0xf8408400, 0xa9400441, 0xf9800000, 0xd503201f,
                0x00000000, 0xffffffff],                   # ldxr, ldr q, overlaps, prfm, nop
}


def insn_seeds():
    out = {name: b"".join(u32(w) for w in words) for name, words in INSNS.items()}
    out["everything"] = b"".join(u32(w) for words in INSNS.values() for w in words)
    return out


# ---- dabt ---------------------------------------------------------------
# The VM fuzz_dabt builds: regions 0 UART, 1 GICD, 2 GICR (GICv3 only).
UART, GICD, GICR = 0, 1, 2
EC_DABT_LOW = 0x24


def esr_isv(size, store, rt, sign=False, sf=True, fsc=0x07):
    """A data abort syndrome with ISV set (FSC 0x07: translation, level 3)."""
    sas = {1: 0, 2: 1, 4: 2, 8: 3}[size]
    return (EC_DABT_LOW << 26 | 1 << 25 | 1 << 24 | sas << 22 | int(sign) << 21 | rt << 16 |
            int(sf) << 15 | int(store) << 6 | fsc)


def esr_no_isv(fsc=0x07):
    return EC_DABT_LOW << 26 | 1 << 25 | fsc


def dabt_trap(region, offset, esr, insn=0, vcpu=0, flags=0, reg=(0, 0), dev=((0, 0), (0, 0)),
              raw=0, pstate=5, pc=0x40080000, far_hi=0xffff000010000000, mode=2):
    """One trap record (op 4). mode 2 puts the fault at offset % size of region;
    region None puts it at the absolute address offset."""
    how = 0 if region is None else 0x40 | mode << 4 | region
    rec = u8(4) + u8(vcpu) + u8(how) + u64(offset) + u32(esr) + u64(far_hi) + u64(0)
    rec += u8(flags) + u32(insn) + u8(pstate) + u64(pc) + u8(reg[0]) + u64(reg[1])
    for ok, val in dev:
        rec += u8(ok) + u64(val)
    return rec + u64(raw)


def dabt_device(base, size, region=None, mode=0, full_size=False):
    how = 0 if region is None else 0x40 | mode << 4 | region
    return u8(1) + u8(how) + u64(base) + u64(size) + u8(int(full_size))


def dabt_seeds():
    v3x4, v2x2 = u8(3), u8(8 | 1)
    s = {}
    s["uart_putc_and_status"] = v3x4 + b"".join([
        dabt_trap(UART, 0x000, esr_isv(1, True, 1), reg=(1, ord("h"))),
        dabt_trap(UART, 0x000, esr_isv(4, True, 2), reg=(2, ord("\n"))),
        dabt_trap(UART, 0x018, esr_isv(4, False, 3)),
        dabt_trap(UART, 0x038, esr_isv(4, True, 4), reg=(4, 0x50)),
        u8(0) + u8(ord("x")),
        dabt_trap(UART, 0x000, esr_isv(4, False, 5, sf=False)),
        dabt_trap(UART, 0xfe0, esr_isv(2, False, 6, sign=True)),
    ])
    s["gicd_v3_setup"] = v3x4 + b"".join([
        dabt_trap(GICD, 0x0000, esr_isv(4, True, 0), reg=(0, 3)),
        dabt_trap(GICD, 0x0004, esr_isv(4, False, 1)),
        dabt_trap(GICD, 0x0104, esr_isv(4, True, 2), reg=(2, 0xffffffff)),
        dabt_trap(GICD, 0x0420, esr_isv(1, True, 3), reg=(3, 0xa0)),
        dabt_trap(GICD, 0x6100, esr_isv(8, True, 4), reg=(4, 0x80000001)),
        dabt_trap(GICD, 0x6104, esr_isv(4, False, 5)),
        dabt_trap(GICD, 0x0204, esr_isv(4, True, 6), reg=(6, 2)),
        dabt_trap(GICD, 0xffe8, esr_isv(4, False, 7)),
    ])
    s["gicr_v3_frames"] = v3x4 + b"".join([
        dabt_trap(GICR, 0x00014, esr_isv(4, True, 0), reg=(0, 0)),
        dabt_trap(GICR, 0x20008, esr_isv(8, False, 1)),
        dabt_trap(GICR, 0x6000c, esr_isv(4, False, 2)),
        dabt_trap(GICR, 0x10100, esr_isv(4, True, 3), reg=(3, 0xffff)),
        dabt_trap(GICR, 0x30c04, esr_isv(4, True, 4), reg=(4, 0xaaaa)),
        dabt_trap(GICR, 0x10400, esr_isv(4, False, 5)),
    ])
    s["gicd_v2_targets_sgir"] = v2x2 + b"".join([
        dabt_trap(GICD, 0x0000, esr_isv(4, True, 0), reg=(0, 1)),
        dabt_trap(GICD, 0x0820, esr_isv(1, True, 1), reg=(1, 2)),
        dabt_trap(GICD, 0x0820, esr_isv(4, False, 2)),
        dabt_trap(GICD, 0x0f00, esr_isv(4, True, 3), reg=(3, 0x01000005)),
        dabt_trap(GICD, 0x0100, esr_isv(4, False, 4)),
    ])
    # ISV clear: the instruction at the PC is decoded (STP pre-index,
    # LDP, LDR post-index, SP-relative writeback, LDPSW, LDAR).
    s["insn_pairs_writeback"] = v3x4 + dabt_device(0x10000000, 0x1000) + b"".join([
        dabt_trap(3, 0x10, esr_no_isv(), insn=0xa9810440, reg=(2, 0x10000000 - 16)),
        dabt_trap(3, 0x20, esr_no_isv(), insn=0xa94010a3, dev=((0, 0x1122334455667788),
                                                               (0, 0x99aabbccddeeff00))),
        dabt_trap(3, 0x30, esr_no_isv(), insn=0xb84046b4, dev=((0, 0x80000000), (0, 0))),
        dabt_trap(3, 0x40, esr_no_isv(), insn=0xf81f0ff3, pstate=5),
        dabt_trap(3, 0x48, esr_no_isv(), insn=0x29bf07e0, pstate=0),
        dabt_trap(3, 0x50, esr_no_isv(), insn=0x69412969, dev=((0, 0xfffffffe), (0, 7))),
        dabt_trap(3, 0x58, esr_no_isv(), insn=0xc8dffe0f),
        dabt_trap(3, 0x60, esr_no_isv(), insn=0x39800149, dev=((0, 0x80), (0, 0))),
    ])
    s["insn_gic_and_uart"] = v3x4 + b"".join([
        dabt_trap(GICD, 0x0100, esr_no_isv(), insn=0xa9810440),       # STP to ISENABLER
        dabt_trap(GICR, 0x10100, esr_no_isv(), insn=0x28c11d06),      # LDP W
        dabt_trap(UART, 0x000, esr_no_isv(), insn=0x390000c5, reg=(5, 0x41)),
        dabt_trap(UART, 0x018, esr_no_isv(), insn=0xf9400483),        # 8-byte: refused
    ])
    s["refusals_and_retries"] = v3x4 + dabt_device(0x20000000, 0x100) + b"".join([
        dabt_trap(3, 0xfc, esr_no_isv(), insn=0xa94010a3, mode=1),    # pair past the end
        dabt_trap(3, 0x0, esr_no_isv(), insn=0xc85f7c20),             # LDXR: undecodable
        dabt_trap(3, 0x0, esr_no_isv(), insn=0xf9400483, flags=0x02),  # PC unmapped
        dabt_trap(3, 0x0, esr_no_isv(), insn=0xf9400483, flags=0x04),  # PC misaligned
        dabt_trap(3, 0x0, esr_isv(4, True, 1, fsc=0x0f), flags=0x01),  # permission, FAR unmapped
        dabt_trap(3, 0x0, esr_isv(4, True, 1, fsc=0x0f)),               # permission, walk
        dabt_trap(3, 0x8, esr_isv(4, False, 2), flags=0x10, dev=((7, 0), (0, 0))),  # refused, no vector
        dabt_trap(None, 0x0fff_ffff_ffff_f000, esr_isv(8, False, 3)),  # nothing there
        dabt_trap(3, 0x0, esr_isv(4, False, 4, fsc=0x07), flags=0x20),  # raw HPFAR
        dabt_trap(3, 0x4, esr_isv(4, False, 4, fsc=0x07), mode=3),      # just before
    ])
    s["registry_full"] = u8(0) + b"".join(
        dabt_device(0x30000000 + i * 0x1000, 0x1000) for i in range(7)) + b"".join([
        dabt_device(0x30000800, 0x1000),                     # overlaps
        dabt_device(0xfffffffffffff000, 0x2000),             # wraps
        dabt_device(0x50000000, 0),                          # empty
        u8(2) + u8(0x60 | 3) + u64(0x10) + u8(8),            # finds
        u8(2) + u8(0x50 | 4) + u64(0) + u8(4),
        u8(2) + u8(0) + u64(0xffffffffffffffff) + u8(2),
    ])
    return s


# ---- vgic_mmio ------------------------------------------------------------
SZ = {1: 0, 2: 1, 4: 2, 8: 3}
ACKED, ENDED, REPENDING, UNTOUCHED = 0, 1, 2, 3


def gicd_r(off, size=4, vcpu=0):
    return u8(0) + u8(vcpu) + u16(off) + u8(SZ[size])


def gicd_w(off, val, size=4, vcpu=0):
    return u8(1) + u8(vcpu) + u16(off) + u8(SZ[size]) + u64(val)


def gicr_r(frame, off, size=4):
    return u8(2) + u8(0) + u32(frame * 0x20000 + off) + u8(SZ[size])


def gicr_w(frame, off, val, size=4):
    return u8(3) + u8(0) + u32(frame * 0x20000 + off) + u8(SZ[size]) + u64(val)


def run(vcpu, nr_lrs, actions=(), garbage_at=0xff, garbage=0):
    bits = 0
    for i in range(16):
        bits |= (actions[i] if i < len(actions) else UNTOUCHED) << (2 * i)
    return u8(4) + u8(vcpu) + u8(nr_lrs) + u32(bits) + u8(garbage_at) + u64(garbage)


def sgi(vcpu, intid, targets=0, aff1=0, aff2=0, aff3=0, rs=0, irm=False):
    return u8(5) + u8(vcpu) + u64(aff3 << 48 | rs << 44 | int(irm) << 40 | aff2 << 32 |
                                  intid << 24 | aff1 << 16 | targets)


def level(vcpu, intid, on):
    return u8(6) + u8(vcpu) + u8(intid) + u8(int(on))


def trigger(vcpu, intid):
    return u8(7) + u8(vcpu) + u8(intid)


def hw(vcpu, intid):
    return u8(8) + u8(vcpu) + u8(intid)


def hw_line(vcpu, intid, raise_it):
    """The timer's line as the mode drives it (vgic_raise/lower_hw_line)."""
    return u8(9) + u8(vcpu) + u8(intid) + u8(int(raise_it))


def vgic_seeds():
    s = {}
    # GICv3, 4 vCPUs numbered as QEMU does.
    enable = gicd_w(0x0, 3) + b"".join(gicr_w(f, 0x10100, 0xffffffff) for f in range(4))
    s["v3_spis_levels_and_lrs"] = u8(3) + enable + b"".join([
        gicd_w(0x0104, 0xffffffff), gicd_w(0x0108, 0xffffffff),    # enable SPIs 32-95
        gicd_w(0x0084, 0xffffffff),                                # group 1
        gicd_w(0x0420, 0x80, 1), gicd_w(0x0424, 0x40302010),       # priorities
        gicd_w(0x6108, 0x80000001, 8),                             # SPI 33 -> vCPU 1
        gicd_w(0x6140, 0x80000002, 4), gicd_w(0x6144, 0, 4),       # SPI 40 -> vCPU 2
        gicd_w(0x0c08, 0x0),                                       # SPIs 32-47 level
        level(0, 33, True), trigger(0, 40), trigger(0, 36), trigger(0, 37),
        run(1, 4, [ACKED]), level(0, 33, False), run(1, 4, [ENDED]),
        run(2, 1, [REPENDING]), run(0, 2, [ACKED, ACKED]), run(0, 16, [ENDED] * 4),
        gicd_w(0x0204, 0xffff0000), run(0, 4, [ACKED] * 4), run(0, 16, [ENDED] * 16),
        gicd_r(0x0204), gicd_r(0x0304), gicd_r(0x6108, 8), gicd_r(0x610c),
    ])
    s["v3_private_sgis_ppis"] = u8(3) + enable + b"".join([
        gicr_w(0, 0x10080, 0xffffffff), gicr_w(1, 0x10080, 0xffff),
        gicr_w(0, 0x10c04, 0x0), gicr_w(0, 0x10c00, 0xffffffff),   # PPIs level, SGIs fixed
        gicr_w(0, 0x10400, 0xa0a0a0a0), gicr_w(0, 0x1041b, 0x20, 1),
        hw(0, 27), trigger(0, 27), level(0, 23, True), level(1, 23, True),
        sgi(0, 1, targets=0b1110), sgi(1, 2, irm=True), sgi(2, 3, targets=0b1),
        run(0, 4, [ACKED, ACKED, ACKED]), run(0, 4, [ENDED, ENDED, ENDED]),
        gicr_w(0, 0x10200, 0x10), gicr_w(0, 0x10280, 0x10),       # ISPENDR/ICPENDR
        gicr_w(0, 0x10300, 0x20), gicr_w(0, 0x10380, 0x20),       # ISACTIVER/ICACTIVER
        run(1, 16, [UNTOUCHED] * 16, garbage_at=1, garbage=1 << 63 | 5),
        gicr_r(0, 0x10200), gicr_r(1, 0x10300), gicr_r(0, 0x10c04), gicr_r(0, 0x1041b, 1),
    ])
    s["v3_id_registers"] = u8(7) + b"".join([
        gicd_r(0x0), gicd_r(0x4), gicd_r(0x8), gicd_r(0xffe8), gicd_r(0x6000, 8),
        gicd_r(0x7fd8, 8), gicd_r(0x0d00), gicd_r(0xfffc), gicd_r(0x0001, 1),
        gicr_r(0, 0x8, 8), gicr_r(7, 0xc), gicr_r(3, 0x14), gicr_r(2, 0xffe8), gicr_r(8, 0x0),
        gicr_w(7, 0x14, 0), gicr_r(7, 0x14), gicr_w(8, 0x14, 0), gicr_w(1, 0x0, 0, 2),
    ])
    # Two clusters of two (Aff1), and Aff0 beyond 15 (RS), for SGI routing.
    s["v3_sgi_affinity"] = u8(0x10 | 3) + enable + b"".join([
        sgi(0, 4, targets=0b10, aff1=1), sgi(3, 5, targets=0b11, aff1=0),
        sgi(1, 6, irm=True), run(2, 4, [ACKED]), run(3, 4),
    ])
    s["v3_sgi_range_selector"] = u8(0x20 | 5) + enable + b"".join([
        sgi(0, 7, targets=1 << 3, rs=2, aff2=2, aff3=1), sgi(0, 8, targets=0xffff, rs=5,
                                                           aff2=2, aff3=1),
        run(2, 2, [ACKED]),
    ])
    # GICv2: banked private interrupts, ITARGETSR, GICD_SGIR.
    s["v2_targets_sgir"] = u8(8 | 7) + b"".join([
        gicd_w(0x0, 3), gicd_w(0x100, 0xffffffff, vcpu=0), gicd_w(0x100, 0xffffffff, vcpu=3),
        gicd_w(0x104, 0xffffffff), gicd_w(0x820, 0x08040201), gicd_w(0x824, 0x80, 1),
        gicd_r(0x800), gicd_r(0x820), gicd_r(0x4), gicd_r(0x7fc), gicd_w(0x7ff, 0x70),
        gicd_w(0xf00, 0x00ff0003), gicd_w(0xf00, 0x01000004, vcpu=2),
        gicd_w(0xf00, 0x02000005, vcpu=5), level(0, 32, True), trigger(0, 36),
        run(0, 4, [ACKED, ACKED]), run(3, 4, [ENDED]), run(5, 4),
    ])
    # GICv2 SGIs pending per sender: GICD_SGIR's filters, GICD_SPENDSGIR and
    # CPENDSGIR by bytes and words, one sender at a time through the list
    # registers; GICD_ITARGETSR and GICD_ICFGR by bytes.
    s["v2_sgi_senders"] = u8(8 | 3) + b"".join([
        gicd_w(0x0, 1), gicd_w(0x100, 0xffff, vcpu=0), gicd_w(0x100, 0xffff, vcpu=1),
        gicd_w(0xf00, 0x01000002, vcpu=1), gicd_w(0xf00, 0x02000002, vcpu=3),
        gicd_w(0xf00, 0x00010002, vcpu=2), gicd_r(0xf20, vcpu=0), gicd_r(0xf22, 1, vcpu=0),
        gicd_w(0xf21, 0x0f, 1, vcpu=0), gicd_w(0xf10, 0x0400, vcpu=0), gicd_r(0x200, vcpu=0),
        gicd_w(0x200, 0xffff, vcpu=0), gicd_w(0x280, 0xffff, vcpu=0),
        run(0, 1, [ACKED]), run(0, 4, [ENDED]), run(0, 4, [UNTOUCHED]), run(0, 4, [ACKED]),
        gicd_w(0x864, 0x0c, 1), gicd_w(0x868, 0x0103020f), gicd_r(0x865, 1),
        gicd_w(0xc09, 0x82, 1), gicd_r(0xc08), gicd_w(0x464, 0xff, 1), gicd_r(0x464),
    ])
    # The virtual timer's line (PPI 27, hardware-linked) raised, taken or
    # not, and lowered: pending, active and idle as the guest left it.
    s["v3_timer_line"] = u8(1) + enable + b"".join([
        hw(0, 27), hw(1, 27), hw_line(0, 27, True), run(0, 4, [UNTOUCHED]),
        hw_line(0, 27, False), hw_line(1, 27, True), run(1, 4, [ACKED]), hw_line(1, 27, False),
        run(1, 4, [ENDED]), hw_line(0, 27, True), gicr_w(0, 0x10200, 1 << 27),
        hw_line(0, 27, False), gicr_r(0, 0x10200), hw_line(0, 40, True), hw_line(0, 40, False),
    ])
    return s

# ---- vgic_cpuif ----------------------------------------------------------
# GICC offsets (IHI 0048B table 4-2) and list register flags, as
# fuzz_vgic_cpuif.c reads them.
(GICC_CTLR, GICC_PMR, GICC_BPR, GICC_IAR, GICC_EOIR, GICC_RPR, GICC_HPPIR, GICC_ABPR,
 GICC_AIAR, GICC_AEOIR, GICC_AHPPIR) = range(0, 0x2c, 4)
GICC_APR0, GICC_IIDR, GICC_DIR = 0xd0, 0xfc, 0x1000
P, A, G1, HW, EOI, SRC, RAW = 1, 2, 4, 8, 16, 32, 0x80
CTLR_G0, CTLR_G1, CTLR_ACKCTL, CTLR_FIQEN, CTLR_CBPR, CTLR_EOIMODE = 1, 2, 4, 8, 16, 0x200


def gicc_r(off, size=4):
    return u8(0) + u16(off) + u8(SZ[size])


def gicc_w(off, val, size=4):
    return u8(1) + u16(off) + u8(SZ[size]) + u64(val)


def lr(index, intid, prio, flags=P, raw=None, sender=None):
    """A list register; sender: a GICv2 SGI's (flag SRC, one more byte)."""
    flags |= (RAW if raw is not None else 0) | (SRC if sender is not None else 0)
    out = u8(2) + u8(index) + u8(flags) + u8(intid) + u8(prio)
    return out + (u64(raw) if raw is not None else b"") + (u8(sender) if sender is not None
                                                           else b"")


def used(n):
    return u8(3) + u8(n)


def cpuif_seeds():
    s = {}
    on = gicc_w(GICC_CTLR, CTLR_G0 | CTLR_G1 | CTLR_ACKCTL) + gicc_w(GICC_PMR, 0xff)
    s["ack_eoi_nested"] = on + b"".join([
        lr(0, 40, 0x80), lr(1, 41, 0xa0), gicc_r(GICC_HPPIR), gicc_r(GICC_IAR),
        gicc_r(GICC_RPR), gicc_r(GICC_IAR), lr(2, 42, 0x40), gicc_r(GICC_IAR),
        gicc_r(GICC_APR0), gicc_w(GICC_EOIR, 42), gicc_w(GICC_EOIR, 40), gicc_r(GICC_IAR),
        gicc_w(GICC_EOIR, 41), gicc_r(GICC_RPR), used(0), gicc_r(GICC_IAR),
    ])
    s["group1_ackctl_alias"] = b"".join([
        gicc_w(GICC_CTLR, CTLR_G0 | CTLR_G1), gicc_w(GICC_PMR, 0xf0), lr(0, 33, 0x60, P | G1),
        lr(1, 34, 0x70), gicc_r(GICC_HPPIR), gicc_r(GICC_IAR), gicc_r(GICC_AHPPIR),
        gicc_r(GICC_AIAR), gicc_w(GICC_AEOIR, 33), gicc_r(GICC_AIAR), gicc_r(GICC_IAR),
        gicc_w(GICC_EOIR, 34), gicc_w(GICC_CTLR, CTLR_G1 | CTLR_ACKCTL | CTLR_FIQEN),
        lr(0, 35, 0x20, P | G1), gicc_r(GICC_IAR), gicc_w(GICC_EOIR, 35),
    ])
    s["binary_points_cbpr"] = on + b"".join([
        gicc_w(GICC_BPR, 4), gicc_w(GICC_ABPR, 7), gicc_r(GICC_BPR), gicc_r(GICC_ABPR),
        lr(0, 40, 0x90), gicc_r(GICC_IAR), lr(1, 41, 0x80), lr(2, 42, 0x88, P | G1),
        gicc_r(GICC_IAR), gicc_w(GICC_CTLR, CTLR_G0 | CTLR_G1 | CTLR_ACKCTL | CTLR_CBPR),
        gicc_r(GICC_IAR), gicc_w(GICC_BPR, 0), gicc_w(GICC_ABPR, 1), gicc_r(GICC_IAR),
        gicc_w(GICC_EOIR, 40), gicc_w(GICC_EOIR, 41),
    ])
    # Group 1 through a coarser GICC_ABPR: the highest pending (group 0,
    # 0x48) cannot preempt 0x40, so nothing is signalled, although group 1's
    # 0x50 has group priority 0 (IHI 0048B 3.3.2).
    s["cross_group_binary_points"] = on + b"".join([
        gicc_w(GICC_BPR, 2), gicc_w(GICC_ABPR, 7), lr(0, 40, 0x40), gicc_r(GICC_IAR),
        lr(1, 41, 0x48), lr(2, 42, 0x50, P | G1), gicc_r(GICC_HPPIR), gicc_r(GICC_IAR),
        gicc_r(GICC_AIAR), gicc_w(GICC_EOIR, 40), gicc_r(GICC_IAR), gicc_r(GICC_AIAR),
    ])
    s["eoimode1_dir_hw"] = b"".join([
        gicc_w(GICC_CTLR, CTLR_G0 | CTLR_EOIMODE | CTLR_FIQEN), gicc_w(GICC_PMR, 0xff),
        lr(0, 27, 0xa0, P | HW), lr(1, 33, 0xa0, P | EOI), gicc_r(GICC_IAR),
        gicc_w(GICC_EOIR, 27), gicc_w(GICC_DIR, 33), gicc_w(GICC_DIR, 27), gicc_r(GICC_IAR),
        gicc_w(GICC_EOIR, 33), gicc_w(GICC_CTLR, CTLR_G0), gicc_w(GICC_DIR, 33),
        gicc_w(GICC_EOIR, 1023), gicc_w(GICC_EOIR, 33),
    ])
    s["mask_and_apr_restore"] = b"".join([
        gicc_w(GICC_CTLR, CTLR_G0), lr(0, 40, 0x80), gicc_w(GICC_PMR, 0x80), gicc_r(GICC_IAR),
        gicc_w(GICC_PMR, 0x87), gicc_r(GICC_PMR), gicc_w(GICC_PMR, 0x88), gicc_w(GICC_APR0,
                                                                              0x00010100),
        gicc_r(GICC_RPR), gicc_r(GICC_IAR), gicc_w(GICC_APR0, 0), gicc_r(GICC_IAR),
        gicc_r(GICC_APR0), lr(1, 41, 0xf8), gicc_w(GICC_PMR, 0xff), gicc_r(GICC_HPPIR),
    ])
    s["refused_and_reserved"] = on + lr(0, 40, 0x80) + b"".join([
        gicc_r(GICC_IAR, 1), gicc_r(GICC_IAR, 2), gicc_r(GICC_IAR, 8), gicc_r(0x2),
        gicc_w(GICC_CTLR, 0, 1), gicc_w(GICC_PMR, 0, 8), gicc_w(0x1002, 40),
        gicc_r(GICC_IIDR), gicc_r(0xd4), gicc_w(0xd4, 0xffffffff), gicc_r(0x40),
        gicc_w(0x1ffc, 1), gicc_r(GICC_EOIR), gicc_r(GICC_DIR), gicc_w(GICC_IAR, 40),
        gicc_w(GICC_RPR, 0), gicc_r(0xfffc), gicc_r(GICC_IAR),
    ])
    # GICv2 SGIs 3 and 4 from CPUs 2 and 5: GICC_HPPIR and GICC_IAR name the
    # sender.
    s["sgi_senders"] = on + b"".join([
        lr(0, 3, 0x40, P | EOI, sender=2), lr(1, 4, 0x60, P, sender=5),
        gicc_r(GICC_HPPIR), gicc_r(GICC_IAR), gicc_w(GICC_EOIR, 3 | 2 << 10),
        gicc_r(GICC_IAR), gicc_w(GICC_EOIR, 4 | 5 << 10), gicc_r(GICC_IAR),
    ])
    s["garbage_lrs"] = on + b"".join([
        lr(0, 0, 0, raw=1 << 62 | 1 << 60 | 0x3ff), lr(1, 0, 0, raw=3 << 62 | 40),
        lr(15, 0, 0, raw=1 << 62 | 1 << 61 | 0x1234_0000_0000 | 0x10000_0029),
        gicc_r(GICC_IAR), gicc_r(GICC_IAR), gicc_w(GICC_EOIR, 41), gicc_w(GICC_EOIR, 1023),
        gicc_w(GICC_EOIR, 40), used(16), used(2), gicc_r(GICC_AIAR),
    ])
    return s


# ---- vmconfig -----------------------------------------------------------
# Raw trees: some of the unit tests' (valid and each broken in one way),
# and two laid out with the structure block last, so that cutting the
# blob short cuts into the structure.
DTS = ["vm-two", "vm-defaults", "virt-gicv2", "virt-modules", "virt-reserved",
       "virt-console-alias", "virt-topology", "bad-vm-name-long", "bad-vm-module-outside-ram",
       "bad-gicv3-one-reg", "bad-cpu-no-reg", "bad-memory-banks", "bad-vm-its-gicv2",
       "vm-placement", "vm-devices"]


def dtc(name):
    src = os.path.join(TOP, "tests", "unit", "dts", name + ".dts")
    return subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", src], check=True,
                          capture_output=True).stdout


def struct_last(dtb):
    """The same tree as header, memory reservations, strings, structure."""
    (magic, total, off_struct, off_strings, off_rsv, version, last_comp, boot_cpu,
     size_strings, size_struct) = struct.unpack(">10I", dtb[:40])
    rsv_end = off_rsv
    while dtb[rsv_end:rsv_end + 16] != bytes(16):
        rsv_end += 16
    rsv = dtb[off_rsv:rsv_end + 16]
    strings = dtb[off_strings:off_strings + size_strings]
    body = dtb[off_struct:off_struct + size_struct]
    new_rsv = 40
    new_strings = new_rsv + len(rsv)
    new_struct = (new_strings + len(strings) + 3) & ~3
    out = bytearray(new_struct + len(body))
    out[new_rsv:new_rsv + len(rsv)] = rsv
    out[new_strings:new_strings + len(strings)] = strings
    out[new_struct:] = body
    out[:40] = struct.pack(">10I", magic, len(out), new_struct, new_strings, new_rsv, version,
                           last_comp, boot_cpu, len(strings), len(body))
    return bytes(out)


# Structured inputs: a template (fuzz_vmconfig.c's build_templates()),
# then edits. Nodes are numbered in document order; in template 0:
T0 = dict(root=0, memory=1, resmem=2, fw=3, cpus=4, cpu0=5, psci=9, pl011=10, intc=11,
          timer=12, aliases=13, chosen=14, vm0=15, vm0_kernel=16, vm0_ramdisk=17, vm1=18,
          vm1_kernel=19, channel=21)
# ... and in template 1 (GICv2, a bare module in /chosen):
T1 = dict(root=0, memory=1, cpus=4, pl011=7, intc=8, chosen=11, module=12)
PROPS = ["reg", "#address-cells", "#size-cells", "device_type", "compatible", "vireo,name",
         "vireo,memory", "vireo,cpus", "vireo,affinity", "vireo,ram-ipa", "vireo,on-crash",
         "bootargs", "stdout-path", "method", "interrupts", "clock-frequency", "model",
         "serial0", "ranges", "status", "vireo,vms", "vireo,size", "vireo,restart-limit",
         "vireo,watchdog", "vireo,its"]
STRINGS = ["memory", "cpu", "arm,pl011", "arm,gic-v3", "arm,gic-400", "arm,cortex-a15-gic",
           "multiboot,module", "multiboot,kernel", "multiboot,ramdisk", "vireo,vm", "smc", "hvc",
           "arm,psci-0.2", "arm,psci", "/pl011@9000000", "serial0:115200n8", "serial0",
           "/chosen", "stop", "restart", "linux", "vm0", "", "arm,armv8-timer",
           "console=ttyAMA0", "ABCDEFGHIJKLMNOPQ", "/pl011@9000000:115200", "nosuch",
           "/cpus/cpu@0", "vireo,channel", "rtos_1", "on", "off"]
NODE_NAMES = ["memory@80000000", "cpu@9", "vm@9", "module@44000000", "reserved-memory",
              "chosen", "cpus", "psci", "pl011@9000000", "intc@8000000", "timer", "aliases",
              "x", "memory", "channel@1"]


def ed_cells(node, prop, *cells):
    """Sets prop of node to the given cells (at most 7)."""
    padded = list(cells) + [0] * (7 - len(cells))
    return (u8(0) + u8(node) + u8(PROPS.index(prop)) + u8(len(cells)) +
            b"".join(u32(c) for c in padded))


def ed_string(node, prop, a, b=None, cut=0xff):
    return (u8(1) + u8(node) + u8(PROPS.index(prop)) + u8(STRINGS.index(a)) +
            u8(0xff if b is None else STRINGS.index(b)) + u8(cut))


def ed_bytes(node, prop, data):
    return u8(2) + u8(node) + u8(PROPS.index(prop)) + u8(len(data)) + data.ljust(16, b"\0")


def ed_delprop(node, prop):
    return u8(3) + u8(node) + u8(PROPS.index(prop))


def ed_add(parent, name):
    return u8(4) + u8(parent) + u8(0) + u8(NODE_NAMES.index(name))


def ed_del(node):
    return u8(5) + u8(node) + u8(0)


def ed_rsv(addr, size):
    return u8(6) + u8(0) + u8(0) + u64(addr) + u64(size)


def vmconfig_seeds():
    s = {"dtb_" + name: dtc(name) for name in DTS}
    s["dtb_vm-two_struct_last"] = struct_last(dtc("vm-two"))
    s["dtb_virt-gicv2_struct_last"] = struct_last(dtc("virt-gicv2"))
    t0, t1 = u8(0), u8(1)
    s["edit_t0_as_built"] = t0
    s["edit_t1_as_built"] = t1
    s["edit_t2_as_built"] = u8(2)
    s["edit_t0_vm_options"] = t0 + b"".join([
        ed_cells(T0["vm0"], "vireo,ram-ipa", 0x1, 0x0),
        ed_cells(T0["vm0"], "vireo,memory", 0x0, 0x20000000),
        ed_cells(T0["vm0"], "vireo,affinity", 3),
        ed_cells(T0["vm0"], "vireo,cpus", 8),
        ed_string(T0["vm0"], "vireo,on-crash", "restart"),
        ed_string(T0["vm1"], "vireo,on-crash", "stop"),
        ed_cells(T0["vm0"], "vireo,restart-limit", 3, 10),
        ed_string(T0["vm0"], "vireo,watchdog", "off"),
        ed_cells(T0["vm1"], "vireo,restart-limit", 0, 0),
        ed_string(T0["vm1"], "vireo,watchdog", "on"),
        ed_string(T0["vm0"], "vireo,its", "on"),
        ed_string(T0["vm1"], "vireo,its", "off"),
    ])
    s["edit_t0_ram_near_devices"] = t0 + b"".join([
        ed_cells(T0["vm0"], "vireo,ram-ipa", 0x0, 0x200000),
        ed_cells(T0["vm0"], "vireo,memory", 0xffffffff, 0xffe00000),
        ed_cells(T0["vm1"], "vireo,ram-ipa", 0x0a000000),
    ])
    s["edit_t0_unterminated_strings"] = t0 + b"".join([
        ed_string(T0["vm1"], "vireo,name", "vm0", cut=1),
        ed_string(T0["chosen"], "stdout-path", "serial0", cut=1),
        ed_string(T0["vm0_kernel"], "bootargs", "console=ttyAMA0", cut=1),
        ed_string(T0["memory"], "device_type", "memory", cut=1),
        ed_string(T0["psci"], "method", "smc", cut=1),
        ed_string(T0["vm0"], "vireo,on-crash", "restart", cut=1),
        ed_string(T0["root"], "model", "linux", cut=1),
    ])
    s["edit_t0_short_cells"] = t0 + b"".join([
        ed_bytes(T0["vm0"], "#address-cells", b""),
        ed_bytes(T0["cpus"], "#address-cells", b"\0\0"),
        ed_bytes(T0["root"], "#size-cells", b"\0"),
        ed_bytes(T0["timer"], "clock-frequency", b""),
        ed_bytes(T0["vm1"], "vireo,cpus", b"\0\0\0"),
        ed_bytes(T0["pl011"], "interrupts", b"\0\0\0\0\0\0\0\1"),
        ed_cells(T0["cpu0"], "reg"),
    ])
    s["edit_t0_cell_sizes"] = t0 + b"".join([
        ed_cells(T0["vm0"], "#address-cells", 3),
        ed_cells(T0["vm1"], "#size-cells", 0),
        ed_cells(T0["cpus"], "#address-cells", 2),
        ed_cells(T0["resmem"], "#address-cells", 0xffffffff),
        ed_cells(T0["root"], "#address-cells", 1),
        ed_cells(T0["pl011"], "interrupts", 0, 0xffffffe0, 4),
    ])
    s["edit_t0_psci_console_gic"] = t0 + b"".join([
        ed_string(T0["psci"], "method", "hvc"),
        ed_delprop(T0["psci"], "method"),
        ed_string(T0["chosen"], "stdout-path", "/pl011@9000000:115200"),
        ed_string(T0["aliases"], "serial0", "nosuch"),
        ed_string(T0["intc"], "compatible", "arm,gic-400"),
        ed_cells(T0["intc"], "reg", 0, 0x8000000),
    ])
    s["edit_t0_too_many"] = t0 + b"".join(
        [ed_rsv(0x48000000 + i * 0x10000, 0x1000) for i in range(17)] +
        [ed_cells(T0["memory"], "reg", 0, 0x40000000, 0, 0x1000000, 0, 0x60000000, 0, 0x1000)])
    s["edit_t0_nodes"] = t0 + b"".join([
        ed_add(T0["chosen"], "vm@9"), ed_del(T0["vm1"]), ed_add(T0["root"], "memory@80000000"),
        ed_del(T0["cpus"]), ed_add(T0["root"], "cpus"), ed_del(T0["intc"]),
    ])
    s["edit_t0_channels"] = t0 + b"".join([
        ed_cells(T0["channel"], "vireo,size", 0x100000),
        ed_add(T0["chosen"], "channel@1"),
        ed_string(T0["channel"] + 1, "compatible", "vireo,channel"),
        ed_string(T0["channel"] + 1, "vireo,vms", "rtos_1", "rtos_1"),
        ed_string(T0["channel"], "vireo,vms", "rtos_1", "nosuch", cut=1),
        ed_cells(T0["channel"], "vireo,size", 0x1001),
        ed_bytes(T0["channel"], "vireo,size", b""),
    ])
    s["edit_t1_bare_module"] = t1 + b"".join([
        ed_cells(T1["module"], "reg", 0, 0x60000000, 0, 0),
        ed_string(T1["module"], "compatible", "multiboot,module"),
        ed_add(T1["chosen"], "module@44000000"),
        ed_string(T1["module"], "bootargs", "ABCDEFGHIJKLMNOPQ", cut=1),
    ])
    s["edit_t2_nine_vms"] = u8(2) + ed_add(14 + 8 * 0, "vm@9") + b"".join([
        ed_cells(9, "vireo,cpus", 2),
    ])
    return s

# ---- smccc ----------------------------------------------------------------
# Indices into fuzz_smccc.c's known[] (a fidsel below twice its length
# picks known[fidsel % len]); RAW takes the function ID from the record.
(SMCCC_VERSION, ARCH_FEATURES, WORKAROUND_1, WORKAROUND_2, WORKAROUND_3, PSCI_VERSION,
 CPU_SUSPEND, CPU_OFF, CPU_ON, AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET,
 PSCI_FEATURES, HC_VERSION, HC_NULL, HC_SHARED_PAGE, HC_CONSOLE_WRITE, HC_YIELD,
 HC_CHANNEL_INFO, HC_DOORBELL, HC_CALL_COUNT, HC_CALL_UID, HC_REVISION, PV_TIME_FEATURES,
 PV_TIME_ST, TRNG_VERSION, TRNG_FEATURES, TRNG_GET_UUID, TRNG_RND32, TRNG_RND64) = range(31)
RAW = 0xff
# How an argument is made from its raw value (fuzz_smccc.c's argument()).
A_RAW, A_MPIDR, A_AFF, A_RAM, A_PAGE, A_RAM_END, A_LEN, A_FID = range(8)


def smccc_vm(vcpus, on=1, mpidrs=None, ram_anywhere=None, ram_size=2, pfr0=0):
    """Header: vCPUs, which are on, RAM (4 KiB << ram_size at 1 GiB, or at
    ram_anywhere), PFR0."""
    flags = (vcpus - 1) | (3 << 3 if mpidrs else 0) | (0x20 if ram_anywhere is not None else 0)
    out = u8(flags) + u8(on) + u64(ram_anywhere or 0) + u64(ram_size) + u64(pfr0)
    return out + b"".join(u64(m) for m in (mpidrs or []))


def call(fid, caller=0, smc=True, imm=0, x1=0, x2=0, x3=0, x1_is=A_RAW, x2_is=A_RAW,
         x0_high=0):
    """One call: fid an index into known[] or (RAW, ID); x1 and x2 made
    from their values as x1_is and x2_is say."""
    fidsel, raw = (RAW, fid[1]) if isinstance(fid, tuple) else (fid, 0)
    return (u8(caller) + u8(int(smc)) + u8(fidsel) + u16(imm) + u32(raw) + u8(x1_is) +
            u8(x2_is) + u32(x0_high) + u64(x1) + u64(x2) + u64(x3))


def smccc_seeds():
    s = {}
    s["psci_smp_boot"] = smccc_vm(4) + b"".join([
        call(PSCI_VERSION), call(PSCI_FEATURES, x1=0xc4000003),
        call(PSCI_FEATURES, x1=0xc4000005), call(PSCI_FEATURES, x1=5, x1_is=A_FID),
        call(CPU_ON, x1=1, x1_is=A_MPIDR, x2=0x800, x2_is=A_RAM, x3=0x1234),
        call(CPU_ON, x1=1, x1_is=A_MPIDR, x2=0x800, x2_is=A_RAM),
        call(AFFINITY_INFO, x1=1, x1_is=A_MPIDR), call(AFFINITY_INFO, x1=3, x1_is=A_MPIDR),
        call(AFFINITY_INFO, x1=3, x1_is=A_MPIDR, x2=1),
        call(CPU_ON, x1=2, x1_is=A_MPIDR, x2=0x802, x2_is=A_RAM),
        call(CPU_ON, x1=2, x1_is=A_MPIDR, x2=0x1000),
        call(CPU_ON, x1=0x80000009, x2=0, x2_is=A_RAM),
        call(CPU_ON, caller=1, x1=2, x1_is=A_MPIDR, x2=4, x2_is=A_RAM_END),
        call(CPU_ON, caller=1, x1=3, x1_is=A_AFF, x2=2, x2_is=A_RAM_END),
        call(CPU_SUSPEND, caller=1), call(MIGRATE_INFO_TYPE, caller=2),
        call(CPU_OFF, caller=1), call(AFFINITY_INFO, x1=1, x1_is=A_MPIDR),
    ])
    s["arch_calls"] = smccc_vm(1, pfr0=1 << 56) + b"".join([
        call(SMCCC_VERSION, smc=False), call(ARCH_FEATURES, x1=0x80008000),
        call(ARCH_FEATURES, x1=0x80003fff), call(ARCH_FEATURES, x1=0x80007fff),
        call(ARCH_FEATURES, x1=0xc5000020), call(ARCH_FEATURES, x1=0x80000001,
                                                 x0_high=0xffffffff),
        call(ARCH_FEATURES, x1=0xffffffff80008000), call(SMCCC_VERSION, smc=False, imm=1),
        call(WORKAROUND_1), call((RAW, 0x8400000b)), call((RAW, 0x04000000)),
        call((RAW, 0xc5000000)), call((RAW, 0xbf00ff00), smc=False),
    ])
    s["arch_features_csv3"] = smccc_vm(1, pfr0=0x11 << 56) + call(ARCH_FEATURES, x1=0x80003fff)
    s["psci_last_cpu_off"] = smccc_vm(2, on=3) + call(CPU_OFF) + call(CPU_OFF)
    s["psci_system_reset"] = smccc_vm(2) + b"".join([
        call(CPU_ON, x1=1, x1_is=A_MPIDR, x2=0, x2_is=A_RAM), call(SYSTEM_RESET)])
    s["psci_system_off_hvc"] = smccc_vm(1) + call(SYSTEM_OFF, smc=False)
    s["psci_odd_mpidrs_ram_at_top"] = smccc_vm(
        3, mpidrs=[0x80000001, 0x1_0000_0001, 0x80000001],
        ram_anywhere=0xffffffffffff0000, ram_size=3) + b"".join([
            call(CPU_ON, x1=0x81000001, x2=0xfffffffffffffffc),
            call(CPU_ON, x1=0x1_0000_0001, x2=0xffffffffffff8000),
            call(AFFINITY_INFO, x1=0x1_0000_0001), call(CPU_ON, x1=0x1_0000_0001, x2=0),
        ])
    s["vendor_identity"] = smccc_vm(2, on=3) + b"".join([
        call(HC_VERSION), call(HC_NULL, smc=False), call(HC_CALL_UID), call(HC_REVISION),
        call(HC_CALL_COUNT), call(HC_YIELD, caller=1), call((RAW, 0xc6000001)),
        call(PV_TIME_FEATURES, x1=0xc5000021), call(PV_TIME_FEATURES, x1=0xc5000022),
        call(PV_TIME_ST, caller=1), call(TRNG_VERSION), call(TRNG_RND64, x1=64),
    ])
    s["vendor_shared_page_console"] = smccc_vm(1, ram_size=4) + b"".join([
        call(HC_SHARED_PAGE, x1=0x3000, x1_is=A_PAGE), call(HC_SHARED_PAGE, x1=0x3008,
                                                              x1_is=A_RAM),
        call(HC_SHARED_PAGE, x1=0x1000, x1_is=A_RAM_END), call(HC_SHARED_PAGE, x1=0),
        call(HC_SHARED_PAGE, x1=0x40000000 - 0x1000),
        call(HC_CONSOLE_WRITE, x1=0x100, x1_is=A_RAM, x2=12, x2_is=A_LEN),
        call(HC_CONSOLE_WRITE, x1=0x10, x1_is=A_RAM_END, x2=0x10, x2_is=A_LEN),
        call(HC_CONSOLE_WRITE, x1=0x10, x1_is=A_RAM_END, x2=0x11, x2_is=A_LEN),
        call(HC_CONSOLE_WRITE, x1=0, x1_is=A_RAM, x2=4097, x2_is=A_LEN),
        call(HC_CONSOLE_WRITE, x1=0, x1_is=A_RAM, x2=0),
        call(HC_CONSOLE_WRITE, x1=0x1000, x1_is=A_PAGE, x2=0xfffffffffffff000),
    ])
    s["vendor_channels"] = smccc_vm(1) + b"".join([
        call(HC_CHANNEL_INFO, x1=0), call(HC_CHANNEL_INFO, x1=0x1_0000_0000, x3=5),
        call(HC_DOORBELL, x1=0x1_0000_0003, x3=7), call(HC_DOORBELL, smc=False, x1=1),
    ])
    return s

# ---- vwdog -----------------------------------------------------------------
# Operations as fuzz_vwdog.c reads them: opcode, offset, size code
# (log2 of the size), the value (writes only), the step of the count and
# where in it the second copy is looked at (of 256).
WD_WCS, WD_WOR, WD_WOR_HI, WD_WCV, WD_WCV_HI, WD_IIDR = 0x0, 0x8, 0xc, 0x10, 0x14, 0xfcc
WD_REFRESH = 0x10000
WD_SZ = {1: 0, 2: 1, 4: 2, 8: 3}


def wd_r(off, step=0, size=4, peek=128):
    return u8(0) + u32(off) + u8(WD_SZ[size]) + u32(step) + u8(peek)


def wd_w(off, val, step=0, size=4, peek=128):
    return u8(1) + u32(off) + u8(WD_SZ[size]) + u64(val) + u32(step) + u8(peek)


def wd_t(step, peek=128):
    return u8(2) + u32(0) + u8(0) + u32(step) + u8(peek)


def vwdog_seeds():
    enable = wd_w(WD_WOR, 1000) + wd_w(WD_WCS, 1)
    return {
        # Linux's single stage: refreshed in time, then left to expire.
        "refreshed_then_expiring": enable + b"".join(wd_w(WD_REFRESH, 0, step=600)
                                                     for _ in range(8))
        + wd_r(WD_WCS, step=1000) + wd_r(WD_WCS, step=1000) + wd_t(5000),
        # Both stages noticed late, in one look; and WS1 kept across a reset.
        "late_look": enable + wd_t(2500, peek=10) + wd_r(WD_WCS),
        # WS0, its timeout refresh, then an explicit refresh lowering it.
        "ws0_then_refresh": enable + wd_t(1000) + wd_r(WD_WCV) + wd_r(WD_WCV_HI)
        + wd_w(WD_REFRESH, 0, step=10) + wd_r(WD_WCS),
        # WOR and WCV in halves and whole; WCV near the top of the count.
        "wide_registers": wd_w(WD_WOR, 0x89abcdef) + wd_w(WD_WOR_HI, 0xffff)
        + wd_r(WD_WOR, size=8) + wd_w(WD_WCV, 0xfffffffffffffff0, size=8) + wd_w(WD_WCS, 1)
        + wd_w(WD_WCV, 0xfffffffffffffff0, size=8) + wd_t(0xffffffff) + wd_r(WD_WCV, size=8),
        # Refused: sizes, alignment, outside the frames; the IDs.
        "refused_and_ids": wd_r(WD_WCS, size=1) + wd_w(WD_WCS, 1, size=2) + wd_r(WD_WCS + 2)
        + wd_r(0x1000) + wd_w(WD_REFRESH - 4, 0) + wd_r(WD_REFRESH, size=8) + wd_r(WD_IIDR)
        + wd_r(WD_REFRESH + WD_IIDR) + wd_r(0x20000),
        # Disabled: nothing happens however long.
        "disabled": enable + wd_w(WD_WCS, 0, step=10) + wd_t(0xffffffff) + wd_r(WD_WCS),
    }

# ---- vrtc ------------------------------------------------------------------
# Operations as fuzz_vrtc.c reads them: opcode (0 read, 1 write), a u16
# offset, the size code, the value (writes only) and the step of seconds.
RTC_DR, RTC_MR, RTC_LR, RTC_CR, RTC_IMSC, RTC_RIS, RTC_MIS, RTC_ICR = range(0, 0x20, 4)


def rtc_r(off, step=0, size=4):
    return u8(0) + u16(off) + u8(WD_SZ[size]) + u32(step)


def rtc_w(off, val, step=0, size=4):
    return u8(1) + u16(off) + u8(WD_SZ[size]) + u32(val) + u32(step)


def vrtc_seeds():
    return {
        # Linux at boot: the IDs, start, the time; later hwclock -w.
        "linux_boot": b"".join(rtc_r(0xfe0 + 4 * i) for i in range(8)) + rtc_r(RTC_CR)
        + rtc_w(RTC_CR, 1) + rtc_r(RTC_DR, step=3) + rtc_w(RTC_LR, 1234567890, step=60)
        + rtc_r(RTC_DR, step=1),
        # A match, masked then unmasked, cleared, and not seen again.
        "match": rtc_w(RTC_MR, 1893553445 + 10) + rtc_r(RTC_RIS, step=9) + rtc_r(RTC_RIS, step=1)
        + rtc_r(RTC_MIS) + rtc_w(RTC_IMSC, 1) + rtc_r(RTC_MIS) + rtc_w(RTC_ICR, 1)
        + rtc_r(RTC_RIS, step=0xffffffff),
        # Loads across the match, and the counter's wrap.
        "loads": rtc_w(RTC_MR, 100) + rtc_w(RTC_LR, 50) + rtc_w(RTC_LR, 200, step=10)
        + rtc_r(RTC_RIS) + rtc_w(RTC_LR, 0xfffffff0) + rtc_r(RTC_DR, step=0x20)
        + rtc_w(RTC_LR, 90) + rtc_r(RTC_RIS, step=10),
        # Refused: sizes, alignment, past the page.
        "refused": rtc_r(RTC_DR, size=8) + rtc_w(RTC_LR, 1, size=1) + rtc_r(RTC_DR + 2)
        + rtc_r(0x1000) + rtc_w(0x1004, 0),
    }


# ---- gdb -------------------------------------------------------------------
# fuzz_gdb.c's input: the regime byte (bit 0: wait for gdb, bit 1: MMU on),
# 512 bytes of RAM, then commands: bytes for the stub, 0xf0 (park the
# vCPUs), 0xf8 + class (a debug exception), 0xfc + length + packet.
GDB_PARK = b"\xf0"


def gdb_packet(text):
    data = text.encode()
    return b"\xfc" + u8(len(data)) + data


def gdb_exception(kind):
    return b"\xf8" + u8(kind) + u16(0x100)


def gdb_ram(mmu):
    if not mmu:
        return bytes(512)
    # Level 1 of a 39-bit, 4 KiB regime: VA 0x40000000's gigabyte is a
    # block at IPA 0x40000000 (index 1); the rest is invalid.
    return u64(0) + u64(0x40000000 | 0x401) + bytes(496)


def gdb_session(mmu):
    return (u8(1 | (2 if mmu else 0)) + gdb_ram(mmu) + GDB_PARK
            + b"".join(gdb_packet(p) for p in (
                "qSupported:multiprocess+;swbreak+", "QStartNoAckMode", "?", "qfThreadInfo",
                "qsThreadInfo", "qThreadExtraInfo,2", "Hg2", "g", "p20", "P21=0500000000000000",
                "qXfer:features:read:target.xml:0,ffb", "qXfer:features:read:target.xml:ffb,ffb",
                "m40000000,40", "M40000100,4:d503201f", "Z0,40000010,4", "Z2,40000100,8",
                "Z1,40000020,4", "qRcmd,7374616765", "qRcmd,7374617473", "qRcmd,69727173",
                "qRcmd,70687973206f6e", "vCont;s:1;c"))
            + gdb_exception(2) + GDB_PARK + gdb_packet("z0,40000010,4") + gdb_packet("vCont;c")
            + gdb_exception(0) + gdb_exception(3) + GDB_PARK + gdb_packet("D") + b"\x03"
            + GDB_PARK + gdb_packet("k"))


def gdb_seeds():
    return {
        "session_mmu_off": gdb_session(False),
        "session_mmu_on": gdb_session(True),
        # Noise: bad sums, a packet too long, a frame with nothing in it.
        "noise": u8(0) + bytes(512) + b"$g#00+-$" + b"a" * 200 + b"#00\x03" + GDB_PARK
        + gdb_packet("G" + "0" * 20) + gdb_packet("Pff=00") + gdb_packet("m0,ffffffff"),
    }


# ---- vgic_its -----------------------------------------------------------

RAM = 0x40000000
PROP, PEND, DEVS, COLLS, ITT, CMDQ = (RAM + 0x0000, RAM + 0x10000, RAM + 0x30000,
                                      RAM + 0x31000, RAM + 0x32000, RAM + 0x33000)
I_ITS_R, I_ITS_W, I_RD_R, I_RD_W, I_RAM, I_CMD, I_RUN, I_CTLR = range(8)


def its_w(off, val, size=8):
    return u8(I_ITS_W) + u8(0) + u32(off) + u8({1: 0, 2: 1, 4: 2, 8: 3}[size]) + u64(val)


def its_r(off, size=8):
    return u8(I_ITS_R) + u8(0) + u32(off) + u8({1: 0, 2: 1, 4: 2, 8: 3}[size])


def rd_w(vcpu, off, val, size=8):
    return u8(I_RD_W) + u8(vcpu) + u16(off) + u8({4: 2, 8: 3}[size]) + u64(val)


def ram_w(addr, data):
    return u8(I_RAM) + u8(0) + u32(addr - RAM) + data.ljust(32, b"\0")


def its_cmd(d0, d1=0, d2=0, d3=0):
    return struct.pack("<4Q", d0, d1, d2, d3)


def its_run(vcpu, nr_lrs, took=()):
    return u8(I_RUN) + u8(vcpu) + u8(nr_lrs - 1) + b"".join(u8(1) + u8(a) for a in took)


def its_seeds():
    setup = u8(3) + u8(I_CTLR) + u8(0) + u8(2) + ram_w(PROP, bytes([0xa3] * 32))
    for v in range(4):
        setup += (rd_w(v, 0x70, PROP | 13) + rd_w(v, 0x78, PEND + 0x4000 * v)
                  + rd_w(v, 0x0, 1, 4))
    setup += (its_w(0x100, DEVS | 1 << 63) + its_w(0x108, COLLS | 1 << 63)
              + its_w(0x80, CMDQ | 1 << 63) + its_w(0x88, 0) + its_w(0x0, 1, 4))
    cmds = [its_cmd(0x08 | 5 << 32, 3, ITT | 1 << 63)]                 # MAPD 5
    cmds += [its_cmd(0x09, 0, i | i << 16 | 1 << 63) for i in range(4)]  # MAPC i -> i
    cmds += [its_cmd(0x0a | 5 << 32, 2 | 8200 << 32, 1),                # MAPTI 5/2 -> 8200
             its_cmd(0x03 | 5 << 32, 2),                                 # INT
             its_cmd(0x01 | 5 << 32, 2, 2),                              # MOVI to 2
             its_cmd(0x0c | 5 << 32, 2), its_cmd(0x0d, 0, 2),            # INV, INVALL
             its_cmd(0x0e, 0, 2 << 16, 3 << 16),                         # MOVALL 2 -> 3
             its_cmd(0x04 | 5 << 32, 2), its_cmd(0x0f | 5 << 32, 2),     # CLEAR, DISCARD
             its_cmd(0x05, 0, 1 << 16)]                                  # SYNC
    queued = b"".join(ram_w(CMDQ + 32 * i, c) for i, c in enumerate(cmds))
    return {
        "queue_all_commands": setup + queued + its_w(0x88, 32 * len(cmds))
        + its_run(3, 4, [0]) + its_r(0x90) + its_r(0x8) + its_r(0x100),
        "direct_commands": setup + b"".join(u8(I_CMD) + u8(0) + c for c in cmds)
        + its_w(0x10040, 2, 4) + its_run(2, 2, [1]) + its_run(1, 1),
        "stall_and_retry": setup + ram_w(CMDQ, its_cmd(0x08 | 9 << 32, 1, 0x7ffff00 | 1 << 63))
        + ram_w(CMDQ + 32, its_cmd(0x0a | 9 << 32, 8300 << 32, 1))
        + its_w(0x88, 64) + its_r(0x90) + its_w(0x88, 64 | 1) + its_r(0x90),
        "registers": u8(7) + b"".join(its_r(off, 4) for off in (0, 4, 8, 12, 0x80, 0x88, 0x90,
                                                                0x100, 0x104, 0x138, 0xffe8))
        + its_w(0x104, 0x80000000, 4) + its_w(0x100, 0x3 << 8) + its_r(0x100)
        + rd_w(6, 0x74, 0x1234, 4) + rd_w(6, 0x78, PEND | 1 << 62),
    }


# ---- s1walk ---------------------------------------------------------------
# Registers and tables as fuzz_s1walk.c reads them: flags (bit 0 MMU on,
# bit 1 big-endian tables), ID_AA64MMFR0/2 (u32), TCR, TTBR0, TTBR1, the VA,
# a second top byte, then (u16 slot, u64 descriptor) writes into the 256 KiB
# RAM at IPA 0. Each seed is a walk that ends the way its name says.
def t0sz(n):
    return n


def t1sz(n):
    return n << 16


TG0_4K, TG0_64K, TG0_16K = 0 << 14, 1 << 14, 2 << 14
TG1_16K, TG1_4K, TG1_64K = 1 << 30, 2 << 30, 3 << 30
EPD0, TBI0, TBI1 = 1 << 7, 1 << 37, 1 << 38


def ips(code):
    return code << 32


MMFR0_ALL, MMFR0_PA52 = 1 << 20 | 5, 1 << 20 | 6
MMFR2_LVA = 1 << 16
S1_LEAF = 1 << 10 | 3 << 8   # AF, inner shareable


def s1_table(a):
    return a | 3


def s1_block(a):
    return a | 1 | S1_LEAF


def s1_page(a):
    return a | 3 | S1_LEAF


def s1(tcr, va, writes, ttbr0=0, ttbr1=0, flags=1, mmfr0=MMFR0_ALL, mmfr2=0, top=0x5a):
    out = u8(flags) + u32(mmfr0) + u32(mmfr2) + u64(tcr) + u64(ttbr0) + u64(ttbr1) + u64(va)
    out += u8(top)
    for addr, desc in writes:
        out += u16(addr // 8) + u64(desc)
    return out


def s1_chain(tables, idx, leaf):
    """Writes linking tables[0] (the root) down to tables[-1] along idx,
    one index per level, with leaf at the last."""
    writes = [(t + 8 * i, s1_table(n)) for t, i, n in zip(tables, idx, tables[1:])]
    return writes + [(tables[-1] + 8 * idx[-1], leaf)]


def s1walk_seeds():
    linux = t0sz(16) | TG0_4K | t1sz(16) | TG1_4K | ips(5)
    k48 = s1_chain([0x1000, 0x2000, 0x3000, 0x4000], [256, 2, 0, 0], s1_page(0x41234000))
    k39 = s1_chain([0x1000, 0x2000, 0x3000], [256, 64, 0], s1_page(0x40777000))
    return {
        # Linux's kernel image at 0xffff800080000000 (48-bit VAs), TTBR1 with
        # an ASID and CnP; the same under TBI1.
        "linux_4k_48_ttbr1": s1(linux, 0xffff800080000abc, k48, ttbr1=0x1234 << 48 | 0x1000 | 1),
        "linux_4k_48_tbi1": s1(linux | TBI1, 0x12ff800080000abc, k48, ttbr1=0x1000),
        # 39-bit VAs: the image, and a 1 GiB block at level 1.
        "linux_4k_39": s1(t1sz(25) | TG1_4K | ips(2), 0xffffffc008000123, k39, ttbr1=0x1000),
        "block_1g": s1(t1sz(25) | TG1_4K | ips(5), 0xffffffc040000042,
                       [(0x1000 + 8 * 257, s1_block(0x80000000))], ttbr1=0x1000),
        # 16 KiB pages, 47 bits; a 32 MiB block at level 2.
        "16k_47": s1(t0sz(17) | TG0_16K | ips(5), 0x400001237abc,
                     s1_chain([0x4000, 0x8000, 0xc000], [1024, 0, 1165], s1_page(0x7654000)),
                     ttbr0=0x4000),
        "16k_block": s1(t0sz(17) | TG0_16K | ips(5), 0x400003456789,
                        s1_chain([0x4000, 0x8000], [1024, 1], s1_block(0x12000000)),
                        ttbr0=0x4000),
        # 64 KiB pages, 48 bits through TTBR1; 52 bits (FEAT_LVA, FEAT_LPA).
        "64k_48_ttbr1": s1(t1sz(16) | TG1_64K | ips(5), 0xffff80001234abcd,
                           s1_chain([0x0, 0x10000, 0x20000], [32, 0, 4660], s1_page(0x55550000)),
                           ttbr1=0x0),
        "64k_52": s1(t0sz(12) | TG0_64K | ips(6), 0xf876543210042,
                     s1_chain([0x0, 0x10000, 0x20000], [993, 6954, 801],
                              s1_page(0x70000 | 3 << 12)),
                     mmfr0=MMFR0_PA52, mmfr2=MMFR2_LVA),
        # The MMU off, under TBI0; a VA in the hole; EPD0.
        "mmu_off_tbi": s1(TBI0, 0x5a00000040001234, [], flags=0),
        "hole": s1(t0sz(25) | TG0_4K | t1sz(25) | TG1_4K, 0x8000000000, [], 0x1000, 0x2000),
        "epd0": s1(t0sz(25) | TG0_4K | EPD0 | ips(5), 0x40000000,
                   [(0x1000 + 8, s1_block(0x40000000))], ttbr0=0x1000),
        # An invalid descriptor at level 2, a level 0 block, a table outside
        # the RAM, a leaf beyond IPS (32 bits).
        "invalid_l2": s1(linux, 0xffff800080000abc, k48[:2] + [(0x3000, 0x2)], ttbr1=0x1000),
        "reserved_l0": s1(linux, 0x8000000000, [(0x1000 + 8, s1_block(0x8000000000))],
                          ttbr0=0x1000),
        "table_outside": s1(linux, 0xffff800080000abc,
                            k48[:1] + [(0x2000 + 16, s1_table(0x80000000))], ttbr1=0x1000),
        "beyond_ips": s1(t0sz(25) | TG0_4K | ips(0), 0x42,
                         [(0x1000, s1_block(0x100000000))], ttbr0=0x1000),
        # Big-endian tables.
        "big_endian": s1(linux, 0xffff800080000abc,
                         [(a, int.from_bytes(d.to_bytes(8, "little"), "big")) for a, d in k48],
                         ttbr1=0x1000, flags=3),
    }


# ---- aarch32 -------------------------------------------------------------
# A 32-bit guest's coprocessor traps (tests/fuzz/fuzz_aarch32.c): the
# class's index, the ISS (with IL), the CPSR, x0-x30, the PC.
A32_CLASSES = {"cp15_32": 0, "cp15_64": 1, "cp14_32": 2, "cp14_ls": 3, "cp10_id": 4,
               "cp14_64": 5}
IL, CV, AL, EQ = 1 << 25, 1 << 24, 0xe << 20, 0x0 << 20
SVC = 0x600001d3


def cp32(opc1, crn, crm, opc2, rt, read):
    return opc2 << 17 | opc1 << 14 | crn << 10 | rt << 5 | crm << 1 | read


def cp64(opc1, crm, rt, rt2, read):
    return opc1 << 16 | rt2 << 10 | rt << 5 | crm << 1 | read


def a32_trap(cls, iss, cpsr=SVC, pc=0x40002000):
    return (u8(A32_CLASSES[cls]) + u32(iss) + u32(cpsr)
            + b"".join(u64(0x1111111100000000 | i) for i in range(31)) + u32(pc))


def a32_ids():
    # ID_PFR0/1, ID_DFR0 (debug, PMU), ID_MMFR0-3, ID_ISAR0-5, ... as a Cortex-A72's.
    vals = [0x00000131, 0x10011011, 0x03010066, 0, 0x10201105, 0x40000000, 0x01260000,
            0x02102211, 0x02101110, 0x13112111, 0x21232042, 0x01112131, 0x00011142,
            0x00011121, 0, 0, 0x10110222, 0x12111111, 0, 0, 0x00000011, 0, 0, 0]
    return u8(1) + b"".join(u64(v) for v in vals)


def aarch32_seeds():
    return {
        "id_regs": a32_ids()
        + a32_trap("cp15_32", IL | CV | AL | cp32(0, 0, 1, 1, 3, 1))
        + a32_trap("cp15_32", IL | CV | AL | cp32(0, 0, 2, 0, 4, 1))
        + a32_trap("cp10_id", IL | CV | AL | cp32(7, 7, 0, 0, 5, 1)),
        "timer": a32_ids()
        + a32_trap("cp15_32", IL | CV | AL | cp32(0, 14, 2, 1, 0, 0))
        + a32_trap("cp15_32", IL | CV | AL | cp32(0, 14, 2, 0, 1, 1))
        + a32_trap("cp15_64", IL | CV | AL | cp64(2, 14, 2, 3, 1))
        + a32_trap("cp15_64", IL | CV | AL | cp64(2, 14, 2, 3, 0)),
        "sgi": a32_ids() + a32_trap("cp15_64", IL | CV | AL | cp64(0, 12, 0, 1, 0)),
        "conditions": a32_ids()
        + a32_trap("cp15_32", IL | CV | EQ | cp32(0, 0, 1, 1, 3, 1))
        + a32_trap("cp14_32", cp32(0, 0, 0, 0, 2, 1), cpsr=SVC | 0x20 | 0x0800)  # Thumb, IT
        + a32_trap("cp14_64", IL | CV | AL | cp64(0, 1, 14, 15, 1)),
        "undefined": a32_ids()
        + a32_trap("cp15_32", IL | CV | AL | cp32(4, 12, 0, 0, 0, 1))
        + a32_trap("cp14_ls", IL | CV | AL)
        + a32_trap("cp10_id", IL | CV | AL | cp32(7, 0, 0, 0, 0, 1)),
    }


TARGETS = {
    "insn": insn_seeds,
    "aarch32": aarch32_seeds,
    "dabt": dabt_seeds,
    "vgic_mmio": vgic_seeds,
    "vgic_its": its_seeds,
    "vgic_cpuif": cpuif_seeds,
    "vmconfig": vmconfig_seeds,
    "smccc": smccc_seeds,
    "vwdog": vwdog_seeds,
    "vrtc": vrtc_seeds,
    "s1walk": s1walk_seeds,
    "gdb": gdb_seeds,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    args = ap.parse_args()
    stale = []
    for target, make in TARGETS.items():
        seeds = make()
        d = os.path.join(OUT, target)
        os.makedirs(d, exist_ok=True)
        have = set(os.listdir(d))
        for name, data in sorted(seeds.items()):
            path = os.path.join(d, name)
            old = open(path, "rb").read() if os.path.exists(path) else None
            if old != data:
                stale.append(path)
                if not args.check:
                    with open(path, "wb") as f:
                        f.write(data)
        for name in sorted(have - set(seeds)):
            stale.append(os.path.join(d, name))
            if not args.check:
                os.remove(os.path.join(d, name))
    for path in stale:
        print(("stale: " if args.check else "wrote: ") + os.path.relpath(path, TOP))
    sys.exit(1 if args.check and stale else 0)


if __name__ == "__main__":
    main()
