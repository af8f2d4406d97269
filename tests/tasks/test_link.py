"""Story linking: LSH candidates, verification by containment, clustering without chains, version order,
reprint tree, stable story ids."""

import dataclasses
from datetime import datetime

import numpy as np

from tasks.clean import comparison_words
from tasks.fingerprint import fingerprint, minhash_batch
from tasks.link import (
    LinkConfig,
    candidate_paragraph_pairs,
    cluster_stories,
    link_corpus,
    link_documents,
    matched_rows,
    pairs_within_groups,
    paragraph_texts,
    story_identifier,
    version_key,
)

RAIL = [
    "The minister announced a new budget for the northern railway on Tuesday morning in the capital city.",
    "Critics said the plan ignores the needs of rural passengers who depend on buses every single day.",
    "The opposition called for a full parliamentary inquiry into the tender process held last year.",
    "Construction is expected to begin next spring and to last at least four years in total, officials said.",
    "Unions welcomed the jobs but warned that wages on the project must match the national agreement.",
    "The railway will link three regional towns to the coast for the first time since the line closed.",
]
FLOOD = [
    "Heavy rain flooded the lower town overnight and closed two schools near the old harbour wall.",
    "Firefighters pumped water from basements while volunteers filled sandbags along the eastern quay.",
    "The mayor asked residents to stay indoors until the river falls below the warning level again.",
    "Insurers said claims from shop owners in the market square were likely to run into the millions.",
    "Forecasters expect more storms later this week as a low pressure system moves in from the west.",
]
QUOTE = "We will not stop until every family in this region has the support it was promised, he said."


def edit(text: str) -> str:
    """A light edit: a few words changed, as republishers do."""
    words = text.split()
    words[2], words[-3] = "new", "local"
    return " ".join(words)


def rows(docs: dict[str, list[str]]):
    ids = list(docs)
    paragraphs = [(k, p) for k, d in enumerate(ids) for p in docs[d]]
    words = [comparison_words(p) for _, p in paragraphs]
    sketches = minhash_batch(words)
    index = np.array([k for k, _ in paragraphs], dtype=np.int64)
    fingerprints = np.array([fingerprint(" ".join(w)) for w in words], dtype=np.uint64).view(np.int64)
    shingles = np.array([max(len(w) - 2, 1) for w in words], dtype=np.float64)
    return ids, index, sketches, fingerprints, shingles


def stories(docs: dict[str, list[str]], dates: dict[str, datetime | None] | None = None):
    ids, index, sketches, fingerprints, shingles = rows(docs)
    published = [(dates or {}).get(d) for d in ids]
    members = link_corpus(ids, published, [f"{d}.txt" for d in ids], index, sketches, fingerprints, shingles)
    groups: dict[str, list[str]] = {}
    for m in members:
        groups.setdefault(m.story_id, []).append(m.doc_id)
    return sorted(sorted(g) for g in groups.values()), {m.doc_id: m for m in members}


def test_pairs_within_groups_gives_every_pair_inside_each_group_and_none_across():
    members = np.array([10, 11, 12, 20, 21, 30])
    pairs = pairs_within_groups(members, np.array([0, 3, 5]), np.array([3, 2, 1]))
    assert sorted(map(tuple, pairs.tolist())) == [(10, 11), (10, 12), (11, 12), (20, 21)]


def test_candidates_share_a_bucket_and_matches_join_rows_of_different_documents():
    retouched = RAIL[1].replace("every single day", "every single morning")
    ids, index, sketches, fingerprints, _ = rows({"a": RAIL[:2], "b": [RAIL[0], FLOOD[0]], "c": [retouched]})
    found = {tuple(p) for p in candidate_paragraph_pairs(sketches).tolist()}
    assert (1, 4) in found  # RAIL[1] in a and its edited copy in c
    assert (0, 3) not in found  # RAIL[0] and FLOOD[0] share nothing
    first, text_of = paragraph_texts(fingerprints)
    assert len(first) == 4 and text_of[0] == text_of[2]  # RAIL[0] is one text printed twice
    near = np.array([[text_of[1], text_of[4]]])
    matched = {tuple(sorted(p)) for p in matched_rows(near, text_of, index).tolist()}
    assert matched == {(0, 2), (1, 4)}


