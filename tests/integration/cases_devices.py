"""The integration scenarios of device assignment (issue 16; the launcher's
--disk and --rng, Vireo's "vireo,devices", docs/config.md): a Linux VM
owns real QEMU virtio-mmio devices and Debian's stock drivers run them.
The same Case as cases.py.

  - a disk: an ext4 image made at test time (mkfs.ext4 -d, 16 MiB, with
    /vireo/hello) given with --disk. The first boot mounts it, writes
    /vireo/data (1 MiB of a fixed pattern, DATA_MD5), syncs, unmounts and
    powers off; a second boot of the same image finds the file with the
    same md5sum (the case's check boots it), and so does debugfs on the
    host, reading the image itself. The disk is QEMU's first virtio
    device, so it is on the highest transport, /virtio_mmio@a003e00.
    Vireo says where the device and its interrupt are, and the VM's RAM
    is at IPA = PA (the disk does DMA). Beside it in the first boot,
    guests/devprobe in a VM of its own, without devices: its reads of the
    disk's transport, the one below and the PL061 abort.
  - an entropy source: a virtio-rng device (--rng) beside a disk, so on
    the transport below, a003c00, with the interrupt below: the kernel's
    hw_random core lists virtio_rng.0, it is made the current one, and
    two reads of /dev/hwrng give 32 bytes each, not the same.
  - guests/devprobe owning a virtio-rng device (--rng NAME): the
    transport answers, the one beside it in the same page does not, and
    the guest's own driver gets 16 bytes by DMA and the interrupt, its
    RAM at IPA = PA; owning the PL061 (devices=): its ID registers read,
    the transports abort, RAM where it always is (no DMA, no direct map).
  - a device given to two VMs: Vireo refuses the configuration, by name.

Each has a native twin (NATIVE_CASES: the same kernel, initramfs, image
and -drive/-device on QEMU without Vireo), which tells a broken guest
image from a broken Vireo; tests/run.py --native runs them.
"""
import hashlib
import os
import re
import subprocess

from cases import (ALWAYS_FORBID, GUESTS, LINUX_TIMEOUT, SLOWDOWN, TMP, TOP, Case, esc,
                   linux, native_command, need_linux)

# disk.sh's /vireo/data: 16384 lines of 64 bytes, the line number in 8
# digits and 7 times it in 54.
DATA_MD5 = hashlib.md5(b"".join(b"%08d %054d\n" % (i, 7 * i) for i in range(16384))).hexdigest()
HELLO = "made by mkfs.ext4 -d"
DISK_MIB = 16
DEVPROBE = os.path.join(GUESTS, "devprobe.bin")
PROBE = esc("[probe] devprobe: ")
OFF = "stopped: powered off (PSCI SYSTEM_OFF)"
# Vireo's account of a VM's RAM when the two addresses are the same.
DIRECT_MAPPED = r"\d+ MiB RAM at IPA (0x[0-9a-f]+) \(PA \1\), VMID \d+, entry 0x[0-9a-f]+"


def transport(addr, intid):
    """Vireo's words for an assigned virtio-mmio transport at addr, whose
    interrupt keeps its INTID in the VM."""
    return (esc(f"device /virtio_mmio@{addr:x} at IPA {addr:#x} (through Vireo), ")
            + esc(f"interrupt {intid} as {intid}"))


def probe_vm(extra=""):
    return ["--vm", f"name=probe,kernel={DEVPROBE}{extra}"]


def probe_sees_nothing():
    """devprobe's lines in a VM without devices, beside another VM."""
    return [PROBE + esc("RAM at 0x40000000"), PROBE + esc("pl061@9030000: abort"),
            PROBE + esc("virtio@a003e00: abort"), PROBE + esc("virtio@a003c00: abort"),
            PROBE + esc("done"), esc(f"vireo: probe {OFF}")]


def make_disk(name):
    """A fresh ext4 image in build/test-tmp/NAME.img with /vireo/hello in it."""
    need_linux()
    os.makedirs(TMP, exist_ok=True)
    image, root = os.path.join(TMP, f"{name}.img"), os.path.join(TMP, f"{name}.root")
    os.makedirs(os.path.join(root, "vireo"), exist_ok=True)
    with open(os.path.join(root, "vireo", "hello"), "w") as f:
        f.write(HELLO + "\n")
    if os.path.exists(image):
        os.remove(image)
    subprocess.run(["mkfs.ext4", "-q", "-F", "-L", "vireo", "-d", root, image, f"{DISK_MIB}M"],
                   check=True, capture_output=True)
    return image


