#!/usr/bin/python3
"""Tests of the launcher's half of the GDB transport (./vireo, the "gdb"
section; the contract is docs/debugging.md's "Debugging a VM with gdb").

The framing functions are pure and tested alone: frames cut from QEMU's
output however the reads split them, '\\r' dropped, what gdb may send
filtered, payloads cut into frames of at most 512 bytes, and a typed
Ctrl-] held back until its key. --gdb's parsing and refusals follow. Then
GdbBridge with real sockets and a pipe for QEMU's stdin, and last boot()
itself end to end, with a fake QEMU (a Python script playing Vireo's side
of the contract) and a pseudo-terminal for stdin: the terminal is raw
during the run and restored after it, also when the run is interrupted.

    python3 -m unittest tests/test_launcher_gdb.py -v
"""
import argparse
import contextlib
import importlib.machinery
import importlib.util
import io
import os
import pty
import select
import signal
import socket
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(TOP, "vireo")


def load_launcher():
    """./vireo as a module (it has no .py, and runs only as __main__)."""
    loader = importlib.machinery.SourceFileLoader("vireo_launcher", LAUNCHER)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


vireo = load_launcher()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_until(fd, wanted, seconds=10):
    """Reads fd until wanted has come; returns everything read."""
    got, deadline = b"", time.monotonic() + seconds
    while wanted not in got:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError(f"waited for {wanted!r}, got {got!r}")
        data = os.read(fd, 4096)
        if not data:
            raise AssertionError(f"end of stream waiting for {wanted!r}, got {got!r}")
        got += data
    return got


class TakeFrames(unittest.TestCase):
    def feed(self, pieces):
        """take_frames over pieces read one after the other: (text, frames, left)."""
        text, frames, pending = b"", [], b""
        for piece in pieces:
            t, f, pending = vireo.take_frames(pending, piece)
            text += t
            frames += f
        return text, frames, pending

    def test_output_without_frames_is_unchanged(self):
        self.assertEqual(self.feed([b"vireo: hi\r\n[vm0] x"]), (b"vireo: hi\r\n[vm0] x", [], b""))

    def test_frame_is_taken_out_and_its_cr_dropped(self):
        out = b"[vm0] a\r\n\x1dg1$T05#b9\r\n[vm0] b\r\n"
        self.assertEqual(self.feed([out]), (b"[vm0] a\r\n[vm0] b\r\n", [(1, b"$T05#b9")], b""))

    def test_frame_in_the_middle_of_a_line_joins_the_text(self):
        out = b"[vm0] hel\x1dg0+$OK#9a\r\nlo\r\n"
        self.assertEqual(self.feed([out]), (b"[vm0] hello\r\n", [(0, b"+$OK#9a")], b""))

    def test_every_split_of_the_stream_gives_the_same_result(self):
        out = (b"vireo: one\r\n[vm0] hel\x1dg0+$OK#9a\r\n\x1dg3$S05#b8\nlo\r\n"
               b"\x1dg0\r\n[b] \x1dz\r\n\x1dg7" + b"m" * 600 + b"\r\nend\r\n")
        want = (b"vireo: one\r\n[vm0] hello\r\n[b] \x1dz\r\nend\r\n",
                [(0, b"+$OK#9a"), (3, b"$S05#b8"), (0, b""), (7, b"m" * 600)], b"")
        for i in range(len(out) + 1):
            for j in range(i, len(out) + 1, 7):
                self.assertEqual(self.feed([out[:i], out[i:j], out[j:]]), want, (i, j))
        self.assertEqual(self.feed([out[k:k + 1] for k in range(len(out))]), want)

    def test_unfinished_frame_is_kept_for_the_next_read(self):
        self.assertEqual(self.feed([b"ab\x1dg2$qC"]), (b"ab", [], b"\x1dg2$qC"))
        self.assertEqual(self.feed([b"ab\x1d"]), (b"ab", [], b"\x1d"))

    def test_escape_not_followed_by_g_is_text(self):
        self.assertEqual(self.feed([b"a\x1d", b"\x1dx\x1d", b"yz\n"]),
                         (b"a\x1d\x1dx\x1dyz\n", [], b""))

    def test_frame_without_id_is_dropped(self):
        self.assertEqual(self.feed([b"a\x1dg\r\nb"]), (b"ab", [], b""))

    def test_overlong_frame_is_shown_not_swallowed(self):
        junk = b"\x1dg0" + b"x" * vireo.GDB_MAX_FRAME
        text, frames, pending = self.feed([junk[:1000], junk[1000:]])
        self.assertEqual((text, frames, pending), (junk, [], b""))