def test_a_text_printed_more_than_max_copies_times_matches_nothing():
    docs = {f"d{k}": [QUOTE, FLOOD[k % 5]] for k in range(4)}
    ids, index, _, fingerprints, _ = rows(docs)
    _, text_of = paragraph_texts(fingerprints)
    none = np.empty((0, 2), dtype=np.int64)
    assert len(matched_rows(none, text_of, index, LinkConfig(max_copies=4))) == 6
    assert len(matched_rows(none, text_of, index, LinkConfig(max_copies=3))) == 0


def test_republication_and_truncated_copy_join_the_story_an_unrelated_story_does_not():
    docs = {
        "origin": RAIL,
        "edited": RAIL[:2] + [edit(RAIL[2])] + RAIL[3:],
        "truncated": RAIL[:3],
        "flood": FLOOD,
    }
    groups, _ = stories(docs)
    assert groups == [["edited", "origin", "truncated"], ["flood"]]


def test_a_split_paragraph_still_counts_as_copied():
    halves = RAIL[0].split(" on Tuesday ")
    docs = {"origin": RAIL, "split": [halves[0] + ".", "On Tuesday " + halves[1]] + RAIL[1:3], "flood": FLOOD}
    ids, index, sketches, fingerprints, shingles = rows(docs)
    links = link_documents(index, sketches, fingerprints, shingles, len(ids))
    weight = {(ids[a], ids[b]): w for a, b, w in zip(links.a, links.b, links.weight, strict=True)}
    assert weight[("origin", "split")] > 0.8


def test_one_shared_quote_does_not_link_two_stories():
    groups, _ = stories({"rail": RAIL[:3] + [QUOTE], "flood": FLOOD[:3] + [QUOTE]})
    assert groups == [["flood"], ["rail"]]


def test_a_digest_of_two_stories_does_not_chain_them():
    docs = {
        "rail": RAIL,
        "rail-copy": RAIL[:5],
        "flood": FLOOD,
        "flood-copy": FLOOD[1:],
        "digest": RAIL[:4] + FLOOD[:4],
    }
    groups, _ = stories(docs)
    assert ["flood", "flood-copy"] in [[d for d in g if d != "digest"] for g in groups]
    assert not any({"rail", "flood"} <= set(g) for g in groups)


def test_republications_that_differ_from_each_other_stay_with_their_origin():
    # Each copy keeps a different two thirds of the origin: linked to the origin, weakly to each other.
    docs = {"origin": RAIL, "first": RAIL[:4], "last": RAIL[2:], "ends": RAIL[:2] + RAIL[4:]}
    groups, _ = stories(docs)
    assert groups == [["ends", "first", "last", "origin"]]


def test_cohesion_threshold_decides_whether_thin_groups_join():
    from tasks.link import Links

    # a-b and c-d are strong pairs; b-c is the only link between them.
    links = Links(np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([1.0, 0.9, 1.0]), np.array([5, 5, 5]))
    assert len(set(cluster_stories(4, links, LinkConfig(min_cohesion=0.4)).tolist())) == 2
    assert len(set(cluster_stories(4, links, LinkConfig(min_cohesion=0.2)).tolist())) == 1
    assert cluster_stories(5, links, LinkConfig())[4] not in cluster_stories(5, links, LinkConfig())[:4]


def test_versions_by_date_then_source_and_undated_documents_get_a_deterministic_origin():
    docs = {"x": RAIL, "y": RAIL[:5], "z": RAIL[1:], "w": RAIL[:4]}
    dates = {"x": datetime(2020, 1, 2), "y": datetime(2020, 1, 1)}
    _, members = stories(docs, dates)
    assert [d for d, _ in sorted(((d, m.version) for d, m in members.items()), key=lambda t: t[1])] == [
        "y",
        "x",
        "w",
        "z",
    ]
    assert len({m.story_id for m in members.values()}) == 1
    assert members["x"].story_id == story_identifier(["w", "x", "y", "z"])
    _, undated = stories(docs)
    assert undated["w"].version == 0 and undated["w"].copied_from is None
    assert version_key(None, "a") > version_key(datetime(1999, 1, 1), "z")


