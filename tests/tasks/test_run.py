"""The run's one rule for what is redone: a shard step whose staged part for the same inputs and the same step
configuration exists is not run again; a changed file or a changed configuration makes a new key."""

import os
import random
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

import tasks.run
from tasks.align import AlignConfig
from tasks.ingest import discover_inputs
from tasks.partition import partition_rows, read_partition
from tasks.run import ALIGN_STEP, prepare_shard, read_inputs_of, run, step_version
from tasks.warehouse import SCHEMAS, read_table
from tests.conftest import SEEDS, write_corpus


def test_a_step_version_follows_its_configuration():
    fates = str(SCHEMAS["paragraph_fates"])
    assert step_version("align", fates, AlignConfig()) == ALIGN_STEP
    assert step_version("align", fates, replace(AlignConfig(), near_min=0.31)) != ALIGN_STEP


def test_a_prepared_shard_is_reused_only_for_the_same_files_and_configuration(tmp_path, monkeypatch):
    items, _ = discover_inputs([SEEDS])
    staging = tmp_path / "staging"
    first = prepare_shard(staging, items, {})
    assert not first.reused and first.documents == 2 and Path(first.folder).is_dir()
    again = prepare_shard(staging, items, {})
    assert again.reused and again.folder == first.folder and again.inputs == first.inputs
    # The staged part is what preparing made: the same rows as preparing once more into another folder.
    fresh = prepare_shard(tmp_path / "other", items, {})
    for name in ("documents", "paragraphs"):
        assert pq.read_table(Path(fresh.folder) / f"{name}.parquet").equals(
            pq.read_table(Path(first.folder) / f"{name}.parquet")
        )
    monkeypatch.setattr(tasks.run, "PREPARE_STEP", "prepare-another-threshold")
    changed = prepare_shard(staging, items, {})
    assert not changed.reused and changed.folder != first.folder


def test_a_shard_hands_its_inputs_rows_to_the_run_as_one_arrow_table(tmp_path):
    # The run keeps every shard's rows to the commit: a table of the `inputs` schema, not a dict a file, and
    # the same when the shard is reused from its meta.json.
    items, _ = discover_inputs([SEEDS])
    first = prepare_shard(tmp_path / "staging", items, {})
    again = prepare_shard(tmp_path / "staging", items, {})
    assert first.inputs.schema.equals(SCHEMAS["inputs"]) and again.reused
    assert first.inputs.num_rows == len(items) and again.inputs.equals(first.inputs)
    assert sorted(first.inputs.column("source").to_pylist()) == sorted(i.source for i in items)
    # Files that failed are not the run's inputs rows; nothing read gives an empty table of the same schema.
    failed = {(items[0].root, items[0].source)}
    kept = read_inputs_of([first, again], failed)
    assert kept.num_rows == 2 * (len(items) - 1) and items[0].source not in kept.column("source").to_pylist()
    assert read_inputs_of([], set()).schema.equals(SCHEMAS["inputs"])


