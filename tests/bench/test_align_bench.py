"""The alignment benchmark command runs end to end on a few stories and reports both aligners."""

from bench.align_bench import main


def test_benchmark_command_on_a_few_stories(capsys):
    results = main(["--stories", "4", "--mix", "default", "--long", "30"])
    out = capsys.readouterr().out
    assert "| reprint | precision | recall | F1 | gold rows |" in out and "| difflib |" in out
    assert "reprint: gold \\ predicted" in out and "30-paragraph pair" in out
    reprint, difflib = results["default"]["reprint"], results["default"]["difflib"]
    assert reprint.pairs == difflib.pairs > 0
    assert reprint.macro_f1() > difflib.macro_f1()