class Frames(unittest.TestCase):
    def test_only_interrupt_and_printable_ascii_are_sent(self):
        everything = bytes(range(256))
        self.assertEqual(vireo.rsp_payload(everything), b"\x03" + bytes(range(0x20, 0x7f)))
        self.assertEqual(vireo.rsp_payload(b"$m0,4#fd\n\r\x1d\x00\xff"), b"$m0,4#fd")

    def test_payload_is_cut_into_frames_of_at_most_512_bytes(self):
        self.assertEqual(vireo.gdb_frames(0, b""), [])
        self.assertEqual(vireo.gdb_frames(5, b"$?#3f"), [b"\x1dg5$?#3f\n"])
        payload = bytes(0x20 + i % 95 for i in range(1200))
        frames = vireo.gdb_frames(7, payload)
        self.assertEqual([len(f) - 4 for f in frames], [512, 512, 176])
        for f in frames:
            self.assertEqual((f[:3], f[-1:]), (b"\x1dg7", b"\n"))
        self.assertEqual(b"".join(f[3:-1] for f in frames), payload)
        self.assertEqual(len(vireo.gdb_frames(1, b"x" * 512)), 1)
        self.assertEqual(len(vireo.gdb_frames(1, b"x" * 513)), 2)


class HoldEscape(unittest.TestCase):
    def test_bytes_without_escape_go_at_once(self):
        self.assertEqual(vireo.hold_escape(b"", b"ls\r"), (b"ls\r", b""))

    def test_trailing_escape_waits_for_its_key(self):
        self.assertEqual(vireo.hold_escape(b"", b"ab\x1d"), (b"ab", b"\x1d"))
        self.assertEqual(vireo.hold_escape(b"\x1d", b"l"), (b"\x1dl", b""))
        self.assertEqual(vireo.hold_escape(b"\x1d", b"1xy\x1d"), (b"\x1d1xy", b"\x1d"))

    def test_escape_escape_is_one_pair(self):
        self.assertEqual(vireo.hold_escape(b"", b"\x1d\x1d"), (b"\x1d\x1d", b""))
        self.assertEqual(vireo.hold_escape(b"", b"\x1d\x1d\x1d"), (b"\x1d\x1d", b"\x1d"))
        self.assertEqual(vireo.hold_escape(b"\x1d", b"\x1d"), (b"\x1d\x1d", b""))

    def test_keys_typed_one_by_one_never_leave_an_escape_alone(self):
        typed = b"a\x1d\x1d\x1dlb\x1d\x1d\x1d\x1dc\x1d0"
        held, sent = b"", []
        for k in range(len(typed)):
            send, held = vireo.hold_escape(held, typed[k:k + 1])
            sent.append(send)
        self.assertEqual(b"".join(sent) + held, typed)
        self.assertEqual(held, b"")
        # Each write ends after a whole pair: a frame may come between writes.
        for send in sent:
            self.assertEqual(vireo.hold_escape(b"", send), (send, b""))


def args(gdb=(), print_cmd=False, sdcard=None):
    return argparse.Namespace(gdb=list(gdb), print_cmd=print_cmd, sdcard=sdcard)


def vms(*names, config_gdb=None):
    out = [vireo.VM("k", name=n) for n in names]
    for i, mode in (config_gdb or {}).items():
        out[i].gdb = mode
    return out


