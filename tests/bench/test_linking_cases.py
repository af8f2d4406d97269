"""The generator's harder linking cases (bench/corpus.py LinkingCases) make what they say."""

from bench.corpus import LinkingCases, _sentences, generate_story, iter_documents


def body(doc) -> list[str]:
    return [p for p, flag in zip(doc.paragraphs, doc.boilerplate, strict=True) if not flag]


def test_cases_off_change_nothing_and_each_case_makes_its_republications():
    assert [d.gold() for d in iter_documents(20, seed=3)] == [
        d.gold() for d in iter_documents(20, seed=3, cases=LinkingCases())
    ]
    recut = generate_story(5, seed=1, republications_per_story=(1, 1), cases=LinkingCases(recut=1.0))
    words = [" ".join(" ".join(body(d)).split()) for d in recut]
    assert body(recut[0]) != body(recut[1]) and recut[1].fates == []
    # The same sentences, cut elsewhere (edits and typography of the republication aside).
    assert len(set(_sentences(words[0])) & set(_sentences(words[1]))) >= len(_sentences(words[0])) // 3
    same = generate_story(6, seed=1, republications_per_story=(2, 2), cases=LinkingCases(same_outlet=1.0))
    assert {d.outlet for d in same} == {same[0].outlet} and len({d.url for d in same}) == 1
    assert same[0].url is not None
    negatives = list(iter_documents(30, seed=2, cases=LinkingCases(hard_negative=1.0)))
    story_text = {}
    for d in negatives:
        story_text.setdefault(d.story, set()).update(body(d))
    shared = [len(story_text[a] & story_text[b]) for a in story_text for b in story_text if a < b]
    assert max(shared) >= 3