def test_copied_from_names_the_version_a_republication_copied():
    edited = RAIL[:2] + [edit(RAIL[2]), edit(RAIL[3])] + RAIL[4:]
    docs = {"origin": RAIL, "edited": edited, "copy-of-edited": edited[:5], "copy-of-origin": RAIL[:5]}
    dates = {d: datetime(2024, 5, k + 1) for k, d in enumerate(docs)}
    _, members = stories(docs, dates)
    assert members["origin"].copied_from is None
    assert members["edited"].copied_from == "origin"
    assert members["copy-of-edited"].copied_from == "edited"
    assert members["copy-of-origin"].copied_from == "origin"


def test_lonely_document_is_a_story_of_one_and_ids_do_not_depend_on_input_order():
    groups, members = stories({"rail": RAIL, "flood": FLOOD})
    assert groups == [["flood"], ["rail"]]
    assert (members["rail"].version, members["rail"].n_members, members["rail"].copied_from) == (0, 1, None)
    _, reordered = stories({"flood": FLOOD, "rail": RAIL})
    assert {d: m.story_id for d, m in members.items()} == {d: m.story_id for d, m in reordered.items()}


def test_crowded_buckets_are_stock_phrases_and_make_no_candidates():
    stock = "Click the link below to read more news from our partners around the region today."
    docs = {f"d{k}": [stock, FLOOD[k % len(FLOOD)] + f" Item {k} of the list."] for k in range(6)}
    ids, index, sketches, _, _ = rows(docs)
    found = candidate_paragraph_pairs(sketches, LinkConfig(max_bucket=4))
    assert not any(p % 2 == 0 and q % 2 == 0 for p, q in found.tolist())  # the stock rows are even


def test_a_candidate_pair_is_verified_on_all_its_paragraphs():
    from tasks.link import paragraphs_in_common

    docs = {"a": RAIL[:3], "b": [edit(RAIL[0]), RAIL[1], FLOOD[0]], "c": FLOOD[1:3]}
    ids, index, sketches, _, _ = rows(docs)
    found = paragraphs_in_common(np.array([0, 0]), np.array([1, 2]), index, sketches)
    assert sorted(map(tuple, found.tolist())) == [(0, 3), (1, 4)]  # the edited copy too; nothing with c


def test_documents_printing_two_stock_texts_side_by_side_are_paired_in_a_chain_when_many():
    from tasks.link import stock_document_pairs

    # Texts 0 and 1 are printed 5 times (over max_copies=2); documents 0-3 print them side by side.
    doc_index = np.array([0, 0, 1, 1, 2, 2, 3, 3, 4, 5])
    text_of = np.array([0, 1, 1, 0, 0, 1, 0, 1, 0, 1])
    few = stock_document_pairs(doc_index, text_of, 6, LinkConfig(max_copies=2, max_bucket=4))
    assert sorted(few.tolist()) == [0 * 6 + 1, 0 * 6 + 2, 0 * 6 + 3, 1 * 6 + 2, 1 * 6 + 3, 2 * 6 + 3]
    chained = stock_document_pairs(doc_index, text_of, 6, LinkConfig(max_copies=2, max_bucket=3))
    assert sorted(chained.tolist()) == [0 * 6 + 1, 1 * 6 + 2, 2 * 6 + 3]  # one pair per document
    assert len(stock_document_pairs(doc_index, text_of, 6, LinkConfig(max_copies=5))) == 0


def test_a_story_printed_more_than_max_copies_times_still_links():
    docs = {"origin": RAIL, "copy-1": RAIL, "copy-2": RAIL[:5], "copy-3": RAIL[1:], "flood": FLOOD}
    ids, index, sketches, fingerprints, shingles = rows(docs)
    config = LinkConfig(max_copies=2)
    links = link_documents(index, sketches, fingerprints, shingles, len(ids), config)
    label = cluster_stories(len(ids), links, config)
    assert len(set(label[:4].tolist())) == 1 and label[4] not in label[:4]