def disk_lines(prefix, transport, first):
    """What disk.sh prints, in order, on the first boot of an image or a later one."""
    p = esc(prefix + "vireo-test: disk: ")
    return [p + r"/dev/vda is virtio\d+ at " + esc(f"{transport}.virtio_mmio, "
                                                  f"{DISK_MIB * 2048} sectors"),
            p + esc(f"mounted ext4; hello={HELLO}"),
            p + esc(("wrote" if first else "found") + f" /vireo/data md5={DATA_MD5}"),
            p + esc("unmounted"),
            esc(prefix + "vireo-init: test disk ended with status 0; powering off")]


def image_holds_data(image):
    """A check: the file the guest wrote, read from the image on the host."""
    def check(lines):
        proc = subprocess.run(["debugfs", "-R", "cat /vireo/data", image], capture_output=True)
        got = hashlib.md5(proc.stdout).hexdigest()
        return [] if got == DATA_MD5 else [f"debugfs reads /vireo/data of {image} as md5 {got}, "
                                           f"not {DATA_MD5}: {proc.stderr.decode().strip()}"]
    return check


def boot_again(command, expect, forbid):
    """A check: once the case's boot has ended, the same command boots
    again (the same disk image), and its output must show expect in
    order, nothing of forbid, and exit status 0."""
    def check(lines):
        try:
            proc = subprocess.run(command(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, cwd=TOP,
                                  timeout=LINUX_TIMEOUT * SLOWDOWN + 30)
        except subprocess.TimeoutExpired as e:
            return [f"the second boot did not end within {e.timeout:g} s"]
        again = proc.stdout.decode(errors="replace").replace("\r", "").splitlines()
        problems = Case("again", [], expect=expect, forbid=forbid).check(again, proc.returncode)
        return [f"second boot: {p}" for p in problems] + (
            ["--- the second boot's output ---"] + again[-40:] if problems else [])
    return check


def vireo_run(args):
    return [os.path.join(TOP, "vireo"), "run", "--timeout", f"{LINUX_TIMEOUT * SLOWDOWN:g}"] + args


def qemu_disk(image):
    """QEMU's arguments for a virtio disk on image, as --disk gives them."""
    return ["-drive", f"file={image},if=none,format=raw,id=disk",
            "-device", "virtio-blk-device,drive=disk"]


def disk_case(native):
    """The disk written by one boot and read by the next, under Vireo or
    native; under Vireo devprobe runs beside the first."""
    name = "linux_native_disk" if native else "linux_disk_survives_a_second_boot"
    image = os.path.join(TMP, f"{name}.img")
    forbid = [r"Kernel panic", r"Internal error", r"EXT4-fs error"]
    if native:
        prefix, before, off, beside = "", [], [], []
        args = again = lambda: native_command("disk") + qemu_disk(image)
    else:
        prefix, off = "[linux] ", [esc(f"vireo: linux {OFF}")]
        before = [esc("vireo: linux: ") + transport(0xa003e00, 79),
                  esc("vireo: linux: ") + DIRECT_MAPPED]
        forbid += ALWAYS_FORBID
        beside = probe_sees_nothing()
        args = lambda: linux("disk") + ["--disk", image] + probe_vm()
        again = lambda: vireo_run(linux("disk") + ["--disk", image])
    return Case(name, args, native=native, setup=lambda: make_disk(name),
                expect=before + disk_lines(prefix, "a003e00", first=True) + off,
                expect_any=beside, forbid=forbid,
                checks=[boot_again(again, before + disk_lines(prefix, "a003e00", first=False)
                                   + off, forbid),
                        image_holds_data(image)],
                timeout=LINUX_TIMEOUT)


def rng_lines(prefix):
    p = esc(prefix + "vireo-test: rng: ")
    return [p + esc("available=virtio_rng.0") + " ?",
            p + esc("current=virtio_rng.0, virtio device ") + r"virtio\d+"
            + esc(" at a003c00.virtio_mmio"),
            p + esc("read 64 bytes, two reads differ"),
            esc(prefix + "vireo-init: test rng ended with status 0; powering off")]


def rng_case(native):
    """virtio-rng on the second transport (a disk is on the first)."""
    name = "linux_native_rng" if native else "linux_virtio_rng_is_the_hwrng"
    image = os.path.join(TMP, f"{name}.img")
    common = dict(native=native, setup=lambda: make_disk(name), timeout=LINUX_TIMEOUT)
    if native:
        return Case(name, lambda: native_command("rng") + qemu_disk(image)
                    + ["-device", "virtio-rng-device"],
                    expect=rng_lines(""), forbid=[r"Kernel panic", r"Internal error"], **common)
    return Case(name, lambda: linux("rng") + ["--disk", image, "--rng"],
                expect=rng_lines("[linux] ")
                + [esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")],
                forbid=[r"Kernel panic", r"Internal error"] + ALWAYS_FORBID, **common)


def probe_rng(native):
    """devprobe driving a virtio-rng device on the highest transport."""
    probe = esc("devprobe: ") if native else PROBE
    vireo = esc("vireo: probe: ")
    seen = ([] if native else [vireo + transport(0xa003e00, 79), vireo + DIRECT_MAPPED]) + [
        probe + r"RAM at 0x[0-9a-f]+",
        probe + esc("pl061@9030000: " + ("id 0x00041061" if native else "abort"))]
    return seen + [
        probe + esc("virtio@a003e00: magic ok, version 1, device 4"),
        probe + esc("virtio@a003c00: " + ("magic ok, version 1, device 0" if native else "abort")),
        probe + esc("virtio-rng: interrupt 79, status 1, used 1, 16 bytes, ") + r"1[0-6] of them "
        "nonzero",
        probe + r"virtio-rng: notify to handler \d+ ticks",
        probe + esc("done")] + ([] if native else [esc(f"vireo: probe {OFF}")])


def ram_is_direct_mapped(lines):
    """A check: the RAM devprobe reports is where Vireo put it (PA)."""
    for line in lines:
        if m := re.match(r"vireo: probe: \d+ MiB RAM at IPA \S+ \(PA (0x[0-9a-f]+)\)", line):
            want = esc(f"[probe] devprobe: RAM at {m.group(1)}")
            return [] if any(re.fullmatch(want, line) for line in lines) else [
                f"devprobe does not report its RAM at {m.group(1)}"]
    return ["no RAM line of Vireo's for probe"]


LINUX_CASES = [disk_case(native=False), rng_case(native=False)]
CASES = [
    Case("devprobe_owns_virtio_rng", probe_vm() + ["--rng", "probe"], expect=probe_rng(False),
         forbid=ALWAYS_FORBID, checks=[ram_is_direct_mapped], timeout=60),
    Case("devprobe_owns_pl061", probe_vm(",devices=/pl061@9030000"),
         expect=[esc("vireo: probe: device /pl061@9030000 at IPA 0x9030000, interrupt 39 as 39"),
                 esc("vireo: probe: 64 MiB RAM at IPA 0x40000000 (PA ") + r"0x[0-9a-f]+\), .*",
                 PROBE + esc("RAM at 0x40000000"), PROBE + esc("pl061@9030000: id 0x00041061"),
                 PROBE + esc("virtio@a003e00: abort"), PROBE + esc("virtio@a003c00: abort"),
                 PROBE + esc("done"), esc(f"vireo: probe {OFF}")],
         forbid=ALWAYS_FORBID, timeout=60),
    Case("device_given_to_two_vms_is_refused",
         probe_vm() + ["--vm", f"name=other,kernel={GUESTS}/hello.bin,"
                               "devices=/virtio_mmio@a003e00", "--rng", "probe"],
         expect=[esc("vireo: configuration rejected: other: device /virtio_mmio@a003e00 at "
                     "0xa003e00 is probe's device /virtio_mmio@a003e00 already"),
                 r"vireo run: Vireo refused the configuration: .*"],
         forbid=[r"\[\S+\] ", r"PANIC"], status=3, timeout=30),
]
NATIVE_CASES = [disk_case(native=True), rng_case(native=True),
                Case("devprobe_native_virtio_rng",
                     lambda: ["qemu-system-aarch64", "-M", "virt,gic-version=3", "-cpu",
                              "cortex-a72", "-m", "1G", "-nographic", "-kernel", DEVPROBE,
                              "-device", "virtio-rng-device"],
                     native=True, expect=probe_rng(True), timeout=60)]
