"""Linking out of core: band keys grouped in parts on disk give the candidate pairs grouping them in memory
gives; sketches read a block at a time from a file give the links of the sketches held whole; and
find_stories reading the wide columns (sketches, names) from the Parquet files a row group at a time gives
the stories and flags of whole tables, leaving nothing behind in its scratch folder."""

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import tasks.link
from tasks.link import candidate_paragraph_pairs, link_documents
from tasks.stories import WIDE_COLUMNS, find_stories, picked_from_chunks, read_link_tables, sketch_file
from tests.tasks.test_evidence import mixed_corpus, outcome
from tests.tasks.test_link import FLOOD, RAIL, edit, rows


def small_parts(monkeypatch) -> None:
    """Parts of a few keys and blocks of a few rows, so a small corpus takes the out-of-core paths."""
    monkeypatch.setattr(tasks.link, "_PARTITION", 64)
    monkeypatch.setattr(tasks.link, "_MAPPED_STEP", 5)
    monkeypatch.setattr(tasks.link, "_REGION", 3 * 64 * 4)  # a mapped file's gathers: three rows a region


def test_band_keys_grouped_in_parts_on_disk_give_the_pairs_of_grouping_them_in_memory(tmp_path, monkeypatch):
    rng = np.random.default_rng(7)
    # Few distinct values: buckets of every size (crowded ones too), and pairs meeting in many bands.
    sketches = rng.integers(0, 6, size=(1500, 64), dtype=np.uint32)
    fresh = rng.random(len(sketches)) < 0.3
    whole = candidate_paragraph_pairs(sketches)
    whole_fresh = candidate_paragraph_pairs(sketches, fresh=fresh)
    assert len(whole) > 1000 and len(whole_fresh) < len(whole)
    written = []
    real_append = tasks.link._Spill._append

    def append(spill, part, values):
        written.append(spill.on_disk)
        real_append(spill, part, values)

    monkeypatch.setattr(tasks.link._Spill, "_append", append)
    small_parts(monkeypatch)
    scratch = tmp_path / "scratch"
    in_parts = candidate_paragraph_pairs(sketches, scratch=scratch)
    assert all(written) and written  # every key and pair went through a file
    assert np.array_equal(in_parts, whole)  # the same pairs, in the same (p, q) order
    assert np.array_equal(candidate_paragraph_pairs(sketches, fresh=fresh, scratch=scratch), whole_fresh)
    assert list(scratch.iterdir()) == []  # its files are removed


def test_sketches_read_a_block_at_a_time_from_a_file_link_as_sketches_held_whole(tmp_path, monkeypatch):
    docs = {
        "origin": RAIL,
        "edited": RAIL[:2] + [edit(RAIL[2])] + RAIL[3:],
        "truncated": RAIL[:3],
        "flood": FLOOD,
        "flood-copy": FLOOD[:4],
    }
    ids, index, sketches, fingerprints, shingles = rows(docs)
    held = link_documents(index, sketches, fingerprints, shingles, len(ids))
    path = tmp_path / "sketches.u32"
    sketches.astype(np.uint32).tofile(path)
    mapped = np.memmap(path, dtype=np.uint32, mode="r", shape=sketches.shape)
    assert tasks.link.is_mapped(mapped) and not tasks.link.is_mapped(sketches)
    small_parts(monkeypatch)
    from_file = link_documents(index, mapped, fingerprints, shingles, len(ids), scratch=tmp_path / "scratch")
    assert len(held) > 2
    for name in ("a", "b", "weight", "shared", "rarity", "verbatim", "jaccard"):
        assert np.array_equal(getattr(from_file, name), getattr(held, name)), name