def test_two_near_matches_alone_do_not_link_a_verbatim_one_or_more_matches_are_needed():
    # The same sentences with another word in every paragraph: a template story, not a republication.
    docs = {"story": RAIL, "template": [" ".join(p.split()[:-3] + ["local"] + p.split()[-2:]) for p in RAIL]}
    ids, index, sketches, fingerprints, shingles = rows(docs)
    links = link_documents(index, sketches, fingerprints, shingles, len(ids))
    assert links.shared.tolist() == [6] and links.verbatim.tolist() == [0]
    # As if only two of them matched (whole-text evidence, which these template pairs have, left out).
    two = LinkConfig(min_shared_near=7, min_text_jaccard=1.1)
    assert len(set(cluster_stories(2, links, two).tolist())) == 2
    assert len(set(cluster_stories(2, links, dataclasses.replace(two, min_verbatim=0)).tolist())) == 1
    # Six near matches (an outlet's own new version, its verbatim paragraphs held out) still link.
    assert len(set(cluster_stories(2, links).tolist())) == 1


def test_links_of_new_documents_are_those_of_a_full_run_that_touch_them():
    from tasks.link import strong_links

    docs = {"rail": RAIL, "flood": FLOOD, "rail-late": RAIL[1:], "flood-late": FLOOD[:4], "other": [QUOTE]}
    ids, index, sketches, fingerprints, shingles = rows(docs)
    new = np.array([False, False, True, True, True])
    full = link_documents(index, sketches, fingerprints, shingles, len(ids))
    part = link_documents(index, sketches, fingerprints, shingles, len(ids), new=new)
    strong = strong_links(full)
    expected = {(a, b) for a, b in zip(full.a[strong], full.b[strong], strict=True) if new[a] or new[b]}
    found = set(zip(part.a[strong_links(part)].tolist(), part.b[strong_links(part)].tolist(), strict=True))
    assert found == expected == {(0, 2), (1, 3)}


# Two reports of one event, written independently, both printing the same three quotes (a hard negative).
QUOTES = [
    '"This line will change how the whole north travels to work and to school," the minister said.',
    '"We have waited thirty years for a train and we will believe it when we see it," a farmer said.',
    '"The tender was rushed and the public deserves to see every document," the opposition leader said.',
]
REPORT_A = [
    "The government on Tuesday unveiled its long awaited plan for a railway across the northern plains.",
    "The project is the largest public works scheme in the region for a generation, officials say.",
    "Trains would run every half hour between the three market towns and the port at peak times.",
    "Local councils have spent years lobbying for a rail connection since the old branch line shut.",
    "Engineers will survey the route over the summer before the first contracts are signed in autumn.",
]
REPORT_B = [
    "Northern towns reacted with cautious hope after ministers approved funding for a new rail link.",
    "At a packed meeting in the town hall, residents queued to question transport officials for hours.",
    "Many farmers fear the route will cut across grazing land that their families have worked for decades.",
    "Business groups said faster freight to the harbour could bring new warehouses and hundreds of jobs.",
    "The transport department has promised a public consultation on the exact route early next year.",
]


def test_a_copy_cut_into_other_paragraphs_or_into_one_links_to_its_origin():
    sentences = RAIL + REPORT_A[:4]
    origin = [" ".join(sentences[k : k + 2]) for k in range(0, len(sentences), 2)]
    recut = [sentences[0]] + [" ".join(sentences[k : k + 2]) for k in range(1, len(sentences) - 1, 2)]
    recut.append(sentences[-1])
    docs = {"origin": origin, "recut": recut, "one-paragraph": [" ".join(sentences)], "flood": FLOOD}
    groups, _ = stories(docs)
    assert groups == [["flood"], ["one-paragraph", "origin", "recut"]]


