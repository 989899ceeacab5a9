#!/usr/bin/python3
"""Tests of the launcher's device options (./vireo, the "devices" section):
--disk [NAME=]FILE, --rng [NAME] and --vm ...,devices=PATH;PATH, which give
a VM host devices by their paths in the machine's device tree (Vireo's
"vireo,devices", docs/config.md).

What is tested, without QEMU: which transport QEMU puts the Nth virtio
device on (the highest first), that a device goes to the VM named or
else to the first VM whose kernel is an arm64 Image, the QEMU arguments
in the options' order, the refusals (a VM nobody is called, no Linux VM,
a missing image, more devices than transports, a board without them),
the "vireo,devices" property written for Vireo, and a configuration
file's devices carried through to it (dtc compiles the result).

    python3 -m unittest tests/test_launcher_devices.py -v
"""
import os
import subprocess
import tempfile
import textwrap
import unittest

from test_launcher_gdb import vireo


def fake_image(directory, name, linux):
    """A kernel file: Linux's arm64 Image header, or a bare-metal guest's."""
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        # Both kinds follow the boot protocol (ARMd); Linux's EFI stub
        # also puts MZ first.
        f.write((b"MZ" if linux else b"\0\0") + bytes(54) + b"ARMd" + bytes(64))
    return path


class Transports(unittest.TestCase):
    def test_first_device_is_on_the_highest_transport(self):
        self.assertEqual(vireo.virtio_mmio_path(0), "/virtio_mmio@a003e00")
        self.assertEqual(vireo.virtio_mmio_path(1), "/virtio_mmio@a003c00")
        self.assertEqual(vireo.virtio_mmio_path(31), "/virtio_mmio@a000000")


class DiskSpec(unittest.TestCase):
    def test_forms(self):
        self.assertEqual(vireo.parse_disk_spec("disk.img"), (None, "disk.img"))
        self.assertEqual(vireo.parse_disk_spec("linux=disk.img"), ("linux", "disk.img"))
        self.assertEqual(vireo.parse_disk_spec("a=b=c.img"), ("a", "b=c.img"))
        # Before the "=", what cannot be a VM's name is part of the file's.
        self.assertEqual(vireo.parse_disk_spec("./a=b.img"), (None, "./a=b.img"))
        self.assertEqual(vireo.parse_disk_spec("/tmp/x=y"), (None, "/tmp/x=y"))


class Assign(unittest.TestCase):
    def setUp(self):
        self.dir = self.enterContext(tempfile.TemporaryDirectory())
        self.disk = os.path.join(self.dir, "disk.img")
        with open(self.disk, "wb") as f:
            f.write(bytes(4096))
        bare, linux = fake_image(self.dir, "bare.bin", False), fake_image(self.dir, "Image", True)
        self.vms = [vireo.VM(bare, name="bare"), vireo.VM(linux, name="linux"),
                    vireo.VM(linux, name="other", devices="/pl061@9030000")]

    def test_unnamed_devices_go_to_the_first_linux_vm_in_order(self):
        qemu = vireo.assign_devices([("disk", self.disk), ("rng", None), ("rng", "bare")],
                                    self.vms)
        self.assertEqual([vm.devices for vm in self.vms],
                         [["/virtio_mmio@a003a00"],
                          ["/virtio_mmio@a003e00", "/virtio_mmio@a003c00"],
                          ["/pl061@9030000"]])
        self.assertEqual(qemu, ["-drive", f"file={self.disk},if=none,format=raw,id=vireo-disk0",
                                "-device", "virtio-blk-device,drive=vireo-disk0",
                                "-device", "virtio-rng-device", "-device", "virtio-rng-device"])

    def test_named_disk_and_a_comma_in_its_path(self):
        comma = os.path.join(self.dir, "a,b.img")
        os.rename(self.disk, comma)
        qemu = vireo.assign_devices([("rng", None), ("disk", f"other={comma}")], self.vms)
        self.assertEqual(self.vms[2].devices, ["/pl061@9030000", "/virtio_mmio@a003c00"])
        self.assertIn(f"file={comma.replace(',', ',,')},if=none,format=raw,id=vireo-disk1", qemu)

    def test_32_devices_fit_and_33_are_refused(self):
        self.assertEqual(len(vireo.assign_devices([("rng", None)] * 32, self.vms)), 64)
        self.assertEqual(self.vms[1].devices[-1], "/virtio_mmio@a000000")
        with self.assertRaisesRegex(vireo.Fail, "33 devices, but QEMU's virt has 32 virtio-mmio"):
            vireo.assign_devices([("rng", None)] * 33, self.vms)

    def test_refusals(self):
        for specs, vms, why in (
                ([("disk", f"nobody={self.disk}")], self.vms,
                 r"--disk nobody=.*: no VM is named 'nobody' \(the VMs: bare, linux, other\)"),
                ([("rng", "x")], self.vms, "--rng x: no VM is named 'x'"),
                ([("disk", os.path.join(self.dir, "none.img"))], self.vms,
                 "--disk .*none.img: no such file: .*none.img"),
                ([("rng", None)], self.vms[:1],
                 "--rng: no VM's kernel is a Linux image .* name the VM it is for")):
            with self.assertRaisesRegex(vireo.Fail, why, msg=specs):
                vireo.assign_devices(specs, vms)

    def test_only_on_virt(self):
        args = vireo.arg_parser().parse_args(["run", "--board", "raspi3b", "--rng"])
        with self.assertRaisesRegex(vireo.Fail, "--disk and --rng: only for --board virt"):
            vireo.check_board(args)


