#!/usr/bin/python3
"""Checks that Vireo's sources keep their layers apart.

The core owns VMs, vCPUs and policy, the virtual devices (vdev) own what
guests see, a mode folder such as arch/aarch64/el2 owns how guests run,
drivers own host hardware and a board picks drivers (STYLE.md, "Layers").
Dependencies must point one way, or a second mode or board could not be
added without editing the core. Over every .c, .h and .S file this checks:

  rule 1  nothing under core/ or vdev/ includes from a mode folder
          (arch/<arch>/<mode>/), drivers/ or board/;
  rule 2  nothing under core/ or vdev/ names an EL2 register (a token such
          as hcr_el2 or ESR_EL2) outside comments and string literals;
  rule 3  nothing under drivers/ includes from board/;
  rule 4  no include circle crosses a folder boundary: no set of files
          that include one another in a circle (a strongly connected
          component of the file include graph) spans two folders, since
          neither folder could then be tested or replaced without the
          other. Folders may still include each other both ways, as long
          as no chain of file includes leads back to where it started.

A quoted include that starts with a layer folder is read from the tree's
root; a bare name not found next to the including file (asm-offsets.h) is
a generated header, a leaf in a pseudo-folder of its own ("generated")
that counts as mode code for rule 1; any other is relative to the
including file's folder. Angle-bracket includes are not checked.

    tests/check_layers.py [--root DIR]    (default: the hv/ next to tests/)

Prints "file:line: rule N: explanation" per violation and exits 1, or one
summary line and exits 0 when the tree is clean.
"""
import argparse
import os
import posixpath
import re
import sys