def test_two_reports_sharing_three_quotes_stay_apart_however_they_are_cut():
    a = REPORT_A[:2] + QUOTES[:2] + REPORT_A[2:4] + QUOTES[2:] + REPORT_A[4:]
    b = REPORT_B[:1] + QUOTES + REPORT_B[1:]
    docs = {"a": a, "b": b, "b-one-paragraph": [" ".join(b)], "a-one-paragraph": [" ".join(a)]}
    groups, _ = stories(docs)
    assert groups == [["a", "a-one-paragraph"], ["b", "b-one-paragraph"]]


def test_a_corpus_without_body_paragraphs_links_nothing():
    empty = np.empty(0, dtype=np.int64)
    members = link_corpus(["a", "b"], [None, None], ["a", "b"], empty, np.empty((0, 0)), empty, np.empty(0))
    assert [m.n_members for m in members] == [1, 1]


def test_pairs_made_in_passes_and_kept_only_inside_linked_groups_change_no_link_and_no_story(monkeypatch):
    import tasks.link
    from tasks.link import group_stories, strong_links

    # Copies keeping different parts of their origin (weakly linked to each other, inside one group), a
    # digest of two stories (weak links across groups), and a quote shared with an unrelated text.
    docs = {
        "rail": RAIL,
        "first": RAIL[:4],
        "last": RAIL[2:],
        "ends": RAIL[:2] + RAIL[4:],
        "flood": FLOOD,
        "flood-copy": FLOOD[1:],
        "digest": RAIL[:4] + FLOOD[:4],
        "quoting": [QUOTE, FLOOD[0], "An unrelated closing line about the weather in the hills this week."],
        "quoted": [QUOTE, RAIL[5]],
    }
    ids, index, sketches, fingerprints, shingles = rows(docs)
    whole = link_documents(index, sketches, fingerprints, shingles, len(ids))
    monkeypatch.setattr(tasks.link, "_PASS", 2)  # a pass per two matched row pairs: many passes
    assert tasks.link.document_pairs(index, sketches, fingerprints, shingles, len(ids)).passes > 5
    in_passes = link_documents(index, sketches, fingerprints, shingles, len(ids))
    for field in dataclasses.fields(whole):
        assert np.array_equal(getattr(whole, field.name), getattr(in_passes, field.name)), field.name
    # What link_corpus leaves out (pairs that are no link, across linked groups) is there to leave out, and
    # its stories are those clustering every pair gives.
    label = cluster_stories(len(ids), whole)
    weak = ~strong_links(whole)
    assert (weak & (label[whole.a] == label[whole.b])).any() and (
        weak & (label[whole.a] != label[whole.b])
    ).any()
    published, sources = [None] * len(ids), [f"{d}.txt" for d in ids]
    expected = group_stories(ids, label, published, sources, index, fingerprints)
    assert link_corpus(ids, published, sources, index, sketches, fingerprints, shingles) == expected
    assert len({m.story_id for m in expected}) < len(ids)


def test_one_bands_keys_are_that_band_of_all_bands_keys():
    from tasks.link import band_keys

    sketches = minhash_batch([comparison_words(p) for p in RAIL + FLOOD])
    every = band_keys(sketches)
    assert all(np.array_equal(band_keys(sketches, band=b), every[:, b]) for b in range(every.shape[1]))


def test_band_keys_are_each_bands_values_hashed_in_order_modulo_two_to_the_64():
    """The key of a band is ((v0 * P + v1) * P + ...) + band * G, wrapped to 64 bits (P = 1,000,003, G the
    golden-ratio constant), for the banding of paragraphs, of whole texts and of one hash function each."""
    from tasks.link import LinkConfig, band_keys

    rng = np.random.default_rng(2)
    sketches = rng.integers(0, 2**32, (5, 64), dtype=np.uint64).astype(np.uint32)
    sketches[0] = 2**32 - 1  # the largest values: every step wraps
    for config in (LinkConfig(), LinkConfig(bands=21, rows=3), LinkConfig(bands=64, rows=1)):
        keys = band_keys(sketches, config)
        assert keys.dtype == np.uint64 and keys.shape == (5, config.bands)
        for row, values in enumerate(sketches.tolist()):
            for band in range(config.bands):
                key = 0
                for value in values[band * config.rows : (band + 1) * config.rows]:
                    key = key * 1_000_003 + value
                assert int(keys[row, band]) == (key + band * 0x9E3779B97F4A7C15) % 2**64
    assert band_keys(np.empty((0, 64), dtype=np.float64)).shape == (0, 16)


