"""boilerplate-11: an outlet's standing box with labels of its own under its heading, and the classes of text
and furniture written for this session (all text authored for these tests, none copied from the real set)."""

from tasks.stories import find_stories
from tests.tasks.test_link import FLOOD, RAIL
from tests.tasks.test_stories import corpus, raw

# A club blog's notice that closes every post: its heading, a line, and two labels of its own over lists.
NOTICE = [
    "## Stay in touch!",
    "There are many ways to help the club if you would like to take part this season.",
    "You can also:",
    "* Come along to a Thursday evening session at the club house and bring a friend.",
    "Find us online:",
    "* [Forum](https://club.example/forum) * [Newsletter](https://club.example/news)",
]


def reasons(*posts: tuple[str, list[str]]) -> dict[tuple[str, str], str | None]:
    docs, paras = corpus(*(raw(name, "club", body, day) for day, (name, body) in enumerate(posts, 1)))
    _, flagged = find_stories(docs, paras)
    return {(r["doc_id"], r["text"]): r["boilerplate_reason"] for r in flagged.to_pylist()}


def test_a_boxs_heading_over_labels_of_its_own_is_furniture_with_the_box():
    found = reasons(("rail", RAIL + NOTICE), ("flood", FLOOD + NOTICE))
    for doc in ("rail", "flood"):
        assert found[(doc, "## Stay in touch!")] == "repeated"
        assert found[(doc, "You can also:")] == "repeated"
        assert found[(doc, NOTICE[1])] == "repeated"
        assert found[(doc, RAIL[0] if doc == "rail" else FLOOD[0])] is None


def test_a_heading_over_a_label_and_the_posts_own_text_stays_structure():
    # The same heading and label, but the post's own list under the label: the section is the post's.
    own = {
        "rail": "* Ask the council to keep the Sunday trains to the coast running in the winter.",
        "flood": "* Help the sandbag crews on the river road on Saturday from eight in the morning.",
    }
    box = NOTICE[:3]
    found = reasons(
        ("rail", RAIL + box + [own["rail"]]),
        ("flood", FLOOD + box + [own["flood"]]),
    )
    for doc in ("rail", "flood"):
        assert found[(doc, "## Stay in touch!")] is None
        assert found[(doc, own[doc])] is None