LAYERS = ("core", "vdev", "arch", "drivers", "board")
GENERATED = "generated"  # pseudo-folder of headers made at build time
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]*)"')
ANY_INCLUDE = re.compile(r"^\s*#\s*include\b")
EL2_REGISTER = re.compile(r"\b\w+_(el2|EL2)\b")
# Comments and literals, tried left to right, so that a quote inside a
# comment or a comment marker inside a string is taken for what it is.
COMMENT_OR_LITERAL = re.compile(
    r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def blank_out(text, keep_strings):
    """Replaces comments (and, unless keep_strings, literals) by spaces,
    keeping every newline so that line numbers stay right."""
    def blank(m):
        if keep_strings and m.group(0)[0] in "\"'":
            return m.group(0)
        return re.sub(r"[^\n]", " ", m.group(0))
    return COMMENT_OR_LITERAL.sub(blank, text)


def under(folder, *layers):
    return folder.split("/")[0] in layers


def hidden_from_core(folder):
    """A mode folder (arch/<arch>/<mode> or below), drivers, a board, or
    the generated headers (asm-offsets.h describes a mode's structures)."""
    mode = folder.startswith("arch/") and folder.count("/") >= 2
    return mode or folder == GENERATED or under(folder, "drivers", "board")


def folder_of(path):
    """The folder of a file named relative to root, or of a generated
    header named GENERATED/<name>."""
    return posixpath.dirname(path)


def target_file(root, src_folder, name):
    """The file, relative to root, that a quoted include lands in (for a
    generated header, GENERATED/<name>), or None when it points outside
    the tree."""
    if name.split("/")[0] in LAYERS:
        path = posixpath.normpath(name)
    elif "/" not in name and not os.path.exists(os.path.join(root, src_folder, name)):
        return posixpath.join(GENERATED, name)
    else:
        path = posixpath.normpath(posixpath.join(src_folder, name))
    return None if path.startswith("../") else path


def source_files(root):
    """(path, folder relative to root) of every source file, in order."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        for name in sorted(files):
            if name.endswith((".c", ".h", ".S")):
                yield os.path.join(folder, name), "" if rel == "." else rel


def check_file(root, path, folder, shown, edges, problems):
    """Applies rules 1-3 to one file and adds its include edges to edges
    as (including file, included file, both relative to root, shown name
    of the including file, line, include text)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    code = blank_out(text, keep_strings=True).splitlines()
    bare = blank_out(text, keep_strings=False).splitlines()
    for num, line in enumerate(code, 1):
        m = INCLUDE.match(line)
        dst = target_file(root, folder, m.group(1)) if m else None
        if dst is None:
            continue
        to = folder_of(dst)
        src = os.path.relpath(path, root).replace(os.sep, "/")
        edges.append((src, dst, shown, num, m.group(1)))
        what = f'includes "{m.group(1)}" from {to}'
        if under(folder, "core", "vdev") and hidden_from_core(to):
            problems.append((1, shown, num, f"{what}; core and vdev may include only"
                             " core, vdev and arch-common headers"))
        if under(folder, "drivers") and under(to, "board"):
            problems.append((3, shown, num, f"{what}; a driver may not depend on a board"))
    if not under(folder, "core", "vdev"):
        return
    for num, line in enumerate(bare, 1):
        if ANY_INCLUDE.match(code[num - 1]):
            continue  # a file name such as <foo_el2.h> is not a register
        for reg in dict.fromkeys(m.group(0) for m in EL2_REGISTER.finditer(line)):
            problems.append((2, shown, num, f"names {reg}; EL2 registers belong in"
                             " arch/<arch>/<mode> code"))


def components(graph):
    """The strongly connected components of graph (node -> iterable of
    successors), by Tarjan's algorithm run iteratively; each is a sorted
    list, and the list of them is sorted too."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    for start in sorted(graph):
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(sorted(graph.get(start, ()))))]
        while work:
            node, succs = work[-1]
            for nxt in succs:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:  # every successor of node is done
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        comp.append(member)
                        if member == node:
                            break
                    found.append(sorted(comp))
    return sorted(found)


def shortest_path(graph, start, goal, allowed):
    """The shortest list of nodes in allowed leading from start to goal,
    or None."""
    paths, queue = {start: [start]}, [start]
    for node in queue:  # breadth first, so the first path found is shortest
        if node == goal:
            return paths[node]
        for nxt in sorted(graph.get(node, ())):
            if nxt in allowed and nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                queue.append(nxt)
    return None


def folder_circles(graph):
    """One circle of files for every strongly connected component of the
    file graph that holds files of more than one folder: the shortest
    circle through the component's first include that crosses folders,
    starting at the including file. (A component of one file can only
    span one folder, so self-includes never count.)"""
    circles = []
    for comp in components(graph):
        members = set(comp)
        if len({folder_of(f) for f in comp}) < 2:
            continue
        # A strongly connected set of files in two folders has an edge
        # between folders, and a way back from its end to its start.
        a, b = next((a, b) for a in comp for b in sorted(graph.get(a, ()))
                    if b in members and folder_of(a) != folder_of(b))
        circles.append([a] + shortest_path(graph, b, a, members))
    return circles


def main():
    tests = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=os.path.join(os.path.dirname(tests), "hv"),
                    help="the tree to check (default: %(default)s)")
    root = os.path.abspath(ap.parse_args().root)
    if not os.path.isdir(root):
        ap.error(f"{root} is not a folder")  # exits 2, unlike a violation
    files, edges, problems = list(source_files(root)), [], []
    for path, folder in files:
        shown = os.path.relpath(path, os.path.dirname(root))
        check_file(root, path, folder, shown, edges, problems)
    problems.sort()

    graph, names = {}, {}  # file -> {file it includes: (shown, line, text) of its first include}
    for src, dst, shown, num, text in edges:
        graph.setdefault(src, {}).setdefault(dst, (shown, num, text))
        names.setdefault(src, shown)
    for circle in folder_circles(graph):
        steps = list(zip(circle, circle[1:]))
        chain = " -> ".join(names[f] for f in circle)  # each includes the next
        where = "; ".join('%s:%d includes "%s"' % graph[a][b] for a, b in steps)
        problems.append((4, *graph[circle[0]][circle[1]][:2],
                         f"include circle across folders: {chain} ({where})"))

    for rule, shown, num, why in problems:
        print(f"{shown}:{num}: rule {rule}: {why}")
    verdict = f"{len(problems)} violations" if problems else "no violations"
    print(f"layers: {len(files)} files, {len(edges)} include edges, {verdict}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