class GdbOption(unittest.TestCase):
    def test_spec_forms(self):
        self.assertEqual(vireo.parse_gdb_spec("linux"), ("linux", None, "wait"))
        self.assertEqual(vireo.parse_gdb_spec("a:4000"), ("a", 4000, "wait"))
        self.assertEqual(vireo.parse_gdb_spec("a,nowait"), ("a", None, "nowait"))
        self.assertEqual(vireo.parse_gdb_spec("a:65535,nowait"), ("a", 65535, "nowait"))

    def test_bad_specs_are_refused(self):
        for spec, why in (("a:0", "1 to 65535"), ("a:65536", "1 to 65535"), ("a:", "1 to 65535"),
                          ("a:x", "1 to 65535"), ("a,wait", "no option"), ("", "expected"),
                          ("a:1,nowait,x", "no option")):
            with self.assertRaisesRegex(vireo.Fail, why, msg=spec):
                vireo.parse_gdb_spec(spec)

    def test_ports_default_to_1234_plus_index_and_modes_are_set(self):
        v = vms("a", "b", "c")
        self.assertEqual(vireo.gdb_ports(args(["c", "a:4000,nowait"]), v), {0: 4000, 2: 1236})
        self.assertEqual([vm.gdb for vm in v], ["nowait", None, "wait"])

    def test_config_file_vm_gets_its_default_port_unless_given(self):
        v = vms("a", "b", config_gdb={1: "nowait"})
        self.assertEqual(vireo.gdb_ports(args(), v), {1: 1235})
        self.assertEqual(vireo.gdb_ports(args(["b:9000"]), v), {1: 9000})
        self.assertEqual(v[1].gdb, "wait")

    def test_refusals(self):
        for given, kw, why in (
                (["x"], {}, r"no VM is named 'x' \(the VMs: a, b\)"),
                (["a", "a:9"], {}, "VM a has a --gdb already"),
                (["a:1235", "b"], {}, "VMs a and b cannot both have port 1235"),
                (["a:7", "b:7"], {}, "cannot both have port 7"),
                (["a"], {"print_cmd": True}, "--print-cmd: no gdb there"),
                (["b"], {"sdcard": "/tmp/card"}, "--sdcard: no gdb there")):
            with self.assertRaisesRegex(vireo.Fail, why, msg=given):
                vireo.gdb_ports(args(given, **kw), vms("a", "b"))
        with self.assertRaisesRegex(vireo.Fail, "--print-cmd: no gdb there"):
            vireo.gdb_ports(args(print_cmd=True), vms("a", config_gdb={0: "wait"}))
        with self.assertRaisesRegex(vireo.Fail, "it is VM 8, and gdb reaches only VMs 0 to 7"):
            vireo.gdb_ports(args(["v8"]), vms(*[f"v{i}" for i in range(9)]))

    def test_vm_node_says_wait_or_nowait(self):
        v = vms("a", "b")
        v[1].gdb = "nowait"
        for vm in v:
            vm.mem = 64 << 20
        nodes = "\n".join(vireo.vm_nodes(v))
        self.assertEqual(nodes.count("vireo,gdb"), 1)
        self.assertIn('vireo,gdb = "nowait";', nodes.split("vm@1")[1])


