"""The repository keeps its own copy of the contract (docs/CONTRACT.md) so a clone's links work; where the
shared original sits beside the clone (as on the project's machines and CI), the copy holds every line of it
(the copy may extend the contract, never drop or reword what it guarantees)."""

import re

import pytest

from tests.conftest import ROOT

COPY = ROOT / "docs" / "CONTRACT.md"
SHARED = ROOT.parent / "shared" / "CONTRACT.md"


def test_readme_links_to_the_copy_in_the_repo():
    links = re.findall(r"\]\(([^)]*CONTRACT\.md)\)", (ROOT / "README.md").read_text())
    assert links and all(link == "docs/CONTRACT.md" for link in links)
    assert COPY.is_file()


@pytest.mark.skipif(not SHARED.is_file(), reason="no shared/ folder beside this clone")
def test_copy_holds_every_line_of_the_shared_contract():
    copy = set(COPY.read_text().splitlines())
    missing = [line for line in SHARED.read_text().splitlines() if line.strip() and line not in copy]
    assert not missing, missing
