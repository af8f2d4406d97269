"""The benchmark's baseline, the aligner a user would write in an afternoon: difflib over paragraph lists.

Equal runs survive, deletions disappear, insertions appear, and a replaced block is paired up in order, a pair
counting as changed when its word similarity reaches `changed_min`. It cannot see moves, splits or merges.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from tasks.align import Fate, Paragraph
from tasks.clean import comparison_words


def align_with_difflib(base: list[Paragraph], rep: list[Paragraph], changed_min: float = 0.5) -> list[Fate]:
    """Fates from a difflib opcode walk over the paragraphs' fingerprints."""
    fates: list[Fate] = []
    opcodes = SequenceMatcher(
        None, [p.fingerprint for p in base], [p.fingerprint for p in rep], autojunk=False
    )
    for op, i1, i2, j1, j2 in opcodes.get_opcodes():
        if op == "equal":
            fates += [
                Fate(base[i].para_idx, rep[j].para_idx, "survived", 1.0, None)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        paired = 0
        for i, j in zip(range(i1, i2), range(j1, j2), strict=False):
            ratio = SequenceMatcher(
                None, comparison_words(base[i].text), comparison_words(rep[j].text)
            ).ratio()
            if ratio < changed_min:
                break
            fates.append(Fate(base[i].para_idx, rep[j].para_idx, "changed", round(ratio, 4), None))
            paired += 1
        fates += [Fate(base[i].para_idx, None, "disappeared", None, None) for i in range(i1 + paired, i2)]
        fates += [Fate(None, rep[j].para_idx, "appeared", None, None) for j in range(j1 + paired, j2)]
    return fates
