"""The integration scenarios of the console: what is typed reaches the VM
with the focus, complete and in order. The same Case as cases.py.

One Linux boot, at its busybox prompt (issue 14):
  - a 4096-byte paste in one burst, printable characters only (no Ctrl-A,
    which QEMU keeps, and no Ctrl-], Vireo's escape), read by the guest
    with the terminal in non-canonical mode: its byte count and md5 must
    be the burst's;
  - Ctrl-] followed by keys that are no command for Vireo ("z", and a
    digit naming no VM) reaches the guest as typed, both bytes, and
    Ctrl-] Ctrl-] as one Ctrl-]: od shows exactly those bytes;
  - a 16 KiB paste that waits: with crtscts, Linux stops reading its UART
    while its terminal's buffer is full (the reader sleeps 3 s first), so
    Vireo's 4 KiB of input for the VM fills and Vireo holds the physical
    UART back (QEMU keeps the rest) until the guest reads again; the md5
    must be the paste's;
  - a long command line, typed in one burst at the shell's prompt, is run
    whole: echo gives it back complete.
Each step waits for a marker the guest prints once it is ready, computed
by the shell ($((6*7))) so that the echo of the command line itself does
not match. A byte lost makes head wait; timeout ends it after 60 s so that
the count and the sum show what arrived.

And a byte typed before Vireo takes input at all, while it boots: it must
reach the first VM, and input must go on working after it (the hostile
guest waits for one byte before its phases; it is stopped there).
"""
import hashlib
import random

from cases import ALWAYS_FORBID, GUESTS, LINUX_TIMEOUT, Case, esc, linux, need_linux

PROMPT = r"/ # (\x1b\[6n)?$"


def printable_burst(n, seed):
    """n printable ASCII bytes (space to tilde), the same on every run."""
    rng = random.Random(seed)
    return "".join(chr(rng.randrange(0x20, 0x7f)) for _ in range(n))


PASTE = printable_burst(4096, 14)
PASTE_MD5 = hashlib.md5(PASTE.encode()).hexdigest()
# Ctrl-] z, Ctrl-] Ctrl-], Ctrl-] 9 (one VM: 9 names none): 5 bytes for the VM.
ESCAPES = "\x1dz\x1d\x1d\x1d9"
ESCAPES_OD = " 1d 7a 1d 1d 39"
HELD = printable_burst(16384, 41)
HELD_MD5 = hashlib.md5(HELD.encode()).hexdigest()
# Letters and digits only: nothing the shell or its line editor acts on.
LONG = "".join(chr(ord("a") + i % 26) if i % 7 else str(i % 10) for i in range(800))

COMMANDS = ("stty -icanon -echo; echo paste-$((6*7)); "
            "timeout 60 head -c 4096 >/tmp/paste; wc -c </tmp/paste; md5sum </tmp/paste; "
            "echo escape-$((6*7)); timeout 60 head -c 5 | od -An -tx1; "
            "stty crtscts; echo held-$((6*7)); sleep 3; timeout 60 head -c 16384 | md5sum; "
            "stty sane -crtscts; echo long-$((6*7))\n")

CASES = [
    Case("console_paste_linux", linux(),
         inputs=[(PROMPT, COMMANDS),
                 (r"\[linux\] paste-42$", PASTE),
                 (r"\[linux\] escape-42$", ESCAPES),
                 (r"\[linux\] held-42$", HELD),
                 (r"\[linux\] long-42$", f"echo {LONG}; poweroff -f\n")],
         expect=[esc("[linux] paste-42"),
                 esc("[linux] 4096"),
                 esc(f"[linux] {PASTE_MD5}  -"),
                 esc("[linux] escape-42"),
                 esc(f"[linux] {ESCAPES_OD}"),
                 esc("[linux] held-42"),
                 esc(f"[linux] {HELD_MD5}  -"),
                 esc("[linux] long-42"),
                 esc(f"[linux] {LONG}"),
                 esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=[r"Kernel panic", r"Internal error"] + ALWAYS_FORBID,
         timeout=LINUX_TIMEOUT, setup=need_linux),
    # Typed ahead: the byte waits in the UART from Vireo's first line on,
    # before console_enable_input(). (Before, enabling cleared the UART's
    # receive interrupt with the byte still in it; QEMU's PL011 then held
    # all further input back and never interrupted again.)
    Case("console_byte_typed_during_boot",
         ["--vm", f"name=hostile,kernel={GUESTS}/hostile.bin"],
         inputs=[(r"Vireo hypervisor, booting at EL2", "g")],
         expect=[esc("[hostile] hostile: start (signalled)")],
         forbid=ALWAYS_FORBID + [r"hostile: start \(timeout\)"],
         until=esc("[hostile] hostile: start (signalled)"), timeout=60),
]
