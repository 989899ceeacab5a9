#!/usr/bin/python3
"""Self-test of tests/check_layers.py.

Each test writes a small hv/ tree into a temporary folder: a clean one that
follows every layer rule, plus, in most tests, one file that breaks a rule
on purpose. It then runs the checker on that tree as make test would, in a
subprocess, and asserts on its exit status and on the rule it names.

    python3 -m unittest tests/test_check_layers.py -v
"""
import os
import subprocess
import sys
import tempfile
import unittest

CHECKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check_layers.py")

# A tree that keeps every rule: core and vdev use each other one way, the
# arch-common folder and the EL2 mode folder; drivers and boards use the
# core; EL2 registers appear in core only inside comments and strings.
CLEAN = {
    "core/types.h": "/* Nothing here reads ESR_EL2. */\ntypedef unsigned long u64;\n",
    "core/vm.h": '#include "core/types.h"\n#include "arch/aarch64/sysreg.h"\n',
    "core/vm.c": '#include <string.h>\n#include "core/vm.h"\n'
                 'const char *why = "hcr_el2 is the arch layer\'s"; // so is vttbr_el2\n',
    "vdev/vgic.c": '#include "core/vm.h"\n#include "arch/aarch64/sysreg.h"\n',
    "arch/aarch64/sysreg.h": "#define read_sysreg(r) 0\n",
    "arch/aarch64/el2/stage2.c": '#include "core/vm.h"\n#include "asm-offsets.h"\n'
                                 "u64 f(void) { return read_sysreg(vttbr_el2); }\n",
    "drivers/irqchip/gic.h": '#include "core/types.h"\n',
    "drivers/irqchip/gic.c": '#include "gic.h"\n#include "arch/aarch64/sysreg.h"\n',
    "board/qemu-virt/board.h": "",
    "board/qemu-virt/board.c": '#include "board.h"\n#include "drivers/irqchip/gic.h"\n',
}