def connect_retrying(port):
    """Connects as gdb does: a refused connection is tried again (the
    launcher listens once Vireo has made the VM)."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=10)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Bridge(unittest.TestCase):
    def setUp(self):
        self.said = self.enterContext(contextlib.redirect_stderr(io.StringIO()))
        self.port = free_port()
        self.bridge = vireo.GdbBridge({2: self.port}, {2: "linux"})
        self.bridge.listen()
        self.assertEqual(self.said.getvalue(),
                         f"vireo run: gdb for VM linux: target remote :{self.port}\n")
        self.qemu_read, qemu_write = os.pipe()
        self.addCleanup(os.close, self.qemu_read)
        self.addCleanup(os.close, qemu_write)
        self.addCleanup(self.bridge.close)
        self.bridge.start(vireo.QemuInput(qemu_write))
        self.bridge.created(["linux"])

    def connect(self):
        c = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        self.addCleanup(c.close)
        return c

    def test_client_bytes_go_to_qemu_in_frames_and_replies_come_back(self):
        c = self.connect()
        c.sendall(b"+$qSupported:xmlRegisters=aarch64#cc\n\x7f")
        self.assertEqual(read_until(self.qemu_read, b"#cc\n"),
                         b"\x1dg2+$qSupported:xmlRegisters=aarch64#cc\n")
        text = self.bridge.from_console(b"[linux] $ \x1dg2+$PacketSize=1000#")
        text += self.bridge.from_console(b"11\r\nls\r\n\x1dg0$OK#9a\r\n")
        self.assertEqual(text, b"[linux] $ ls\r\n")
        self.assertEqual(c.recv(100), b"+$PacketSize=1000#11")   # VM 0's frame: nobody's

    def test_big_send_is_cut_into_frames(self):
        c = self.connect()
        packet = b"$M40000000,400:" + b"ab" * 1024 + b"#00"
        c.sendall(packet)
        got = read_until(self.qemu_read, b"#00\n")
        frames = got.split(b"\n")[:-1]
        self.assertTrue(all(f.startswith(b"\x1dg2") and len(f) - 3 <= 512 for f in frames))
        self.assertEqual(b"".join(f[3:] for f in frames), packet)

    def test_disconnect_detaches_and_a_new_client_may_come(self):
        c = self.connect()
        c.sendall(b"$?#3f")
        read_until(self.qemu_read, b"$?#3f\n")
        c.close()
        self.assertEqual(read_until(self.qemu_read, b"$D#44\n"), b"\x1dg2$D#44\n")
        c2 = self.connect()
        c2.sendall(b"$g#67")
        self.assertEqual(read_until(self.qemu_read, b"$g#67\n"), b"\x1dg2$g#67\n")

    def test_second_client_is_closed_while_the_first_is_served(self):
        c = self.connect()
        c.sendall(b"$?#3f")
        read_until(self.qemu_read, b"$?#3f\n")
        c2 = self.connect()
        self.assertEqual(c2.recv(10), b"")
        self.assertIn("vireo run: gdb for VM linux: refused a second connection (one gdb at a "
                      "time)\n", self.said.getvalue())
        c.sendall(b"$g#67")
        self.assertEqual(read_until(self.qemu_read, b"$g#67\n"), b"\x1dg2$g#67\n")

    def test_port_in_use_is_refused(self):
        other = vireo.GdbBridge({0: self.port}, {0: "hello"})
        self.addCleanup(other.close)
        with self.assertRaisesRegex(vireo.Fail, f"--gdb hello: cannot listen on "
                                                f"127.0.0.1:{self.port}: Address already in use"):
            other.listen()

    def test_no_connection_before_the_vm_is_made(self):
        """gdb's connection is refused (gdb retries) until Vireo has made the
        VM: gdb would give up on its first packets during the boot."""
        port = free_port()
        later = vireo.GdbBridge({0: port}, {0: "late"})
        self.addCleanup(later.close)
        later.listen()
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=10).close()
        later.created(["other"])
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=10).close()
        later.created(["other", "late"])
        socket.create_connection(("127.0.0.1", port), timeout=10).close()


# Plays Vireo behind QEMU's console, for boot(): says a VM started and
# leaves a line unfinished; answers gdb's first frame in the middle of that
# line, its frame cut in two writes; asks for typing; and when the typed
# bytes and the detach frame have come, prints in hex all it read after
# the first frame, and powers the VM off.
FAKE_QEMU = r'''
import os, sys, time
def say(b):
    os.write(1, b)
say(b"vireo: vm0: 64 MiB RAM at IPA 0x40000000\r\n[vm0] hel")
got = b""
def wait_for(what):
    global got
    while what not in got:
        data = os.read(0, 4096)
        if not data:
            sys.exit(9)
        got += data
wait_for(b"$qSupported#37\n")
say(b"\x1dg0+$Pack")
time.sleep(0.2)
say(b"etSize=100#d5\r\nlo\r\n[vm0] type now\r\n")
wait_for(b"\x1dg0$D#44\n")
wait_for(b"z")
typed = got.replace(b"\x1dg0$qSupported#37\n", b"")
say(b"[vm0] typed " + typed.hex().encode() + b"\r\n")
say(b"vireo: vm0 stopped: powered off (PSCI SYSTEM_OFF)\r\n")
'''

# The launcher's boot() with one VM debugged, run as a process of its own
# with the fake QEMU; argv: fake QEMU, port, work directory.
HARNESS = textwrap.dedent('''
    import sys
    import importlib.machinery, importlib.util
    loader = importlib.machinery.SourceFileLoader("vireo_launcher", {launcher!r})
    spec = importlib.util.spec_from_loader(loader.name, loader)
    vireo = importlib.util.module_from_spec(spec)
    loader.exec_module(vireo)
    bridge = vireo.GdbBridge({{0: int(sys.argv[2])}}, {{0: "vm0"}})
    bridge.listen()
    try:
        status = vireo.boot([sys.executable, sys.argv[1]], 60, sys.argv[3], gdb=bridge)
    except KeyboardInterrupt:
        status = 130
    finally:
        bridge.close()
    sys.exit(status)
''').format(launcher=LAUNCHER)


class Boot(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = tmp.name
        self.fake = os.path.join(self.tmp, "fake_qemu.py")
        self.harness = os.path.join(self.tmp, "harness.py")
        with open(self.fake, "w") as f:
            f.write(FAKE_QEMU)
        with open(self.harness, "w") as f:
            f.write(HARNESS)
        self.master, self.slave = pty.openpty()
        self.addCleanup(os.close, self.master)
        self.addCleanup(os.close, self.slave)
        self.cooked = termios.tcgetattr(self.slave)
        self.port = free_port()

    def launch(self, fake):
        proc = subprocess.Popen([sys.executable, self.harness, fake, str(self.port),
                                 os.path.join(self.tmp, "work")],
                                stdin=self.slave, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        self.addCleanup(proc.wait)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc

    def assertRaw(self):
        _, oflag, _, lflag, _, _, cc = termios.tcgetattr(self.slave)
        self.assertEqual(lflag & (termios.ICANON | termios.ECHO | termios.ISIG), 0)
        self.assertTrue(oflag & termios.OPOST)
        self.assertEqual(cc[termios.VMIN], 1)

    def test_gdb_and_typing_share_the_console(self):
        proc = self.launch(self.fake)
        out = read_until(proc.stdout.fileno(), b"target remote :%d\n" % self.port)
        gdb = connect_retrying(self.port)
        gdb.sendall(b"$qSupported#37")
        self.assertEqual(gdb.recv(100), b"+$PacketSize=100#d5")
        out += read_until(proc.stdout.fileno(), b"type now\n")
        self.assertRaw()
        # No newline: only a terminal in raw mode gives these bytes up.
        os.write(self.master, b"ab\x1d")
        time.sleep(0.2)
        gdb.close()   # its detach frame cannot come between Ctrl-] and its key
        time.sleep(0.2)
        os.write(self.master, b"lz")
        rest, _ = proc.communicate(timeout=30)
        out += rest
        self.assertEqual(proc.returncode, 0, out)
        self.assertIn(b"[vm0] hello\n", out)
        self.assertNotIn(b"\x1d", out)
        self.assertNotIn(b"PacketSize", out)
        # Ctrl-] went with its key, after the frame.
        self.assertIn(b"[vm0] typed " + b"ab\x1dg0$D#44\n\x1dlz".hex().encode() + b"\n", out)
        self.assertEqual(termios.tcgetattr(self.slave), self.cooked)

    def test_terminal_is_restored_after_an_interrupt(self):
        sleeper = os.path.join(self.tmp, "sleeper.py")
        with open(sleeper, "w") as f:
            f.write("import os, time\nos.write(1, b'vireo: up\\r\\n')\ntime.sleep(60)\n")
        proc = self.launch(sleeper)
        read_until(proc.stdout.fileno(), b"vireo: up\n")
        self.assertRaw()
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 130)
        self.assertEqual(termios.tcgetattr(self.slave), self.cooked)


if __name__ == "__main__":
    unittest.main()
