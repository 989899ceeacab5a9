"""The integration scenarios of the launcher's half of the GDB transport
(./vireo --gdb, docs/debugging.md): what it refuses, and that the console
still works when it owns QEMU's stdin. Vireo's GDB stub itself is not
needed by any of them. The same Case as cases.py.

Refused before QEMU starts (exit status 3, a line naming the problem, no
boot banner): a VM name no VM has, two VMs on one port (a given port
against another VM's default one, 1234 + its index), a port out of range,
--print-cmd (nobody would carry gdb's connection), and a port something
else already listens on.

At run time, with --gdb VM,nowait on a free port: the launcher says where
gdb connects, and what is typed still reaches Vireo and the VM through
the stdin the launcher now owns: Ctrl-] l (a console command: the escape
and its key together) lists the VMs, and a byte starts the hostile guest,
which waits for one. And cases_console.py's Linux paste scenario again,
through that stdin: bursts of 4 KiB and 16 KiB (held back by Vireo until
the guest reads: the launcher's writes wait, nothing is lost), Ctrl-]
pairs reaching the guest as typed, and a long command line.

And without any --gdb, a gdb frame typed at the console (as a user could
type Ctrl-] g by mistake) breaks nothing: a focus command after it works,
and the next byte reaches the VM that has the focus.
"""
import socket

import cases_console
from cases import ALWAYS_FORBID, GUESTS, LINUX_TIMEOUT, Case, esc

BANNER = [r"Vireo hypervisor"]
HELLO = f"{GUESTS}/hello.bin"
HOSTILE = f"{GUESTS}/hostile.bin"
TWO_VMS = ["--vm", f"name=a,kernel={HELLO}", "--vm", f"name=b,kernel={HELLO}"]

# Sockets a case's setup keeps listening for the whole run.
HELD = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use():
    """A port this process listens on: the launcher cannot have it."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    HELD.append(s)
    return f"a:{s.getsockname()[1]}"


def refused(name, args, message):
    return Case(name, args, expect=[message], forbid=BANNER + ALWAYS_FORBID, status=3,
                timeout=30)


PASTE = next(c for c in cases_console.CASES if c.name == "console_paste_linux")

LINUX_CASES = [
    Case("gdb_launcher_console_paste_linux",
         lambda: PASTE.args + ["--gdb", f"linux:{free_port()},nowait"],
         inputs=PASTE.inputs,
         expect=[r"vireo run: gdb for VM linux: target remote :\d+"] + PASTE.expect,
         forbid=PASTE.forbid, timeout=LINUX_TIMEOUT, setup=PASTE.setup),
]

CASES = [
    Case("gdb_launcher_console_paste_linux", lambda: PASTE.args + ["--gdb", f"linux:{free_port()},nowait"],
         inputs=PASTE.inputs, expect=[r"vireo run: gdb for VM linux: target remote :\d+"]
         + PASTE.expect, forbid=PASTE.forbid, timeout=PASTE.timeout / cases_console.SLOWDOWN
         if False else 0, setup=PASTE.setup),
]

CASES = [
    refused("gdb_launcher_unknown_vm_refused", TWO_VMS + ["--gdb", "c"],
            esc("vireo run: --gdb 'c': no VM is named 'c' (the VMs: a, b)")),
    refused("gdb_launcher_duplicate_port_refused", TWO_VMS + ["--gdb", "a:1235", "--gdb", "b"],
            esc("vireo run: --gdb: VMs a and b cannot both have port 1235")),
    refused("gdb_launcher_port_out_of_range_refused", TWO_VMS + ["--gdb", "b:65536,nowait"],
            esc("vireo run: --gdb 'b:65536,nowait': the port must be a number from 1 to 65535")),
    refused("gdb_launcher_print_cmd_refused", TWO_VMS + ["--gdb", "a", "--print-cmd"],
            esc("vireo run: --print-cmd: no gdb there (--gdb, or vireo,gdb in a --config "
                "file): gdb reaches Vireo only through a running ./vireo run")),
    Case("gdb_launcher_port_in_use_refused", TWO_VMS + ["--gdb", "@"],
         expect=[r"vireo run: --gdb a: cannot listen on 127\.0\.0\.1:\d+: "
                 r"Address already in use"],
         forbid=BANNER + ALWAYS_FORBID, status=3, timeout=30, setup=port_in_use),
    Case("gdb_launcher_console_works_beside_gdb",
         ["--vm", f"name=hostile,kernel={HOSTILE}", "--gdb", "@"],
         setup=lambda: f"hostile:{free_port()},nowait",
         inputs=[(r"\[hostile\] hostile: waiting for a byte", "\x1dl"),
                 (r"vireo: \* 0 hostile: ", "x")],
         expect=[r"vireo run: gdb for VM hostile: target remote :\d+",
                 esc("[hostile] hostile: waiting for a byte on the console"),
                 r"vireo: \* 0 hostile: .*",
                 esc("[hostile] hostile: start (signalled)")],
         forbid=ALWAYS_FORBID, until=esc("[hostile] hostile: start (signalled)"), timeout=60),
    Case("gdb_launcher_typed_frame_without_gdb_is_harmless",
         ["--vm", f"name=first,kernel={HOSTILE}", "--vm", f"name=second,kernel={HOSTILE}"],
         inputs=[(r"\[second\] hostile: waiting for a byte",
                  "\x1dg0$qSupported#37\n\x1d1"),
                 (esc("vireo: console focus: second "), "x")],
         expect=[esc("vireo: console focus: second (Ctrl-] l lists the VMs)"),
                 esc("[second] hostile: start (signalled)")],
         forbid=ALWAYS_FORBID, until=esc("[second] hostile: start (signalled)"), timeout=60),
]