class CheckLayersTest(unittest.TestCase):
    def check(self, extra):
        """Runs the checker on CLEAN plus extra; returns (status, output)."""
        with tempfile.TemporaryDirectory() as tmp:
            for name, text in {**CLEAN, **extra}.items():
                path = os.path.join(tmp, "hv", name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write(text)
            proc = subprocess.run([sys.executable, CHECKER, "--root", os.path.join(tmp, "hv")],
                                  capture_output=True, text=True)
        return proc.returncode, proc.stdout + proc.stderr

    def assertBroken(self, extra, where, rule):
        status, out = self.check(extra)
        self.assertEqual(status, 1, out)
        self.assertIn(f"{where}: rule {rule}:", out)

    def test_clean_tree_passes(self):
        status, out = self.check({})
        self.assertEqual(status, 0, out)
        self.assertRegex(out, r"^layers: 10 files, \d+ include edges, no violations\n$")

    def test_core_including_a_mode_header_fails(self):
        self.assertBroken({"core/bad.c": '#include "arch/aarch64/el2/x.h"\n'},
                          "hv/core/bad.c:1", 1)

    def test_core_including_a_generated_el2_header_fails(self):
        self.assertBroken({"core/bad.S": '// offsets\n#include "asm-offsets.h"\n'},
                          "hv/core/bad.S:2", 1)

    def test_vdev_including_a_driver_fails(self):
        self.assertBroken({"vdev/bad.c": '#include "drivers/uart/pl011.h"\n'},
                          "hv/vdev/bad.c:1", 1)

    def test_core_naming_an_el2_register_fails(self):
        self.assertBroken({"core/bad.c": '#include "core/vm.h"\n'
                                         "u64 hcr(void) { return read_sysreg(hcr_el2); }\n"},
                          "hv/core/bad.c:2", 2)

    def test_el2_register_in_a_comment_or_string_passes(self):
        status, out = self.check({"core/ok.c": "/* read_sysreg(hcr_el2)\n   ESR_EL2 */\n"
                                               '// read_sysreg(hcr_el2)\n'
                                               'const char *s = "read_sysreg(hcr_el2)";\n'})
        self.assertEqual(status, 0, out)

    def test_driver_including_a_board_fails(self):
        self.assertBroken({"drivers/irqchip/bad.c": '#include "board/qemu-virt/board.h"\n'},
                          "hv/drivers/irqchip/bad.c:1", 3)

    def test_file_circle_between_core_and_vdev_fails(self):
        # core -> vdev and vdev -> core are each allowed by rules 1-3; only
        # a circle of files through both breaks a rule.
        status, out = self.check({"core/a.h": '#include "core/types.h"\n#include "vdev/b.h"\n',
                                  "vdev/b.h": '#include "core/a.h"\n'})
        self.assertEqual(status, 1, out)
        self.assertIn("hv/core/a.h:2: rule 4: include circle across folders:"
                      " hv/core/a.h -> hv/vdev/b.h -> hv/core/a.h"
                      ' (hv/core/a.h:2 includes "vdev/b.h"; hv/vdev/b.h:1 includes "core/a.h")',
                      out)
        self.assertEqual(out.count("rule 4:"), 1, out)
        self.assertNotRegex(out, r"rule [123]:")

    def test_longer_file_circle_is_one_violation(self):
        # Four files in three folders, with two ways round: one component,
        # so one violation, shown by its shortest circle, which starts at
        # the component's first file (in path order) that includes across
        # folders.
        status, out = self.check({"core/a.h": '#include "vdev/b.h"\n',
                                  "vdev/b.h": '#include "arch/aarch64/c.h"\n#include "vdev/d.h"\n',
                                  "vdev/d.h": '#include "arch/aarch64/c.h"\n',
                                  "arch/aarch64/c.h": '#include "core/a.h"\n'})
        self.assertEqual(status, 1, out)
        self.assertEqual(out.count("rule 4:"), 1, out)
        self.assertIn("hv/arch/aarch64/c.h:1: rule 4: include circle across folders:"
                      " hv/arch/aarch64/c.h -> hv/core/a.h -> hv/vdev/b.h -> hv/arch/aarch64/c.h"
                      ' (hv/arch/aarch64/c.h:1 includes "core/a.h"; hv/core/a.h:1 includes'
                      ' "vdev/b.h"; hv/vdev/b.h:1 includes "arch/aarch64/c.h")', out)
        self.assertRegex(out, r"layers: 14 files, \d+ include edges, 1 violations\n$")

    def test_folders_including_each_other_without_a_file_circle_pass(self):
        # core -> vdev through x.h and vdev -> core through z.c, but no
        # file leads back to itself.
        status, out = self.check({"core/x.h": '#include "vdev/y.h"\n',
                                  "vdev/y.h": "",
                                  "vdev/z.c": '#include "core/w.h"\n',
                                  "core/w.h": '#include "core/types.h"\n'})
        self.assertEqual(status, 0, out)

    def test_file_circle_inside_one_folder_passes(self):
        status, out = self.check({"core/a.h": '#include "b.h"\n',
                                  "core/b.h": '#include "a.h"\n',
                                  "core/self.h": '#include "self.h"\n'})
        self.assertEqual(status, 0, out)

    def test_generated_header_is_a_leaf_of_its_own(self):
        # asm-offsets.h is generated, not a header of arch/aarch64/el2:
        # including it from arch-common code joins no circle with el2.
        status, out = self.check({"arch/aarch64/regs.S": '#include "asm-offsets.h"\n',
                                  "arch/aarch64/el2/entry.S": '#include "arch/aarch64/sysreg.h"\n'
                                                              '#include "asm-offsets.h"\n'})
        self.assertEqual(status, 0, out)

    def test_file_circle_through_a_relative_include_fails(self):
        status, out = self.check({"drivers/irqchip/gic.h": '#include "../../core/vm.h"\n',
                                  "core/vm.h": '#include "drivers/irqchip/gic.h"\n'})
        self.assertEqual(status, 1, out)
        self.assertIn("rule 4: include circle across folders: hv/core/vm.h"
                      " -> hv/drivers/irqchip/gic.h -> hv/core/vm.h", out)

if __name__ == "__main__":
    unittest.main()