def test_a_changed_file_makes_a_new_key_and_unchanged_files_need_no_part(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text((SEEDS / "000_428487f81ed86623.txt").read_text(encoding="utf-8"))
    items, _ = discover_inputs([folder])
    staging = tmp_path / "staging"
    first = prepare_shard(staging, items, {})
    (folder / "a.txt").write_text(
        "Another text altogether, written later.\n\nWith a second paragraph in it.\n"
    )
    second = prepare_shard(staging, items, {})
    assert not second.reused and second.folder != first.folder
    known = {
        (r["root"], r["source"]): (r["content_hash"], r["metadata_hash"], r["pipeline_version"])
        for r in second.inputs.to_pylist()
    }
    idle = prepare_shard(staging, items, known)
    assert idle.folder is None and idle.unchanged == [(items[0].root, "a.txt")]


def test_a_shard_hashes_each_file_once_and_reads_what_it_hashed(tmp_path, monkeypatch):
    # The key needs each file's hash, and so do its `inputs` rows: one hash serves both.
    import tasks.changes

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text((SEEDS / "000_428487f81ed86623.txt").read_text(encoding="utf-8"))
    (folder / "gone.txt").write_text("A file that is deleted before the shard is prepared.\n")
    items, _ = discover_inputs([folder])
    (folder / "gone.txt").unlink()
    hashed: list[Path] = []
    real = tasks.changes.file_hash

    def counted(path: Path):
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(tasks.changes, "file_hash", counted)
    shard = prepare_shard(tmp_path / "staging", items, {})
    assert sorted(hashed) == sorted(item.path for item in items)
    row = shard.inputs.to_pylist()[0]
    assert shard.inputs.num_rows == 1 and (row["content_hash"], row["size"]) == real(folder / "a.txt")[:2]
    # A file that could not be hashed is refused as it was when read_changed hashed it itself.
    alone = tasks.changes.read_changed(items, {}, "v1")
    assert shard.rejects == alone.rejects and shard.failed == alone.failed == [(items[1].root, "gone.txt")]


def test_shards_of_every_size_give_the_same_warehouse(tmp_path):
    inputs = [str(write_corpus(tmp_path / "in")), str(SEEDS)]
    run(inputs, str(tmp_path / "one"))
    run(inputs, str(tmp_path / "many"), tasks.run.RunOptions(files_per_shard=2, stories_per_shard=1))
    for name in ("documents", "paragraphs", "story_members", "paragraph_fates", "rejects", "inputs"):
        one, many = (read_table(tmp_path / w, name) for w in ("one", "many"))
        if name == "inputs":  # when each file was seen is an observation of the run, not of the inputs
            one, many = one.drop_columns(["mtime_ns"]), many.drop_columns(["mtime_ns"])
        assert one.num_rows > 0 or name == "rejects"
        assert one.equals(many), name


def test_linking_reads_the_wide_columns_from_a_file_in_corpus_order_with_the_same_result(
    tmp_path, monkeypatch
):
    """The run links with the sketches and names in a file (written from the stored files and staged parts in
    the corpus's row order), not in memory: the same warehouse as linking them held, also when a second run
    replaces a file and adds one."""
    first = write_corpus(tmp_path / "in")
    more = tmp_path / "more"
    more.mkdir()
    (more / "x.txt").write_text((SEEDS / "000_428487f81ed86623.txt").read_text(encoding="utf-8"))
    given = []
    real_find = tasks.run.find_stories

    def spy(docs, paras, **kwargs):
        given.append((kwargs.get("evidence"), "minhash" in paras.column_names))
        return real_find(docs, paras, **kwargs)

    monkeypatch.setattr(tasks.run, "find_stories", spy)
    options = tasks.run.RunOptions(files_per_shard=2)
    real_read = tasks.run.read_link_tables
    for name in ("narrow", "wide"):
        if name == "wide":  # every column read into memory, as linking held them before
            monkeypatch.setattr(tasks.run, "read_link_tables", lambda d, p, wide=True: real_read(d, p))
        run([str(first)], str(tmp_path / name), options)
        victim = sorted(first.rglob("*.txt"))[0]
        kept = victim.read_text(encoding="utf-8")
        victim.write_text(kept + "\n\nA paragraph added later, which changes the file.\n", encoding="utf-8")
        run([str(first), str(more)], str(tmp_path / name), options)
        victim.write_text(kept, encoding="utf-8")
    assert [g[0] is not None and not g[1] for g in given] == [True, True, False, False]
    for table in ("documents", "paragraphs", "story_members", "paragraph_fates", "rejects", "inputs"):
        narrow, wide = (read_table(tmp_path / w, table) for w in ("narrow", "wide"))
        if table == "inputs":  # when each file was last changed (rewritten between the runs), not a result
            narrow, wide = (t.drop_columns(["mtime_ns"]) for t in (narrow, wide))
        assert narrow.num_rows > 0 or table == "rejects"
        assert narrow.equals(wide), table


def test_the_body_file_is_cut_into_a_file_per_shard_holding_its_documents_rows_in_order(
    tmp_path, monkeypatch
):
    """partition_rows gives each shard what filtering the whole file by its documents gives, in the file's
    order, whatever row groups the documents span, also over several passes (few files open at once), for a
    document in two shards, for a shard with no rows and for rows in no shard."""
    import tasks.partition

    rng = random.Random(7)
    ids = sorted(f"doc-{k:03d}" for k in range(40))
    rows = [(d, k) for n, d in enumerate(ids) for k in range(n % 5)]  # doc-000, doc-005, ... have none
    table = pa.table(
        {
            "doc_id": [d for d, _ in rows],
            "para_idx": [k for _, k in rows],
            "text": [f"t{n}" for n in range(len(rows))],
        }
    )
    pq.write_table(table, tmp_path / "body.parquet", row_group_size=7)
    shuffled = ids[:]
    rng.shuffle(shuffled)
    groups = [shuffled[0:9], shuffled[9:20], [], shuffled[20:30] + ["doc-001", "doc-013"], ["doc-999"]]
    for open_files in (512, 2):
        monkeypatch.setattr(tasks.partition, "OPEN_FILES", open_files)
        folder = tmp_path / str(open_files)
        folder.mkdir()
        targets = [folder / f"shard-{n}.arrow" for n in range(len(groups))]
        written = partition_rows(tmp_path / "body.parquet", groups, targets)
        expected = [table.filter(pc.is_in(table.column("doc_id"), pa.array(g, pa.string()))) for g in groups]
        assert written == sum(t.num_rows for t in expected)
        for target, rows_of_group in zip(targets, expected, strict=True):
            assert read_partition(target).equals(rows_of_group)


def test_a_step_beside_the_block_runs_in_the_callers_context_and_is_waited_for_even_on_an_error():
    import contextvars
    import threading

    seen = contextvars.ContextVar("seen", default="none")
    seen.set("the caller's")
    release, done = threading.Event(), []

    def step(value):
        release.wait(5)  # still running when the block fails
        done.append((value, seen.get(), threading.current_thread() is not threading.main_thread()))
        return value * 2

    try:
        with tasks.run.Runner().beside("step", step, 21) as found:
            threading.Timer(0.2, release.set).start()
            raise RuntimeError("a shard failed")
    except RuntimeError:
        pass
    # The block's end waited for the step: it had finished, in another thread, with the caller's context.
    assert done == [(21, "the caller's", True)] and found.result() == 42


def _collection_threshold() -> int:
    import gc

    return gc.get_threshold()[0]


def test_worker_processes_collect_cycles_less_often_than_the_run():
    """Shard steps run in workers whose cyclic collector's first threshold is raised; the run's own process
    keeps Python's."""
    import gc

    with tasks.run.worker_processes(2):
        assert tasks.run.in_worker(_collection_threshold) == tasks.run.WORKER_GC_THRESHOLD
    assert gc.get_threshold()[0] != tasks.run.WORKER_GC_THRESHOLD


def _forkserver_running() -> bool:
    from multiprocessing import forkserver

    pid = forkserver._forkserver._forkserver_pid
    return pid is not None and tasks.run._alive(pid)


def test_no_forkserver_runs_while_the_run_links_and_the_align_pool_starts_it_again(tmp_path, monkeypatch):
    """The forkserver the preparing pool started holds what it preloads; linking starts no process, so the
    run ends it before linking, and the align step's pool (more than one shard) still gets its workers."""
    if tasks.run.cores() < 2:
        return  # one core: no pool, no forkserver
    seen = []
    real_link = tasks.run.link

    def spy(*args, **kwargs):
        seen.append(_forkserver_running())
        return real_link(*args, **kwargs)

    monkeypatch.setattr(tasks.run, "link", spy)
    inputs = [str(write_corpus(tmp_path / "in")), str(SEEDS)]
    options = tasks.run.RunOptions(files_per_shard=2, stories_per_shard=1)
    with tasks.run.worker_processes(2):  # the forkserver is up before the run, as after a pool
        assert tasks.run.in_worker(os.getpid) != os.getpid()
    assert _forkserver_running()
    run(inputs, str(tmp_path / "w"), options)
    assert seen == [False]
    assert read_table(tmp_path / "w", "paragraph_fates").num_rows > 0