# Two wire stories of different events a day apart (the agency's Kandahar attack and its mosque bombings,
# issue 12's blind4 hard negative): the later one recalls the earlier one in the agency's standing background
# paragraphs, one verbatim and one lightly edited, and runs a sentence of it into paragraphs of its own.
BACKGROUND = [
    "Afghan forces have struggled to combat a resurgent insurgency since foreign troops formally ended their "
    "combat mission three years ago, switching to a training and support role.",
    "On Tuesday the insurgents unleashed a wave of attacks across the country, targeting police compounds "
    "and government offices with suicide bombers and killing at least seventy people, officials said.",
]


def test_two_stories_sharing_background_paragraphs_link_only_when_those_paragraphs_are_much_of_one():
    from tasks.link import strong_links

    earlier = [
        RAIL[0] + " " + FLOOD[0],
        RAIL[1] + " " + FLOOD[1],
        RAIL[2] + " " + FLOOD[2],
        RAIL[3] + " " + FLOOD[3],
        RAIL[4] + " " + FLOOD[4],
        BACKGROUND[0],
        BACKGROUND[1],
    ]
    later = [
        REPORT_A[0] + " " + RAIL[0],
        REPORT_A[1] + " " + FLOOD[1],
        REPORT_A[2] + " " + RAIL[2],
        REPORT_A[3] + " " + FLOOD[3],
        REPORT_A[4] + " " + RAIL[4],
        *REPORT_B,
        BACKGROUND[0],
        edit(BACKGROUND[1]),
    ]
    docs = {"earlier": earlier, "later": later}
    ids, index, sketches, fingerprints, shingles = rows(docs)
    links = link_documents(index, sketches, fingerprints, shingles, len(ids))
    # The bodies' overlap is estimated at half the shorter one (the sentences run into other paragraphs
    # count there), but the two paragraphs matched are a quarter of its shingles: no link.
    assert links.shared.tolist() == [2] and links.weight[0] >= 0.5
    assert links.matched[0] < LinkConfig().min_matched_share
    assert not strong_links(links).any()
    groups, _ = stories(docs)
    assert groups == [["earlier"], ["later"]]
    # The same two paragraphs as most of a short story (a brief that is the background): a link.
    docs = {"brief": [*BACKGROUND, RAIL[5]], "later": later}
    groups, _ = stories(docs)
    assert groups == [["brief", "later"]]


def test_a_short_rewrite_of_a_long_story_is_tested_on_its_containment_not_only_the_jaccard():
    from tasks.link import Links, WholeTexts, rewrite_pairs

    # A brief of 40 shingles beside its 400-shingle origin: their sketches agree in 3 of 64 places (Jaccard
    # about 0.05, under min_name_rewrite_jaccard), about half of the brief found in the origin.
    documents = np.arange(128, dtype=np.uint32).reshape(2, 64)
    documents[1, :3] = documents[0, :3]
    size = np.array([400.0, 40.0])
    nothing = np.empty((0, 2), dtype=np.int64)
    whole = WholeTexts(documents, size, nothing, np.empty(0), np.empty(0))
    empty = Links(*(np.empty(0, dtype=np.int64),) * 4)
    extra = np.array([[0, 1]])
    pairs, low = rewrite_pairs(empty, whole, 2, LinkConfig(), extra)
    assert pairs.tolist() == [[0, 1]] and low.tolist() == [True]
    jaccard_only = dataclasses.replace(LinkConfig(), min_cut_containment=1.1)
    assert rewrite_pairs(empty, whole, 2, jaccard_only, extra)[0].tolist() == []


