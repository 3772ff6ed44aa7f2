#!/usr/bin/env python3
"""Check that every part of the tree uses only the parts it may.

Reads the parts and the allowed arrows from docs/layers.txt (the one place
they are written), then the `#include "..."` lines of src/ and the imports
of web/ (when web/ exists), and reports every use that crosses a wall:

    src/util/blob.c:9: util may not include domain/common.h (domain):
    util knows nothing above it

Usage: check-layers.py [ROOT]   (ROOT: the repository, default: this one's)
Exit status: 0 all uses allowed, 1 a use is not, 2 the layers file or the
tree cannot be read (a file in no part, an arrow to an unknown part).
"""
import os
import re
import sys

LAYERS = os.path.join('docs', 'layers.txt')
C_INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
# `import x from '...'`, `import '...'`, `export ... from '...'`, and
# `import('...')`; a multi-line import ends with its `from '...'` line
# (`from` after a space or `}`, never a word in a string: t('sup.from')).
JS_IMPORT = re.compile(
    r"""(?:^\s*import\s*['"]([^'"]+)['"]"""
    r"""|(?:^|[\s}])from\s*['"]([^'"]+)['"]"""
    r"""|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\))""")


class LayersError(Exception):
    pass


def read_layers(path):
    """Parts (name -> list of paths), allowed arrows, walls with reasons."""
    parts, allow, never = {}, {}, {}
    try:
        with open(path, encoding='utf-8') as f:
            lines = f.readlines()
    except OSError as e:
        raise LayersError(f'{path}: {e.strerror}')
    for n, raw in enumerate(lines, 1):
        line = raw.split('#', 1)[0].strip()
        if not line:
            continue
        where = f'{path}:{n}'
        if line.startswith('part '):
            words = line.split()
            if len(words) < 3:
                raise LayersError(f'{where}: part NAME PATH...')
            parts[words[1]] = words[2:]
        elif line.startswith('never '):
            m = re.fullmatch(r'never\s+(\S+)\s*->\s*([^:]+):\s*(.+)', line)
            if not m:
                raise LayersError(f'{where}: never NAME -> NAME...: WHY')
            for to in m.group(2).split():
                never[(m.group(1), to)] = m.group(3)
        else:
            m = re.fullmatch(r'(\S+)\s*->\s*(.*)', line)
            if not m:
                raise LayersError(f'{where}: cannot read "{line}"')
            allow[m.group(1)] = set(m.group(2).split())
    for name in list(allow) + [t for a in allow.values() for t in a] + \
            [p for pair in never for p in pair]:
        if name not in parts:
            raise LayersError(f'{path}: unknown part "{name}"')
    for name in parts:
        if name not in allow:
            raise LayersError(f'{path}: no arrows for part "{name}"')
    for (a, b), why in never.items():
        if b in allow[a]:
            raise LayersError(f'{path}: {a} -> {b} is both allowed and '
                              f'never ({why})')
    return parts, allow, never


def part_of(parts, rel):
    """The part of a repository-relative path: the longest match."""
    best, best_len = None, -1
    for name, paths in parts.items():
        for p in paths:
            hit = rel.startswith(p) if p.endswith('/') else rel == p
            if hit and len(p) > best_len:
                best, best_len = name, len(p)
    return best


def c_uses(root, rel):
    """(line, spelled, target path) of each quoted include of a C file."""
    here = os.path.dirname(rel)
    with open(os.path.join(root, rel), encoding='utf-8',
              errors='replace') as f:
        for n, line in enumerate(f, 1):
            m = C_INCLUDE.match(line)
            if not m:
                continue
            inc = m.group(1)
            # As the compiler looks: next to the file, then under src/.
            near = os.path.normpath(os.path.join(here, inc))
            target = near if os.path.exists(os.path.join(root, near)) \
                else os.path.normpath(os.path.join('src', inc))
            yield n, inc, target


def js_uses(root, rel):
    """(line, spelled, target path) of each relative import of a module."""
    here = os.path.dirname(rel)
    with open(os.path.join(root, rel), encoding='utf-8',
              errors='replace') as f:
        for n, line in enumerate(f, 1):
            if line.lstrip().startswith('//'):
                continue
            for m in JS_IMPORT.finditer(line):
                spec = next(g for g in m.groups() if g)
                if spec.startswith('/'):
                    target = os.path.normpath('web' + spec)
                elif spec.startswith('.'):
                    target = os.path.normpath(os.path.join(here, spec))
                else:
                    target = None  # a bare name: there is no npm here
                yield n, spec, target


def files(root, top, exts):
    for d, dirs, names in os.walk(os.path.join(root, top)):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(exts):
                yield os.path.relpath(os.path.join(d, name), root)


def check(root):
    parts, allow, never = read_layers(os.path.join(root, LAYERS))
    problems = []
    sources = [(rel, c_uses, 'include') for rel in
               files(root, 'src', ('.c', '.h'))]
    if os.path.isdir(os.path.join(root, 'web')):
        sources += [(rel, js_uses, 'import') for rel in
                    files(root, 'web', ('.js', '.mjs'))]
    for rel, uses, verb in sources:
        src = part_of(parts, rel)
        if src is None:
            raise LayersError(f'{rel}: in no part of {LAYERS}')
        for n, spelled, target in uses(root, rel):
            if target is None:
                problems.append(f'{rel}:{n}: {src} may not {verb} '
                                f'"{spelled}": not a file of the tree')
                continue
            dst = part_of(parts, target)
            if dst is None or dst == src or dst in allow[src]:
                continue  # outside every part: a system or generated file
            why = never.get((src, dst), f'no arrow {src} -> {dst} in '
                            f'{LAYERS}')
            problems.append(f'{rel}:{n}: {src} may not {verb} {spelled} '
                            f'({dst}): {why}')
    return problems


def main(argv):
    root = argv[1] if len(argv) > 1 else \
        os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        problems = check(root)
    except LayersError as e:
        print(f'check-layers: {e}', file=sys.stderr)
        return 2
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f'check-layers: {len(problems)} use(s) across a wall; the '
              f'arrows are in {LAYERS}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
