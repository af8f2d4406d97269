"""The benchmark corpus generator: deterministic, gold labels consistent with the written text."""

import json
import random
import re

from bench.corpus import (
    FATES,
    _edit_words,
    _vocabulary,
    generate_corpus,
    iter_documents,
    mojibake,
    typographic_noise,
    write_folder,
    write_jsonl,
)
from tasks.clean import comparison_form, repair_text, split_document


def test_same_seed_same_documents_and_shards_agree():
    a = [d.gold() | {"text": d.text} for d in iter_documents(6, seed=3)]
    b = [d.gold() | {"text": d.text} for d in iter_documents(6, seed=3)]
    assert a == b
    assert a != [d.gold() | {"text": d.text} for d in iter_documents(6, seed=4)]
    assert a[-len(list(iter_documents(1, seed=3, first_story=5))) :] == [
        d.gold() | {"text": d.text} for d in iter_documents(1, seed=3, first_story=5)
    ]


def test_gold_covers_every_body_paragraph_and_no_boilerplate():
    for story in generate_corpus(30, seed=1).stories().values():
        origin, *reps = story
        assert origin.version == 0 and all(r.published_at > origin.published_at for r in reps)
        base_body = {i for i, flag in enumerate(origin.boilerplate) if not flag}
        for rep in reps:
            assert rep.base_doc_id == origin.doc_id
            body = {j for j, flag in enumerate(rep.boilerplate) if not flag}
            assert {b for b, _, _ in rep.fates if b is not None} == base_body
            assert {j for _, j, _ in rep.fates if j is not None} == body
            assert {f for *_, f in rep.fates} <= set(FATES)


def test_survived_and_moved_rows_have_equal_fingerprints_after_repair():
    seen = set()
    for story in generate_corpus(40, seed=2).stories().values():
        origin, *reps = story
        for rep in reps:
            for b, j, fate in rep.fates:
                seen.add(fate)
                if fate in ("survived", "moved"):
                    assert comparison_form(repair_text(origin.paragraphs[b])) == comparison_form(
                        repair_text(rep.paragraphs[j])
                    )
                elif fate == "changed":
                    assert comparison_form(origin.paragraphs[b]) != comparison_form(
                        repair_text(rep.paragraphs[j])
                    )
    assert seen == set(FATES)


def test_noise_keeps_the_fingerprint_and_mojibake_is_repairable():
    rng = random.Random(0)
    text = "He said \"it's over\" - the mid-term vote, at 5 o'clock - was lost."
    for _ in range(50):
        noisy = typographic_noise(text, rng)
        assert comparison_form(noisy) == comparison_form(text)
        assert repair_text(mojibake(noisy)) == noisy
    assert mojibake("“quoted”") != "“quoted”"


def test_written_text_splits_back_into_the_same_paragraphs(tmp_path):
    docs = list(iter_documents(8, seed=5))
    assert write_jsonl(docs, tmp_path / "c.jsonl") == len(docs)
    rows = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text().splitlines()]
    gold = [json.loads(line) for line in (tmp_path / ".c.gold.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [g["doc_id"] for g in gold] == [d.doc_id for d in docs]
    for row, doc in zip(rows, docs, strict=True):
        _, paragraphs = split_document(row["text"])
        assert paragraphs == [" ".join(repair_text(p).split()) for p in doc.paragraphs]
    write_folder(docs, tmp_path / "folder")
    manifest = (tmp_path / "folder" / "manifest.csv").read_text().splitlines()
    assert len(manifest) == len(docs) + 1 and (tmp_path / "folder" / ".gold.jsonl").exists()
    assert len(list((tmp_path / "folder").rglob("*.txt"))) == len(docs)
    # No paragraph opening a document reads as its title (a lone line that ends no sentence), in a corpus
    # big enough for word edits to have reached a first paragraph's last word.
    for doc in iter_documents(400, seed=0):
        _, paragraphs = split_document(doc.text)
        assert paragraphs == [" ".join(repair_text(p).split()) for p in doc.paragraphs]


def test_distractors_share_a_verbatim_paragraph_across_stories():
    corpus = generate_corpus(40, seed=0, distractors=1.0)
    owners: dict[str, set[str]] = {}
    for doc in corpus:
        if doc.version == 0:
            for p, flag in zip(doc.paragraphs, doc.boilerplate, strict=True):
                if not flag:
                    owners.setdefault(p, set()).add(doc.story)
    assert sum(len(s) > 1 for s in owners.values()) >= 10


def test_added_paragraphs_are_the_story_own_text_not_shared_verbatim_across_stories():
    # An added paragraph is text a republisher wrote for its story: taken from the article pool, it gets the
    # story's own names and numbers, as the story's paragraphs do, so the pool's 350 leads are not printed
    # verbatim under other stories (an outlet printing one text under two stories is its furniture).
    _, names = _vocabulary()
    stories: dict[str, set[str]] = {}
    for doc in generate_corpus(200, seed=0):
        for _, j, fate in doc.fates:
            if fate == "appeared":
                stories.setdefault(repair_text(doc.paragraphs[j]), set()).add(doc.story)
    shared = [text for text, owners in stories.items() if len(owners) > 1]
    assert len(stories) > 100
    # Only a lead with neither a name nor a number has nothing to change.
    assert all(not re.search(r"\d", t) and not set(t.split()) & set(names) for t in shared)


def test_a_word_edit_keeps_the_sentence_end():
    rng = random.Random(0)
    for text in ('The woman was not hurt, "police said."', "Is it over?", "Fire crews were called."):
        for _ in range(40):
            edited = _edit_words(text, 0.4, rng)
            assert edited[-1] == text[-1] and edited[-2] not in ",;:"
