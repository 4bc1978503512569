#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Recount the hunk headers of a hand-edited patch (in place).

patches/ holds hand-made diffs; after a line is added to or removed from
a hunk, its "@@ -a,b +c,d @@" line no longer fits.  This recounts b and
d from the hunk's lines and c from a and the hunks before it in the same
file, so that patch(1) and git am apply it without offsets.
"""
import re
import sys

HUNK = re.compile(r'^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$')


def fix(lines):
    out, i, delta = [], 0, 0
    while i < len(lines):
        line = lines[i]
        if line.startswith('--- '):
            delta = 0
        m = HUNK.match(line)
        if not m:
            out.append(line)
            i += 1
            continue
        j, old, new = i + 1, 0, 0
        while j < len(lines) and lines[j][:1] in (' ', '-', '+', '\\', ''):
            if lines[j].startswith(('--- ', '+++ ')) and \
               j + 1 < len(lines) and lines[j + 1].startswith(('+++ ', '@@')):
                break
            tag = lines[j][:1]
            if lines[j] == '':
                break
            if tag in (' ', '-'):
                old += 1
            if tag in (' ', '+'):
                new += 1
            j += 1
        a = int(m.group(1))
        out.append('@@ -%d,%d +%d,%d @@%s' % (a, old, a + delta, new,
                                           m.group(5)))
        out.extend(lines[i + 1:j])
        delta += new - old
        i = j
    return out


for path in sys.argv[1:]:
    with open(path) as f:
        text = f.read().split('\n')
    with open(path, 'w') as f:
        f.write('\n'.join(fix(text)))