def test_rows_gathered_a_region_of_the_mapped_file_at_a_time_are_the_rows_asked_for(tmp_path, monkeypatch):
    rng = np.random.default_rng(3)
    sketches = rng.integers(0, 2**32, size=(50, 64), dtype=np.uint32)
    path = tmp_path / "sketches.u32"
    sketches.tofile(path)
    mapped = np.memmap(path, dtype=np.uint32, mode="r", shape=sketches.shape)
    small_parts(monkeypatch)
    released = []
    real_released = tasks.link.released
    monkeypatch.setattr(tasks.link, "released", lambda s: released.append(1) or real_released(s))
    rows = rng.integers(0, len(sketches), size=40)  # in no order, repeats too, over all 17 regions
    gathered = tasks.link.gathered(mapped, rows)
    assert np.array_equal(gathered, sketches[rows]) and not tasks.link.is_mapped(gathered)
    assert len(released) == len(set((rows // 3).tolist()))  # the file's pages let go after each region
    assert tasks.link.gathered(mapped, rows[:0]).shape == (0, 64)
    # The first columns only (the quarter of a sketch that rules most candidates out), as from held rows.
    assert np.array_equal(tasks.link.gathered(mapped, rows, 16), sketches[rows, :16])
    assert tasks.link.gathered(mapped, rows[:0], 16).shape == (0, 16)
    # Verifying pairs from the file keeps the pairs verifying them held whole keeps, in order.
    near = sketches.copy()
    near[1::2, :40] = near[::2, :40]  # odd rows agree with the even row before them on 40 of 64
    near.tofile(path)
    mapped = np.memmap(path, dtype=np.uint32, mode="r", shape=near.shape)
    pairs = np.sort(rng.integers(0, len(near), size=(300, 2)), axis=1)
    pairs = np.concatenate([pairs, np.stack([np.arange(0, 50, 2), np.arange(1, 50, 2)], axis=1)])
    kept = tasks.link.verify_paragraph_pairs(pairs, near)
    assert len(kept) >= 25
    assert np.array_equal(tasks.link.verify_paragraph_pairs(pairs, mapped), kept)


def test_find_stories_reads_sketches_and_names_from_the_files_and_finds_what_whole_tables_give(
    tmp_path, monkeypatch
):
    docs, paras = mixed_corpus()
    expected = outcome(*find_stories(docs, paras))
    half = paras.num_rows // 2
    files = [tmp_path / "p0.parquet", tmp_path / "p1.parquet"]
    pq.write_table(paras[:half], files[0], row_group_size=7)
    pq.write_table(paras[half:], files[1], row_group_size=5)
    pq.write_table(docs, tmp_path / "d0.parquet")
    read_docs, read_paras = read_link_tables([tmp_path / "d0.parquet"], files, wide=False)
    assert not set(WIDE_COLUMNS) & set(read_paras.column_names)  # left in the files
    small_parts(monkeypatch)
    scratch = tmp_path / "staging" / "link"
    members, flagged = find_stories(read_docs, read_paras, evidence=files, scratch=scratch)
    assert outcome(members, flagged) == expected
    assert list(scratch.iterdir()) == []  # the sketch file and the grouped keys are removed
    with pytest.raises(ValueError, match=r"hold \d+ rows, the paragraphs table \d+"):
        find_stories(read_docs, read_paras, evidence=files[:1])


def test_a_narrow_row_map_over_files_in_another_order_finds_what_whole_tables_give(tmp_path, monkeypatch):
    """The run maps each row of the files to its place in the corpus (evidence_rows, 4 bytes a row since
    mem200): files holding the rows in another order, with rows of documents not in the corpus, read through
    an int32 map give the stories and flags of whole tables."""
    docs, paras = mixed_corpus()
    expected = outcome(*find_stories(docs, paras))
    order = np.random.default_rng(3).permutation(paras.num_rows)
    stray = paras.slice(0, 4).set_column(0, "doc_id", pa.array(["elsewhere"] * 4))  # rows of no document
    files = [tmp_path / "p0.parquet", tmp_path / "p1.parquet"]
    pq.write_table(paras.take(order[: len(order) // 2]), files[0], row_group_size=6)
    pq.write_table(
        pa.concat_tables([stray, paras.take(order[len(order) // 2 :])]), files[1], row_group_size=4
    )
    narrow = paras.drop_columns(list(WIDE_COLUMNS))
    rows = np.concatenate([order[: len(order) // 2], [-1] * 4, order[len(order) // 2 :]]).astype(np.int32)
    small_parts(monkeypatch)
    members, flagged = find_stories(docs, narrow, evidence=files, evidence_rows=rows, scratch=tmp_path / "s")
    assert rows.dtype == np.int32 and outcome(members, flagged) == expected


def test_the_sketch_file_holds_the_rows_asked_for_in_order(tmp_path):
    _, paras = mixed_corpus()
    column = paras.column("minhash")
    wanted = np.array([0, 3, 4, paras.num_rows - 1])
    mapped = sketch_file(picked_from_chunks(column.chunks, wanted), len(wanted), tmp_path / "s.u32")
    assert np.array_equal(np.asarray(mapped), np.array(column.take(wanted).to_pylist(), dtype=np.uint32))
    none = np.array([], dtype=np.int64)
    assert sketch_file(picked_from_chunks(column.chunks, none), 0, tmp_path / "e.u32").shape == (0, 64)


def test_matched_rows_made_a_step_at_a_time_are_those_made_at_once(monkeypatch):
    rng = np.random.default_rng(3)
    text_of = rng.integers(0, 3000, 20000)
    doc_index = np.sort(rng.integers(0, 2000, 20000))
    near = np.unique(np.sort(rng.integers(0, 3000, (5000, 2)), axis=1), axis=0)
    near = near[near[:, 0] != near[:, 1]]
    at_once = tasks.link.matched_rows(near, text_of, doc_index)
    monkeypatch.setattr(tasks.link, "_CHUNK", 50)
    assert len(at_once) > 1000
    assert np.array_equal(tasks.link.matched_rows(near, text_of, doc_index), at_once)


def test_furniture_and_rare_names_found_in_parts_are_those_found_at_once(monkeypatch):
    import tasks.outlet_repeats
    import tasks.stories
    from tasks.stories import Names, name_candidate_pairs, repeated_in_outlet_rows

    rng = np.random.default_rng(5)
    n_rows = 5000
    outlet = rng.integers(-1, 4, n_rows)
    group = rng.integers(0, 300, n_rows)
    fingerprint = rng.integers(-(2**62), 2**62, 400)[rng.integers(0, 400, n_rows)]
    repeated = repeated_in_outlet_rows(outlet, group, fingerprint)
    # Each document's names: a few common ones (in over max_name_documents documents) and rare ones of its
    # story, so near documents share rare names and the name LSH has pairs to find.
    vocabulary = rng.integers(0, 2**63, 3000).astype(np.uint64)
    lists = []
    for d in range(400):
        story = rng.integers(0, 2900, 12) if d % 2 == 0 else lists[-1][:12]
        lists.append(np.r_[story, rng.integers(2900, 3000, 6)])
    hashes = np.concatenate([vocabulary[k] for k in lists])
    names = Names(hashes, np.r_[0, np.cumsum([len(k) for k in lists])].astype(np.int64))
    pairs = name_candidate_pairs(names)
    assert repeated.any() and not repeated.all() and len(pairs) >= 150
    monkeypatch.setattr(tasks.outlet_repeats, "_ROWS_PART", 700)
    monkeypatch.setattr(tasks.stories, "_NAMES_PART", 500)
    assert np.array_equal(repeated_in_outlet_rows(outlet, group, fingerprint), repeated)
    assert np.array_equal(name_candidate_pairs(names), pairs)


def test_release_templates_found_a_run_of_keys_at_a_time_are_those_found_at_once(monkeypatch):
    import pyarrow as pa

    import tasks.stories
    from tasks.boilerplate import release_template_rows

    rng = np.random.default_rng(11)
    n_rows = 6000
    doc_index = np.sort(rng.integers(0, 600, n_rows))
    outlet = rng.integers(-1, 3, 600)[doc_index]
    story = rng.integers(0, 150, 600)[doc_index]
    # Most keys one outlet's own (a template it prints), some shared; 0: no template key.
    own = (outlet + 2) * 100 + rng.integers(0, 30, n_rows)
    key = np.where(rng.random(n_rows) < 0.8, own, rng.integers(-40, 40, n_rows)) * (rng.random(n_rows) < 0.7)
    flag = rng.random(n_rows) < 0.1
    paras = pa.table({"template_key": key, "para_idx": np.arange(n_rows) % 25})
    found = tasks.stories.template_rows(paras, outlet, story, doc_index, flag)
    assert found.any() and not found.all()
    lead = np.zeros(n_rows, dtype=bool)  # the rows no rule flags that open their document (para_idx order)
    first = np.flatnonzero(~flag)
    lead[first[np.r_[True, doc_index[first][1:] != doc_index[first][:-1]]]] = True
    assert np.array_equal(found, release_template_rows(outlet, story, key, lead))  # at once
    monkeypatch.setattr(tasks.stories, "_TEMPLATE_PART", 97)
    assert np.array_equal(tasks.stories.template_rows(paras, outlet, story, doc_index, flag), found)


def _templates_counted_per_row(outlet, story, key, lead, facts, min_stories):
    """release_template_rows' rule read literally, row by row: the oracle of its numpy form."""
    copies, printed, stories, told = {}, {}, {}, {}
    for r in range(len(key)):
        if key[r] != 0:
            copies[key[r]] = copies.get(key[r], 0) + 1
        if outlet[r] < 0 or key[r] == 0:
            continue
        pair = (outlet[r], key[r])
        printed[pair] = printed.get(pair, 0) + 1
        if not lead[r]:
            stories.setdefault(pair, set()).add(story[r])
            if facts is not None and facts[r] != 0:
                told.setdefault(pair, set()).add(facts[r])
    out = np.zeros(len(key), dtype=bool)
    for r in range(len(key)):
        pair = (outlet[r], key[r])
        seen, filled = stories.get(pair, set()), told.get(pair, set())
        out[r] = (
            outlet[r] >= 0
            and key[r] != 0
            and (len(seen) >= min_stories or (len(seen) >= 2 and len(filled) >= 2))
            and 2 * printed[pair] >= copies[key[r]]
        )
    return out


@pytest.mark.parametrize("with_facts", [False, True])
def test_release_templates_are_the_rule_read_row_by_row(with_facts):
    from tasks.boilerplate import BoilerplateConfig, release_template_rows

    rng = np.random.default_rng(5)
    n_rows = 4000
    outlet = rng.integers(-1, 4, n_rows)
    story = rng.integers(0, 60, n_rows)
    # Most keys one outlet's own, some printed by every outlet; 0: no template key.
    own = (outlet + 2) * 100 + rng.integers(0, 40, n_rows)
    key = np.where(rng.random(n_rows) < 0.7, own, rng.integers(-20, 20, n_rows)) * (rng.random(n_rows) < 0.8)
    lead = rng.random(n_rows) < 0.2
    facts = rng.integers(0, 3, n_rows) if with_facts else None
    found = release_template_rows(outlet, story, key, lead, facts=facts)
    assert found.any() and not found.all()
    expected = _templates_counted_per_row(
        outlet, story, key, lead, facts, BoilerplateConfig().min_stories_template
    )
    assert np.array_equal(found, expected)


def test_document_names_are_each_documents_names_in_reading_order_however_the_picks_come():
    import pyarrow as pa

    from tasks.stories import document_names

    rng = np.random.default_rng(13)
    n_rows, n_docs = 3000, 200
    # Rows of one document apart (a run reads stored files and staged parts), some rows with no names or a
    # null list, documents without body rows.
    doc_index = rng.integers(0, n_docs - 5, n_rows)
    body = np.sort(rng.choice(n_rows, 2000, replace=False))
    lists = [
        None if k % 97 == 0 else rng.integers(0, 2**63, rng.integers(0, 9)).astype(np.uint64).tolist()
        for k in range(len(body))
    ]
    expected = [[] for _ in range(n_docs)]
    for rank, row in enumerate(body):  # reading order: the rows ascending
        expected[doc_index[row]] += lists[rank] or []
    # Picks as a row group of the files at a time, in an order of their own (the files' rows are not the
    # table's rows in order).
    ranks = rng.permutation(len(body))
    picks = [
        (np.sort(part), pa.array([lists[k] for k in np.sort(part)], pa.list_(pa.uint64())))
        for part in np.array_split(ranks, 7)
    ]
    names = document_names(iter(picks), doc_index, body, n_docs)
    assert [names.of(d) for d in range(n_docs)] == expected
    assert names.starts[-1] == sum(len(k) for k in expected) > 5000
    assert names.hashes.dtype == np.uint64 and names.starts.dtype == np.int64
    empty = document_names(iter([]), doc_index, body[:0], n_docs)
    assert len(empty.hashes) == 0 and list(empty.starts) == [0] * (n_docs + 1)


def test_versions_sources_found_a_part_of_stories_at_a_time_are_those_found_at_once(monkeypatch):
    from tasks.link import copied_from

    rng = np.random.default_rng(17)
    n_docs = 900
    label = rng.integers(0, 120, n_docs)  # stories of every size, singletons too
    version = np.zeros(n_docs, dtype=np.int64)
    for story in np.unique(label):
        members = np.flatnonzero(label == story)
        version[members] = rng.permutation(len(members))
    doc_index = np.sort(rng.integers(0, n_docs, 12000))
    # A story's texts: each document prints some of a few dozen, and a few it shares with no one.
    fingerprints = label[doc_index] * 1000 + rng.integers(0, 40, len(doc_index))
    own = rng.random(len(doc_index)) < 0.1
    fingerprints[own] = -rng.integers(1, 2**40, own.sum())
    at_once = copied_from(label, version, doc_index, fingerprints)
    assert (at_once >= 0).sum() > 500 and (at_once == -1).any()
    assert (version[at_once[at_once >= 0]] < version[at_once >= 0]).all()
    monkeypatch.setattr(tasks.link, "_STORY_ROWS", 700)
    assert np.array_equal(copied_from(label, version, doc_index, fingerprints), at_once)


def test_matched_shares_found_a_part_of_pairs_at_a_time_are_those_found_at_once(monkeypatch):
    from tasks.link import matched_share

    rng = np.random.default_rng(19)
    n_docs = 300
    doc_index = np.sort(rng.integers(0, n_docs, 6000))
    shingle_counts = rng.integers(1, 80, len(doc_index)).astype(np.float64)
    # Row pairs of other documents, some rows matched twice in one other document, some pairs repeated.
    pairs = rng.integers(0, len(doc_index), (20000, 2))
    pairs = pairs[doc_index[pairs[:, 0]] != doc_index[pairs[:, 1]]]
    pairs = np.concatenate([pairs, pairs[:500], pairs[:300, ::-1]])
    keys, share = matched_share(doc_index, pairs, shingle_counts, n_docs)
    assert len(keys) > 5000 and (np.diff(keys) > 0).all() and (share > 0).all() and (share <= 1).all()
    monkeypatch.setattr(tasks.link, "_PASS", 1500)
    in_parts = matched_share(doc_index, pairs, shingle_counts, n_docs)
    assert np.array_equal(in_parts[0], keys) and np.array_equal(in_parts[1], share)


def test_verified_overlaps_found_a_part_of_pairs_at_a_time_are_those_found_at_once(monkeypatch):
    from dataclasses import fields

    from tasks.link import document_overlaps, verified_overlaps

    rng = np.random.default_rng(23)
    n_docs = 300
    doc_index = np.sort(rng.integers(0, n_docs, 6000))
    spread = rng.integers(1, 60, len(doc_index)).astype(np.float64)  # stock rows weigh less
    pairs = rng.integers(0, len(doc_index), (20000, 2))
    pairs = pairs[doc_index[pairs[:, 0]] != doc_index[pairs[:, 1]]]
    pairs = np.concatenate([pairs, pairs[:400]])
    at_once = document_overlaps(doc_index, pairs, n_docs, 20, spread)
    assert len(at_once) > 5000 and (at_once.rarity < 1).any()
    monkeypatch.setattr(tasks.link, "_PASS", 1500)
    in_parts = verified_overlaps(doc_index, pairs, n_docs, 20, spread)
    for field in fields(at_once):
        assert np.array_equal(getattr(in_parts, field.name), getattr(at_once, field.name)), field.name


def _paragraphs_in_common_pair_by_pair(a, b, doc_index, sketches, config=tasks.link.LinkConfig()):
    """paragraphs_in_common as it was before cpu4: every row pair's two sketch rows gathered for it."""
    order = np.argsort(doc_index, kind="stable")
    count = np.bincount(doc_index, minlength=int(max(a.max(initial=-1), b.max(initial=-1)) + 1))
    start = np.cumsum(count) - count
    total = count[a] * count[b]
    chunk = tasks.link._CHUNK
    bounds = np.searchsorted(np.cumsum(total), np.arange(chunk, int(total.sum()), chunk), side="right")
    found = [np.empty((0, 2), dtype=np.int64)]
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(a)], strict=True):
        x, y, t = a[lo:hi], b[lo:hi], total[lo:hi]
        k = np.repeat(np.arange(len(x)), t)
        step = np.arange(int(t.sum())) - np.repeat(np.cumsum(t) - t, t)
        cb = count[y][k]
        rows = np.stack([order[start[x][k] + step // cb], order[start[y][k] + step % cb]], axis=1)
        found.append(tasks.link.verify_paragraph_pairs(rows, sketches, config))
    return np.concatenate(found)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_paragraphs_in_common_from_each_steps_held_rows_match_those_of_gathering_every_pair(
    tmp_path, monkeypatch, seed
):
    """Generated documents (shuffled rows, documents of 0 to 30 paragraphs, copies with some rows edited) and
    document pairs in no order, repeats too: the same row pairs in the same order, from sketches held and from
    a mapped file, in steps of any size."""
    rng = np.random.default_rng(seed)
    n_docs = 40
    sizes = rng.integers(0, 31, size=n_docs)
    doc_index = rng.permutation(np.repeat(np.arange(n_docs), sizes))
    sketches = rng.integers(0, 2**32, size=(len(doc_index), 64), dtype=np.uint32)
    # Documents 2k + 1 copy document 2k's rows where they have them, a row of three edited on 20 of 64.
    for d in range(0, n_docs, 2):
        src, dst = np.flatnonzero(doc_index == d), np.flatnonzero(doc_index == d + 1)
        m = min(len(src), len(dst))
        sketches[dst[:m]] = sketches[src[:m]]
        sketches[dst[:m:3], :20] = rng.integers(0, 2**32, size=(len(dst[:m:3]), 20), dtype=np.uint32)
    a = rng.integers(0, n_docs, size=60)
    b = rng.integers(0, n_docs, size=60)
    a, b = np.r_[a[a != b], np.arange(0, n_docs, 2)], np.r_[b[a != b], np.arange(1, n_docs, 2)]
    expected = _paragraphs_in_common_pair_by_pair(a, b, doc_index, sketches)
    assert len(expected) > 50
    assert np.array_equal(tasks.link.paragraphs_in_common(a, b, doc_index, sketches), expected)
    path = tmp_path / "sketches.u32"
    sketches.tofile(path)
    mapped = np.memmap(path, dtype=np.uint32, mode="r", shape=sketches.shape)
    small_parts(monkeypatch)
    for chunk, held_rows in ((1 << 20, 1 << 15), (200, 1 << 15), (1 << 20, 40), (7, 3)):
        monkeypatch.setattr(tasks.link, "_CHUNK", chunk)
        monkeypatch.setattr(tasks.link, "_HELD_ROWS", held_rows)
        for given in (sketches, mapped):
            found = tasks.link.paragraphs_in_common(a, b, doc_index, given)
            assert found.dtype == expected.dtype and np.array_equal(found, expected), (chunk, held_rows)
    empty = np.empty(0, dtype=np.int64)
    assert tasks.link.paragraphs_in_common(empty, empty, doc_index, sketches).shape == (0, 2)


@pytest.mark.parametrize("width", [0, 7, 8, 16, 24, 64, 248, 256, 264])
def test_agreements_count_the_equal_columns_of_each_row_as_summing_the_comparison_does(width):
    rng = np.random.default_rng(width)
    # Few values: rows equal nowhere, everywhere and anywhere between; the last rows wholly equal.
    x = rng.integers(0, 3, size=(500, width), dtype=np.uint32)
    y = rng.integers(0, 3, size=(500, width), dtype=np.uint32)
    y[-20:] = x[-20:]
    expected = (x == y).sum(axis=1)
    found = tasks.link.agreements(x, y)
    assert found.dtype == np.int64 and np.array_equal(found, expected)
    if width:
        assert expected.max() == width
    # Columns picked from wider rows (not contiguous), and no rows at all.
    assert np.array_equal(tasks.link.agreements(x[:, ::2], y[:, ::2]), (x[:, ::2] == y[:, ::2]).sum(axis=1))
    assert tasks.link.agreements(x[:0], y[:0]).shape == (0,)


def test_document_similarity_from_agreements_is_the_mean_of_equal_columns_to_the_bit():
    rng = np.random.default_rng(11)
    documents = rng.integers(0, 4, size=(300, 64), dtype=np.uint32)
    documents[150:] = documents[:150]  # copies, and copies edited on a few columns
    documents[150::2, :5] += 1
    size = rng.integers(1, 400, size=300).astype(np.int64)
    a, b = rng.integers(0, 300, size=2000), rng.integers(0, 300, size=2000)
    a, b = np.r_[a, np.arange(150)], np.r_[b, np.arange(150, 300)]
    containment, jaccard = tasks.link.document_similarity(a, b, documents, size)
    j = (documents[a] == documents[b]).mean(axis=1)  # what it was before cpu4
    common = j * (size[a] + size[b]) / (1 + j)
    assert np.array_equal(jaccard, j) and jaccard.max() == 1.0
    assert np.array_equal(containment, np.minimum(common / np.maximum(np.minimum(size[a], size[b]), 1), 1.0))


def test_verbatim_overlaps_a_part_at_a_time_count_what_document_overlaps_counts_of_all_pairs_at_once(
    monkeypatch,
):
    from tasks.link import document_overlaps, verbatim_overlaps

    rng = np.random.default_rng(29)
    n_docs = 300
    doc_index = np.sort(rng.integers(0, n_docs, 6000))
    # Row pairs of other documents either way round, some rows matched twice in one other document, some
    # pairs repeated: a paragraph counts once per document pair.
    pairs = rng.integers(0, len(doc_index), (20000, 2))
    pairs = pairs[doc_index[pairs[:, 0]] != doc_index[pairs[:, 1]]]
    pairs = np.concatenate([pairs, pairs[:400], pairs[:300, ::-1]])
    at_once = document_overlaps(doc_index, pairs, n_docs)
    assert len(at_once) > 5000 and (at_once.shared > 1).any() and (at_once.weight < 1).any()
    whole = verbatim_overlaps(doc_index, pairs, n_docs)
    monkeypatch.setattr(tasks.link, "_PASS", 1500)
    in_parts = verbatim_overlaps(doc_index, pairs, n_docs)
    for found in (whole, in_parts):
        for field in ("a", "b", "weight", "shared"):
            assert np.array_equal(getattr(found, field), getattr(at_once, field)), field
    none = verbatim_overlaps(doc_index, pairs[:0], n_docs)
    assert len(none) == 0 and len(none.shared) == 0
