"""bench.fate_losses: each republication's wrong rows put down to one cause."""

from bench.fate_losses import losses_page, pair_causes, scores
from bench.quality import Warehouse


def _gold(doc: str, version: int, n: int, rows: list | None = None) -> dict:
    base = doc.rsplit("-", 1)[0] + "-v0"
    return {
        "doc_id": doc,
        "version": version,
        "boilerplate": [False] * n,
        "base_doc_id": base,
        "fates": rows or [],
    }


def test_each_republication_gets_the_first_cause_that_holds_and_fixing_all_scores_one():
    two = [(0, 0, "survived"), (1, 1, "survived")]
    gold = [
        _gold("a-v0", 0, 2),
        _gold("a-v1", 1, 2, two),  # aligned as gold
        _gold("b-v0", 0, 2),
        _gold("b-v1", 1, 2, two),  # left apart
        _gold("c-v0", 0, 2),
        _gold("c-v1", 1, 2, two),  # its second paragraph flagged boilerplate
        _gold("d-v0", 0, 2),
        _gold("d-v1", 1, 2, two),  # its first line read as a title: one paragraph stored
    ]
    paragraphs = [
        (f"o/{d}.txt", k, "text", False)
        for d in ("a-v0", "a-v1", "b-v0", "b-v1", "c-v0", "d-v0")
        for k in range(2)
    ]
    paragraphs += [
        ("o/c-v1.txt", 0, "text", False),
        ("o/c-v1.txt", 1, "text", True),
        ("o/d-v1.txt", 0, "t", False),
    ]
    out = Warehouse(
        story={f"o/{g['doc_id']}.txt": g["doc_id"][0] if g["doc_id"] != "b-v1" else "b1" for g in gold},
        version={f"o/{g['doc_id']}.txt": g["version"] for g in gold},
        paragraphs=paragraphs,
        fates={
            ("o/a-v0.txt", "o/a-v1.txt"): two,
            ("o/c-v0.txt", "o/c-v1.txt"): [(0, 0, "survived"), (1, None, "disappeared")],
            ("o/d-v0.txt", "o/d-v1.txt"): [(0, None, "disappeared"), (1, 0, "survived")],
        },
        rejects=[],
    )
    causes = pair_causes(gold, out)
    assert causes == {"a-v1": "alignment", "b-v1": "unlinked", "c-v1": "flags", "d-v1": "paragraphs"}
    whole, each = scores(gold, out)
    assert whole.macro_f1() < 1 and each["a-v1"].macro_f1() == 1
    assert scores(gold, out, set(causes))[0].macro_f1() == 1
    page = losses_page("4 stories", gold, out)
    assert "| unlinked | 1 | 1 | 2 |" in page and "c-v1 #1" in page
