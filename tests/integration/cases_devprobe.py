"""The integration scenarios of device assignment with bare-metal guests
(hv/core/devices.c, docs/config.md "Devices"; the Linux ones are in
cases_devices.py). The same Case as cases.py. guests/devprobe prints what
it finds at QEMU virt's PL061 and two highest virtio-mmio transports, and
drives a virtio entropy device it finds by DMA and its interrupt.

  - two VMs share the page of transports 31 and 30, one device each
    (--rng twice), and "probe" owns the PL061 too: each reaches its own
    device (the PL061's ID registers directly, its transport through
    Vireo, counted in its exit statistics under the device's name), gets
    its entropy through its own forwarded interrupt, with its RAM
    direct-mapped; each aborts on the other's transport and on what it
    was not given;
  - the same on a GICv2 host, whose list registers link the SPIs too;
  - refused at boot, before any VM starts: a transport given to two VMs,
    the console UART, and a DMA device beside "vireo,ram-ipa".
"""
import os
import re

from cases import ALWAYS_FORBID, GUESTS, TOP, Case, esc

DEVPROBE = f"{GUESTS}/devprobe.bin"
PL061, T31, T30 = "/pl061@9030000", "/virtio_mmio@a003e00", "/virtio_mmio@a003c00"


def probe_vm(name, devices=()):
    spec = f"name={name},kernel={DEVPROBE}"
    return ["--vm", spec + (",devices=" + ";".join(devices) if devices else "")]


def rng_lines(p, transport, intid, other):
    """What a devprobe VM that owns the entropy device on transport
    (0xa003e00 or 0xa003c00) prints; other is the transport it must not
    reach."""
    return [p + r"virtio@" + esc(f"{transport:x}: magic ok, version 1, device 4"),
            p + r"virtio@" + esc(f"{other:x}: abort"),
            p + esc(f"virtio-rng: interrupt {intid}, status 1, used 1, 16 bytes, ")
            + r"1[0-6] of them nonzero",
            p + r"virtio-rng: notify to handler \d+ ticks",
            p + esc("done")]


def two_vms_share_a_page(name, gic):
    a, b = esc("[probe] devprobe: "), esc("[other] devprobe: ")
    created = r"vireo: {}: 64 MiB RAM at IPA (0x[0-9a-f]+) \(PA \1\), VMID \d+, entry \1"
    return Case(
        name,
        ["--gic", str(gic), "--icount", "--stats"] + probe_vm("probe", [PL061])
        + probe_vm("other")
        + ["--rng", "probe", "--rng", "other"],
        expect_any=[esc("vireo: probe: device /virtio_mmio@a003e00 at IPA 0xa003e00 "
                        "(through Vireo), interrupt 79 as 79"),
                    esc("vireo: probe: device /pl061@9030000 at IPA 0x9030000, "
                        "interrupt 39 as 39"),
                    esc("vireo: other: device /virtio_mmio@a003c00 at IPA 0xa003c00 "
                        "(through Vireo), interrupt 78 as 78"),
                    created.format("probe"), created.format("other"),
                    a + esc("pl061@9030000: id 0x00041061"),
                    b + esc("pl061@9030000: abort")]
        + rng_lines(a, 0xa003e00, 79, 0xa003c00) + rng_lines(b, 0xa003c00, 78, 0xa003e00)
        + [esc("vireo: probe stopped: powered off (PSCI SYSTEM_OFF)"),
           esc("vireo: other stopped: powered off (PSCI SYSTEM_OFF)"),
           # Its 16 accesses to its transport (3 probes, 11 to set the
           # device up and notify it, 2 in the handler), none to the PL061,
           # which is mapped; its one interrupt.
           esc("vireo: stats: probe: mmio.virtio_mmio@a003e00 16"),
           esc("vireo: stats: other: mmio.virtio_mmio@a003c00 16"),
           esc("vireo: stats: probe: irqs.injected 1")],
        expect=[r"vireo: no VM left; powering off"],
        forbid=[r"unexpected exception", r"unexpected interrupt"] + ALWAYS_FORBID,
        checks=[ram_where_vireo_put_it("probe"), ram_where_vireo_put_it("other")],
        timeout=60)


def ram_where_vireo_put_it(vm):
    """A check: the guest finds its RAM at the IPA (= PA) Vireo reported."""
    def check(lines):
        made = [m.group(1) for line in lines
                if (m := re.fullmatch(r"vireo: %s: 64 MiB RAM at IPA (0x[0-9a-f]+) .*" % vm,
                                      line))]
        seen = [m.group(1) for line in lines
                if (m := re.fullmatch(r"\[%s\] devprobe: RAM at (0x[0-9a-f]+)" % vm, line))]
        return [] if made and made == seen else [f"{vm}: Vireo put RAM at {made}, the guest "
                                                 f"sees {seen}"]
    return check


def refused(name, args, message):
    return Case(name, args,
                expect=[r"vireo: configuration rejected: " + message, r"vireo: halting\.",
                        r"vireo run: Vireo refused the configuration: .*"],
                forbid=[r"\[\S+\] ", r"PANIC", r"MiB RAM at IPA"], status=3, timeout=30)


CASES = [
    two_vms_share_a_page("devices_two_vms_share_a_page_of_transports", 3),
    two_vms_share_a_page("devices_two_vms_share_a_page_of_transports_gicv2", 2),
    refused("devices_refused_given_twice", probe_vm("a", [T31]) + probe_vm("b", [T31]),
            esc("b: device /virtio_mmio@a003e00 at 0xa003e00 is a's device "
                "/virtio_mmio@a003e00 already")),
    refused("devices_refused_vireos_uart", probe_vm("a", ["/pl011@9000000"]),
            esc("a: device /pl011@9000000 at 0x9000000 is the console UART, which Vireo uses")),
    refused("devices_refused_dma_beside_ram_ipa",
            ["--config", os.path.join(TOP, "tests", "integration", "configs",
                                      "bad-devices-ram-ipa.dts")],
            esc('placed: a device of it does DMA, so its RAM must be at IPA = PA; drop '
                '"vireo,ram-ipa"')),
]