def test_a_short_body_mostly_inside_a_long_one_is_a_candidate_by_containment_and_stock_values_pair_none():
    from tasks.link import WholeTexts, contained_document_pairs, document_similarity

    # Sketches of 64 values: document 1 (60 shingles) agrees with document 0 (300 shingles) in 12 places
    # (Jaccard about 0.19, containment about 0.89); document 2 (60) with document 0 in 3 (containment 0.25);
    # documents 3 to 14 share one value (stock text: a bucket of 12, over max_bucket) and nothing else.
    documents = np.arange(15 * 64, dtype=np.uint32).reshape(15, 64)
    documents[1, :12] = documents[0, :12]
    documents[2, 20:23] = documents[0, 20:23]
    documents[3:, 40] = 7
    size = np.array([300.0, 60.0, 60.0] + [60.0] * 12)
    contained, _ = document_similarity(np.array([0, 0]), np.array([1, 2]), documents, size)
    assert contained[0] > 0.8 and contained[1] < 0.3

    def search(paragraphs: dict[int, int], config: LinkConfig = LinkConfig(), sizes=size) -> list:
        """The pairs found, given each document's number of body paragraphs."""
        doc_index = np.repeat(np.arange(15), [paragraphs[d] for d in range(15)])
        whole = WholeTexts(documents, sizes, np.empty((0, 2), np.int64), np.empty(0), np.empty(0))
        return contained_document_pairs(whole, doc_index, config).tolist()

    three = dict.fromkeys(range(15), 3)
    assert search(three) == [[0, 1]]
    assert search(three, LinkConfig(min_candidate_containment=0.2)) == [[0, 1], [0, 2]]
    # Below `min_text_shingles` a body takes no part.
    assert search(three, sizes=np.r_[300.0, 20.0, size[2:]]) == []
    # Document 1 in one or two paragraphs: a passage inside a longer story, not a retelling of it; the longer
    # one may be one paragraph (a text printed as one block).
    assert search(three | {1: 1}) == [] and search(three | {1: 2}) == []
    assert search(three | {1: 2}, LinkConfig(min_contained_paragraphs=2)) == [[0, 1]]
    assert search(three | {0: 1}) == [[0, 1]]


def test_places_in_a_sorted_array_tell_what_isin_tells():
    """places_in's binary search gives np.isin's membership and the first place of each value found, for
    values before, between, equal to and after the sorted keys, repeated values and repeated keys."""
    from tasks.link import places_in

    rng = np.random.default_rng(7)
    for n, m in ((0, 5), (1, 4), (50, 0), (200, 300), (1000, 50)):
        ordered = np.sort(rng.integers(-40, 400, n))
        values = rng.integers(-60, 420, m)
        at, found = places_in(ordered, values)
        assert (found == np.isin(values, ordered)).all()
        assert (at[found] == np.searchsorted(ordered, values[found])).all()
        assert (ordered[at[found]] == values[found]).all()


def test_distinct_counts_from_one_packed_sort_are_lexsorts():
    """_distinct_counts sorts rows by one packed key when group and value fit in 63 bits together, else by
    lexsort: the groups, counts and weight sums are the same either way (repeated rows, one group, values too
    wide to pack)."""
    import tasks.link as link

    rng = np.random.default_rng(5)
    cases = [
        (rng.integers(0, 50, 3000), rng.integers(0, 40, 3000)),
        (np.zeros(100, np.int64), rng.integers(0, 5, 100)),
        (rng.integers(0, 1 << 40, 2000), rng.integers(0, 1 << 30, 2000)),  # 70 bits: lexsort
        (np.zeros(0, np.int64), np.zeros(0, np.int64)),
    ]
    for group, value in cases:
        weight = rng.random(int(value.max(initial=0)) + 1)
        order = np.lexsort((value, group))
        g, v = group[order], value[order]
        new = np.r_[True, (g[1:] != g[:-1]) | (v[1:] != v[:-1])][: len(g)]
        g, v = g[new], v[new]
        start = np.flatnonzero(np.r_[True, g[1:] != g[:-1]][: len(g)])
        keys, counts, sums = link._distinct_counts(group, value, weight)
        assert keys.tolist() == g[start].tolist()
        assert counts.tolist() == np.diff(np.r_[start, len(g)]).tolist()
        assert sums.tolist() == (np.add.reduceat(weight[v], start) if len(start) else np.zeros(0)).tolist()
