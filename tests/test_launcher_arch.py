#!/usr/bin/python3
"""Tests of the launcher's handling of 32-bit guests (./vireo; issue 18):
a 32-bit Arm Linux zImage is a Linux kernel wherever the launcher asks
(its default memory, the --disk and --rng owner), and "arch=" in a --vm
SPEC, --arch for the --kernel VM and "vireo,arch" in a --config file
become the VM node's "vireo,arch", written only when given.

What is tested, without QEMU: which images count as Linux (an arm64 Image
with the EFI stub, a zImage by its magic 0x016f2818 at byte 0x24; not a
bare-metal image, not a file too short to have a header), the default
memory of each kind, the first Linux VM being a 32-bit one, the parsing
and refusal of arch values, and the property in the tree (dtc compiles
the result).

    python3 -m unittest tests/test_launcher_arch.py -v
"""
import contextlib
import io
import os
import tempfile
import textwrap
import unittest

from test_launcher_devices import compiles, fake_image
from test_launcher_gdb import vireo

MiB = 1 << 20


def fake_zimage(directory, name="zImage"):
    """The start of a 32-bit Arm zImage: its magic word at byte 0x24, then
    its start and end addresses, as Linux's head.S lays them out."""
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        f.write(bytes(0x24) + bytes.fromhex("18286f01") + bytes(8) + bytes(64))
    return path


class LinuxImages(unittest.TestCase):
    def setUp(self):
        self.dir = self.enterContext(tempfile.TemporaryDirectory())

    def test_which_images_are_linux(self):
        self.assertTrue(vireo.is_linux_image(fake_zimage(self.dir)))
        self.assertTrue(vireo.is_linux_image(fake_image(self.dir, "Image", True)))
        self.assertFalse(vireo.is_linux_image(fake_image(self.dir, "bare.bin", False)))
        self.assertFalse(vireo.is_linux_image(os.path.join(self.dir, "missing")))

    def test_magic_must_be_whole_and_in_place(self):
        for name, data in (("short", bytes(0x24) + bytes.fromhex("1828")),
                           ("big-endian", bytes(0x24) + bytes.fromhex("016f2818") + bytes(8)),
                           ("moved", bytes(0x20) + bytes.fromhex("18286f01") + bytes(12))):
            path = os.path.join(self.dir, name)
            with open(path, "wb") as f:
                f.write(data)
            self.assertFalse(vireo.is_linux_image(path), name)

    def test_devices_go_to_the_first_linux_vm_a_zimage(self):
        vms = [vireo.VM(fake_image(self.dir, "bare.bin", False), name="bare"),
               vireo.VM(fake_zimage(self.dir), name="linux32"),
               vireo.VM(fake_image(self.dir, "Image", True), name="linux64")]
        vireo.assign_devices([("rng", None)], vms)
        self.assertEqual([vm.devices for vm in vms], [[], ["/virtio_mmio@a003e00"], []])


class DefaultMemory(unittest.TestCase):
    def vms(self, argv):
        args = vireo.arg_parser().parse_args(["run"] + argv)
        return vireo.collect_vms(args)

    def test_a_zimage_alone_is_a_linux_vm(self):
        with tempfile.TemporaryDirectory() as tmp:
            zimage, bare = fake_zimage(tmp), fake_image(tmp, "bare.bin", False)
            vms = self.vms(["--kernel", zimage, "--vm", f"kernel={bare}",
                            "--vm", f"kernel={zimage},mem=32M"])
        self.assertEqual([vm.mem for vm in vms], [256 * MiB, 64 * MiB, 32 * MiB])


class Arch(unittest.TestCase):
    def test_vm_spec_arch(self):
        self.assertEqual(vireo.parse_vm_spec("kernel=x,arch=aarch32").arch, "aarch32")
        self.assertEqual(vireo.parse_vm_spec("kernel=x,arch=aarch64").arch, "aarch64")
        self.assertIsNone(vireo.parse_vm_spec("kernel=x").arch)
        for bad in ("arm", "AArch32", "", "aarch32 "):
            with self.assertRaisesRegex(vireo.Fail, "expected aarch32 or aarch64", msg=bad):
                vireo.parse_vm_spec(f"kernel=x,arch={bad}")
        with self.assertRaisesRegex(vireo.Fail, "arch= given twice"):
            vireo.parse_vm_spec("kernel=x,arch=aarch32,arch=aarch64")

    def test_kernel_vm_arch_option(self):
        with tempfile.TemporaryDirectory() as tmp:
            bare = fake_image(tmp, "bare.bin", False)
            args = vireo.arg_parser().parse_args(["run", "--kernel", bare, "--arch", "aarch32"])
            self.assertEqual(vireo.collect_vms(args)[0].arch, "aarch32")
            args = vireo.arg_parser().parse_args(["run", "--arch", "aarch32"])
            with self.assertRaisesRegex(vireo.Fail, "--arch: these describe the --kernel VM"):
                vireo.collect_vms(args)
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            vireo.arg_parser().parse_args(["run", "--kernel", "k", "--arch", "arm"])

    def test_tree_has_vireo_arch_only_when_given(self):
        vms = [vireo.VM("k", name="a", mem="64M"), vireo.VM("k", name="b", mem="64M",
                                                             arch="aarch32")]
        nodes = vireo.vm_nodes(vms)
        text = "\n".join(nodes)
        self.assertNotIn("vireo,arch", text.split("vm@1")[0])
        self.assertIn('vireo,arch = "aarch32";', text.split("vm@1")[1])
        compiles(self, nodes)

    def test_config_file_arch_is_carried(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake_zimage(tmp)
            path = os.path.join(tmp, "vms.dts")
            with open(path, "w") as f:
                f.write(textwrap.dedent("""\
                    /dts-v1/;
                    / { chosen { vm@0 {
                        compatible = "vireo,vm";
                        #address-cells = <2>;
                        #size-cells = <2>;
                        vireo,name = "linux32";
                        vireo,arch = "aarch32";
                        module@0 {
                            compatible = "multiboot,kernel", "multiboot,module";
                            vireo,file = "zImage";
                        };
                    }; }; };
                    """))
            vms, _ = vireo.read_config(path)
        vms[0].mem = 64 * MiB
        nodes = vireo.vm_nodes(vms)
        self.assertEqual(sum('vireo,arch = "aarch32";' in line for line in nodes), 1)
        compiles(self, nodes)


if __name__ == "__main__":
    unittest.main()