class Options(unittest.TestCase):
    def test_disk_and_rng_keep_their_order(self):
        args = vireo.arg_parser().parse_args(
            ["run", "--rng", "--disk", "a.img", "--rng", "b", "--disk", "c=d.img"])
        self.assertEqual(args.devices, [("rng", None), ("disk", "a.img"), ("rng", "b"),
                                        ("disk", "c=d.img")])

    def test_vm_spec_devices(self):
        vm = vireo.parse_vm_spec("kernel=x,devices=/virtio_mmio@a003e00;/pl061@9030000")
        self.assertEqual(vm.devices, ["/virtio_mmio@a003e00", "/pl061@9030000"])
        self.assertEqual(vireo.parse_vm_spec("kernel=x").devices, [])


def compiles(test, nodes):
    """The vm nodes in a /chosen of their own, through dtc."""
    dts = "/dts-v1/;\n/ {\n\tchosen {\n" + "\n".join(nodes) + "\n\t};\n};\n"
    proc = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", os.devnull, "-"],
                          input=dts, capture_output=True, text=True)
    test.assertEqual(proc.returncode, 0, proc.stderr + dts)


class DeviceTree(unittest.TestCase):
    def test_vireo_devices_is_a_string_list_only_where_there_are_devices(self):
        vms = [vireo.VM("k", name="a", mem="64M"),
               vireo.VM("k", name="b", mem="64M", devices="/virtio_mmio@a003e00;/x@1")]
        nodes = vireo.vm_nodes(vms)
        text = "\n".join(nodes)
        self.assertNotIn("vireo,devices", text.split("vm@1")[0])
        self.assertIn('vireo,devices = "/virtio_mmio@a003e00", "/x@1";', text.split("vm@1")[1])
        compiles(self, nodes)

    def test_config_file_devices_are_carried_and_added_to(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake_image(tmp, "Image", True)
            path = os.path.join(tmp, "vms.dts")
            with open(path, "w") as f:
                f.write(textwrap.dedent("""\
                    /dts-v1/;
                    / { chosen { vm@0 {
                        compatible = "vireo,vm";
                        #address-cells = <2>;
                        #size-cells = <2>;
                        vireo,name = "linux";
                        vireo,devices = "/pl061@9030000";
                        module@0 {
                            compatible = "multiboot,kernel", "multiboot,module";
                            vireo,file = "Image";
                        };
                        device@9040000 {
                            compatible = "vireo,device";
                            reg = <0x0 0x9040000 0x0 0x1000>;
                            interrupts = <0 8 4>;
                            dma-coherent;
                        };
                    }; }; };
                    """))
            vms, _ = vireo.read_config(path)
            self.assertEqual(vms[0].devices, ["/pl061@9030000"])
            vireo.assign_devices([("rng", None)], vms)
        vms[0].mem = 64 << 20
        nodes = vireo.vm_nodes(vms)
        text = "\n".join(nodes)
        self.assertIn('vireo,devices = "/pl061@9030000", "/virtio_mmio@a003e00";', text)
        device = text[text.index("device@9040000 {"):]
        for line in ('compatible = "vireo,device";', "reg = <0x0 0x9040000 0x0 0x1000>;",
                     "interrupts = <0x0 0x8 0x4>;", "dma-coherent;"):
            self.assertIn(line, device)
        compiles(self, nodes)


if __name__ == "__main__":
    unittest.main()
