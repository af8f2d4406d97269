"""Two instances of an outlet's recurring series (two issues of a weekly newsletter, two years' calls) are two
stories, however much of the series' template they print alike; a draft of an issue joins its issue; an
edition of a standing text re-issued each year, with the year in its title, is a revision of one text
(issue 12, class 2; docs/linking.md, link-12)."""

import dataclasses

import numpy as np

from tasks.evidence import dates_of, series_lead_of, series_of, year_of
from tasks.link import link_corpus
from tasks.stories import find_stories
from tests.tasks.test_link import RAIL, edit, rows
from tests.tasks.test_stories import by_doc, corpus, raw

SITE = "https://weekly.gadget.example/issue"

# What every issue of the newsletter prints, word for word: its greeting, the standing explanation opening
# each section and its submit lines, its editors' line.
GREETING = (
    "Hello and welcome to another issue of the Gadget Weekly, the summary of what happened in the Gadget "
    "community over the last seven days."
)
TEMPLATE = {
    "intro": [
        GREETING,
        "Want something mentioned? Send us a pull request on the newsletter's repository or write to the "
        "editors on the community forum.",
    ],
    "events": [
        "## Upcoming Events",
        "If you are running a Gadget event please add it to the shared calendar to get it mentioned here, "
        "and remember to add a link to the event's page.",
    ],
    "calls": [
        "## Calls for Participation",
        "Always wanted to contribute to an open source project but did not know where to start? Every week "
        "we highlight some tasks from the Gadget community for you to pick and get started.",
        "If you are a project owner looking for contributors, please submit your tasks through the form on "
        "the newsletter's site before Tuesday evening.",
    ],
    "end": [
        "Please submit your quotes and vote for the quote of next week on the community forum thread.",
        "The Gadget Weekly is edited by the newsletter team and hosted by the Gadget Foundation.",
    ],
}


def issue(items: list[str], events: list[str], calls: list[str]) -> list[str]:
    """An issue: the template filled with the week's links, events (with their days) and calls."""
    return [
        *TEMPLATE["intro"],
        "## Community Updates",
        *items,
        *TEMPLATE["calls"],
        *calls,
        *TEMPLATE["events"],
        *events,
        *TEMPLATE["end"],
    ]


ITEMS_41 = [
    "* [Profiling the Gadget scheduler with flame graphs](https://blog.example/flame) by a core maintainer",
    "* [Why our team moved its build farm to Gadget](https://teams.example/build-farm) from a user company",
]
EVENTS_41 = [
    "* June 12 | Lisbon | Gadget meetup at the old tram depot: lightning talks and a hack night",
    "* June 14 | Online | Office hours with the release team, questions on the next version welcome",
]
CALLS_41 = ["* [gadget-cli: add a flag to print the configuration](https://tracker.example/cli/311)"]
ITEMS_42 = [
    "* [A tour of the new plugin loader](https://blog.example/plugins) written by its author",
    "* [Gadget in a satellite's ground station](https://space.example/ground) a case study",
    "* [Ten small patches that halved our memory use](https://perf.example/memory) with measurements",
]
EVENTS_42 = [
    "* June 19 | Oslo | Gadget meetup in the harbour library: two talks on the plugin loader",
    "* June 21 | Online | Workshop for new contributors, first issues picked together",
]
CALLS_42 = ["* [gadget-docs: translate the installation guide](https://tracker.example/docs/77)"]


def titled(doc, title: str, url: str | None):
    return dataclasses.replace(doc, title=title, url=url)


def newsletter() -> list:
    return [
        titled(
            raw("w41", "weekly", issue(ITEMS_41, EVENTS_41, CALLS_41), 1), "Gadget Weekly 41", f"{SITE}/41"
        ),
        # The draft of 42, two days before: its first links in, the calls not yet, what was left of last
        # week's events carried over (the editors had not updated them): no day of its own.
        titled(
            raw("w42-draft", "weekly", issue(ITEMS_42[:2], EVENTS_41[1:], []), 6), "Gadget Weekly 42", None
        ),
        titled(
            raw("w42", "weekly", issue(ITEMS_42, EVENTS_42, CALLS_42), 8), "Gadget Weekly 42", f"{SITE}/42"
        ),
    ]


def test_two_issues_of_a_newsletter_are_two_stories_and_the_draft_joins_its_own_issue():
    rows = by_doc(find_stories(*corpus(*newsletter()))[0])
    assert rows["w42-draft"]["story_id"] == rows["w42"]["story_id"] != rows["w41"]["story_id"]


def test_without_titles_the_issues_read_as_one_text_and_its_revisions():
    # What the rule reads is the title: the same three texts untitled are the outlet's versions of one text
    # (the template is most of each), as they were before the rule.
    untitled = [dataclasses.replace(d, title=None) for d in newsletter()]
    rows = by_doc(find_stories(*corpus(*untitled))[0])
    assert rows["w41"]["story_id"] == rows["w42-draft"]["story_id"] == rows["w42"]["story_id"]


# A conference's code of conduct, re-issued for each year's conference with the year in its title: the same
# policy with a sentence recast and the contacts changed. It names no day: a revision of one text.
CODE = [
    "Gadget Conf is a community conference intended for networking and collaboration in the developer "
    "community.",
    "We value the participation of each member of the community and want all attendees to have an enjoyable "
    "and fulfilling experience.",
    "All attendees, speakers, sponsors and volunteers are required to agree with this code of conduct.",
    "Harassment includes offensive verbal comments, deliberate intimidation, stalking, following, and "
    "unwelcome attention of any kind.",
    "Participants asked to stop any harassing behavior are expected to comply immediately.",
    "If a participant engages in harassing behavior, the organizers may take any action they deem "
    "appropriate, including expulsion from the conference with no refund.",
]


def test_a_standing_text_re_issued_each_year_with_the_year_in_its_title_stays_one_story():
    site = "https://conf.gadget.example"
    older = CODE + ["Please contact the organizers by mail at the registration desk for help."]
    newer = CODE[:4] + [
        "Participants asked to stop any harassing behaviour must comply at once.",
        CODE[5],
        "Please call the conduct team's hotline or find a volunteer in a green shirt for help.",
    ]
    docs = [
        titled(raw("coc-2023", "conf", older, 1), "Gadget Conf Code of Conduct (2023)", f"{site}/2023/coc"),
        titled(raw("coc-2024", "conf", newer, 2), "Gadget Conf Code of Conduct (2024)", f"{site}/2024/coc"),
    ]
    rows = by_doc(find_stories(*corpus(*docs))[0])
    assert rows["coc-2023"]["story_id"] == rows["coc-2024"]["story_id"]


def test_a_series_title_names_the_series_and_the_instance():
    assert series_of("Gadget Weekly 41") == ("gadget weekly #", "41")
    assert series_of("Gadget Weekly #42")[0] == series_of("Gadget Weekly 41")[0]
    assert series_of("Gadget Summit 2024: Call for Hosts") == ("gadget summit # call for hosts", "2024")
    assert series_of("Monthly Update - March 2025") == ("monthly update #", "march 2025")
    # An edition's version names no instance unless the title announces a release, whatever its wording.
    assert series_of("Gadget Code of Conduct 2.1") is None
    assert series_of("Gadget 2.1.0 Released") == series_of("Announcing Gadget 2.1") == ("release", "2.1")
    # A title without a number, a date or a month, or with nothing else, names no series.
    assert series_of("A tour of the new plugin loader") is None
    assert series_of("Week 3") is None and series_of(None) is None


def test_the_days_a_text_names():
    assert dates_of(["March 4: deadline of applications", "Oct. 1 and 21 October", "from 2024-06-19"]) == {
        "03-04",
        "10-01",
        "10-21",
        "06-19",
    }
    # A day written out in words: "the 22nd of December"; "3 of May" is no such form.
    assert dates_of(["Submissions are open until the 22nd of December."]) == {"12-22"}
    assert dates_of(["Chapter 3 of May's report"]) == set()
    # A year alone, a month alone and a time are no day.
    assert dates_of(["PyCon 2013 in March", "May 3:15 pm"]) == set()


def test_documents_told_apart_are_not_linked_on_their_text_however_alike():
    # link_corpus's `apart`: a pair it names is no link, whatever the paragraphs share (here a verbatim copy
    # and a lightly edited one of one text); the others link as before.
    ids, index, sketches, fingerprints, shingles = rows(
        {"a": RAIL, "b": RAIL, "c": RAIL[:4] + [edit(RAIL[4])]}
    )

    def members(apart=None) -> list[set[str]]:
        found = link_corpus(ids, [None] * 3, ids, index, sketches, fingerprints, shingles, apart=apart)
        groups: dict[str, set[str]] = {}
        for m in found:
            groups.setdefault(m.story_id, set()).add(m.doc_id)
        return sorted(groups.values(), key=min)

    assert members() == [{"a", "b", "c"}]

    def a_and_b(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.isin(x, [0, 1]) & np.isin(y, [0, 1])

    # a and b apart but each a copy of c: c chains them, and the three are one story (docs/linking.md:
    # apart is no link, not a wall).
    assert members(a_and_b) == [{"a", "b", "c"}]

    def everything(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.ones(len(x), dtype=bool)

    assert members(everything) == [{"a"}, {"b"}, {"c"}]
    assert members(lambda x, y: ~a_and_b(x, y)) == [{"a", "b"}, {"c"}]


def test_two_updates_named_by_their_days_are_two_stories_whatever_days_their_texts_name():
    # A weekly update titled by its day; the next one printed the same events again (the days its text names
    # are the same), so only its title's day tells the two issues apart (Node.js's weekly updates of 2016,
    # found by bench.revisions; issue 12). A draft titled with the same day joins its update.
    events = EVENTS_41
    docs = [
        titled(
            raw("jan-18", "weekly", issue(ITEMS_41, events, CALLS_41), 1),
            "Weekly Update - Jan 18th, 2016",
            None,
        ),
        titled(
            raw("jan-22", "weekly", issue(ITEMS_42, events, CALLS_41), 5),
            "Weekly Update - Jan 22th, 2016",
            None,
        ),
        titled(
            raw("jan-22-fix", "weekly", issue(ITEMS_42, events, CALLS_42), 6),
            "Weekly Update - Jan 22nd, 2016",
            None,
        ),
    ]
    rows = by_doc(find_stories(*corpus(*docs))[0])
    assert rows["jan-22"]["story_id"] == rows["jan-22-fix"]["story_id"] != rows["jan-18"]["story_id"]


def test_release_notes_titled_by_a_name_and_a_release_number_are_two_stories():
    # Release notes on one template, titled without the word "release" ("Node.js 0.10.11 (Stable)"): two
    # releases' notes print the template and the same fixes, and are two stories (issue 12; bench.revisions
    # found six of Node.js's 0.10 notes in one story). An edition's two-part number names no release.
    notes = issue(ITEMS_41, EVENTS_41, CALLS_41)
    docs = [
        titled(raw("0.10.8", "gadget", notes, 1), "Gadget 0.10.8 (Stable)", None),
        titled(raw("0.10.9", "gadget", notes[:-1] + [edit(notes[-1])], 2), "Gadget v0.10.9 (Stable)", None),
    ]
    rows = by_doc(find_stories(*corpus(*docs))[0])
    assert rows["0.10.8"]["story_id"] != rows["0.10.9"]["story_id"]
    assert series_of("Gadget 0.10.8 (Stable)") == ("release", "0.10.8")
    assert series_of("Gadget Code of Conduct 2.1 (Draft)") is None
    assert series_of("How we moved our build farm to Gadget 0.10.8 in one weekend") is None


# A yearly call for talks for a devroom at a conference, posted by one blog: the same call each year with the
# year, room, dates and deadlines changed, and its title reworded after the instance ("..., Ghent 4-5 Feb
# 2017" / "..., Ghent Confcon is 3-4 Feb 2018"): the whole masked titles differ, their words up to the first
# instance do not (tasks.evidence.series_lead_of). Authored.
CALL = [
    "Confcon is one of the largest gatherings of free software contributors and happens each year in Ghent "
    "at the university's harbour campus. In {year}, it will be held on {days}.",
    "As usual, the Gadget Editors devroom is organized jointly by two projects, on {day}, in room {room}.",
    "We are now inviting proposals for talks about gadget editors and their file format, on topics such as "
    "code, extensions, localization, QA, UX, tools and adoption.",
    "Talks should last thirty minutes at most, as we would like to have questions after each one and to fit "
    "as many speakers as possible in the day.",
    "While filing your proposal, please give the title of your talk, a short abstract and a few lines about "
    "yourself, then pick the Gadget Editors devroom as the track, or your talk will not be seen.",
    "If you already have an account from a previous year, please reuse it rather than creating a new one.",
    "The deadline is {deadline}. Accepted speakers will be notified by {notified}.",
    "The talks in the devroom will be recorded and possibly streamed; say in your notes that you agree.",
]


def devroom_call(year: int, days: str, day: str, room: str, deadline: str, notified: str) -> list[str]:
    fill = dict(year=year, days=days, day=day, room=room, deadline=deadline, notified=notified)
    return [p.format(**fill) for p in CALL]


def test_two_years_calls_whose_titles_are_reworded_after_the_instance_are_two_stories():
    blog = "https://blog.gadget.example/entry"
    call_17 = devroom_call(
        2017, "4 and 5 February", "Saturday, February 4", "K.401", "December 5th", "December 11th"
    )
    call_18 = devroom_call(
        2018, "3 and 4 February", "Saturday, February 3", "AW1.120", "December 4th", "December 11th"
    )
    docs = [
        titled(
            raw("call-17", "gadget", call_17, 1),
            "Editors Devroom at Confcon 17, Ghent 4-5 Feb 2017",
            f"{blog}/a",
        ),
        titled(
            raw("call-18", "gadget", call_18, 20),
            "Editors Devroom at Confcon 18, Ghent Confcon is 3-4 Feb 2018",
            f"{blog}/b",
        ),
        # The 2017 call posted again at a second URL, the same days: one text re-published.
        titled(
            raw("call-17-again", "gadget", call_17, 2),
            "Editors Devroom at Confcon 17, Ghent 4-5 Feb 2017",
            f"{blog}/c",
        ),
    ]
    rows = by_doc(find_stories(*corpus(*docs))[0])
    assert rows["call-17"]["story_id"] == rows["call-17-again"]["story_id"] != rows["call-18"]["story_id"]
    # What tells them apart is the title's lead: untitled, the two calls are versions of one text.
    untitled = [dataclasses.replace(d, title=None) for d in docs]
    rows = by_doc(find_stories(*corpus(*untitled))[0])
    assert rows["call-17"]["story_id"] == rows["call-18"]["story_id"]


def test_a_series_title_names_its_series_by_its_words_before_the_instance():
    lead = series_lead_of("Editors Devroom at Confcon 17, Ghent 4-5 Feb 2017")
    assert lead == ("editors devroom at confcon", "17")
    assert series_lead_of("Editors Devroom at Confcon 18, Ghent Confcon is 3-4 Feb 2018")[0] == lead[0]
    # Fewer than three words before the instance name no series; a release announcement's is series_of's.
    assert series_lead_of("Top 10 gadget tips") is None and series_lead_of("Gadget Weekly 41") is None
    assert series_lead_of("Announcing Gadget Editor 2.1") is None and series_lead_of(None) is None


# A foundation's yearly safety report (authored): the same structure and process paragraphs each year, word
# for word, and the year's figures; each names its year throughout and the same day ("As of January 1st"), so
# the days do not tell the two years apart (tasks.evidence.year_of).
PROCESS = [
    "The safety committee of the Gadget Foundation oversees and coordinates the handling of flaws across all "
    "of the foundation's projects, and reminds projects of their open issues and their duties.",
    "Anyone finding a flaw in a Gadget project can report it to the committee's address, where it is "
    "recorded and passed on to the project's own team, which investigates it and fixes it.",
    "The oversight of every report, along with the tools we have built, lets us count the issues and see how "
    "long each step takes, which is what this report is about.",
    "Our teams are all volunteers and we give no formal promise on the handling of issues, but we aim to "
    "answer every report within three working days.",
]


def safety_report(year: int, mails: int, reports: int, names: int) -> list[str]:
    return [
        f"This report explores the state of safety across the Gadget Foundation's projects for the calendar "
        f"year {year}. We review key figures, notable flaws and the work of the committee.",
        *PROCESS,
        f"In {year} our safety addresses received {mails} mails in total, and after filtering {reports} of "
        f"them were reports of new flaws in {year}.",
        f"As of January 1st {year + 1}, a tenth of the reports of {year} were still being investigated.",
        f"During {year} the committee assigned {names} flaw names, a few more than the year before.",
        f"This report gave figures for the calendar year {year}: every report answered within the week.",
    ]


def test_two_years_reports_of_one_template_are_two_stories():
    site = "https://blog.gadget.example"
    report_21 = safety_report(2021, 18500, 441, 183)
    docs = [
        titled(
            raw("report-21", "gadget", report_21, 1),
            "Gadget Foundation Safety Report: 2021",
            f"{site}/foundation/safety-report",
        ),
        # The next year's, posted on the foundation's other blog under a shorter title.
        titled(
            raw("report-22", "gadget-safety", safety_report(2022, 22600, 599, 210), 20),
            "GF Safety Report: 2022",
            f"{site}/safety/report-2022",
        ),
        # The 2021 report printed again by a newsletter: a copy, about the same year.
        titled(
            raw("report-21-copy", "digest", report_21, 3), "Safety Report 2021", "https://digest.example/7"
        ),
    ]
    rows = by_doc(find_stories(*corpus(*docs))[0])
    assert (
        rows["report-21"]["story_id"] == rows["report-21-copy"]["story_id"] != rows["report-22"]["story_id"]
    )
    untitled = [dataclasses.replace(d, title=None) for d in docs]
    rows = by_doc(find_stories(*corpus(*untitled))[0])
    assert rows["report-21"]["story_id"] == rows["report-22"]["story_id"]


def test_the_year_a_text_is_about():
    assert year_of(safety_report(2021, 1, 2, 3)) == "2021"
    # A standing text re-issued each year names its year in a line or two: it is about no year.
    assert year_of(["Gadget Conf 2013 Code of Conduct", "See you at Gadget Conf 2013!", "Be kind."]) is None
    assert year_of(["2019 and 2020", "2019 and 2020", "2019 and 2020"]) is None  # two years, as often


# A council's call for its half-yearly selection of representatives, written each time on one template: the
# criteria, the role and the guide word for word; what differs is the teams up and the days. Its title names
# the instance by its month one year and by its month and year the next.
SELECTION = [
    "## Criteria for representatives",
    "Any member of a top-level team or of one of its subteams is eligible to be the representative; see the "
    "candidate criteria for what makes a good one.",
    "At most two people affiliated with the same company or other legal entity may sit on the council, and "
    "the council will consider the affiliation of candidates during the selection.",
    "Representatives may serve several terms, with a soft limit of three; teams are asked to rotate their "
    "representatives where they can, to spread the experience.",
    "## How should teams make their selection?",
    "The council has put together a selection guide with recommendations for teams on how to choose a "
    "representative; top-level teams may follow their own process instead.",
]


def selection_call(teams: str, days: str) -> list[str]:
    return [
        "The selection process for representatives on the Gadget Council is starting today. Every six "
        "months, half of the council terms end. The following teams are up to choose their representative: "
        f"{teams}.",
        f"We are aiming to have the teams confirm their choices by {days}.",
        *SELECTION,
    ]


def test_a_half_yearly_call_titled_by_its_month_then_by_month_and_year_is_two_stories():
    # Two years' calls: one series whatever slots name the instance ("September", "September 2025"), and
    # their texts name other days. The 2025 call revised (a team added) stays with its own call.
    older = selection_call(
        "Infra, Language, Libraries", "September 20, and council meetings start September 27"
    )
    newer = selection_call(
        "Infra, Language, Libraries, Moderation", "September 19, and meetings start September 26"
    )
    revised = selection_call(
        "Infra, Language, Libraries, Moderation, Release", "September 19, and meetings start September 26"
    )
    docs = [
        titled(
            raw("sel-2024", "council", older, 1), "Gadget Council September Representative Selections", None
        ),
        titled(
            raw("sel-2025", "council", newer, 5),
            "Gadget Council September 2025 Representative Selections",
            None,
        ),
        titled(
            raw("sel-2025-fix", "council", revised, 6),
            "Gadget Council September 2025 Representative Selections",
            None,
        ),
    ]
    rows = by_doc(find_stories(*corpus(*docs))[0])
    assert rows["sel-2025"]["story_id"] == rows["sel-2025-fix"]["story_id"] != rows["sel-2024"]["story_id"]
    assert (
        series_of(docs[0].title)[0]
        == series_of(docs[1].title)[0]
        == "gadget council # representative selections"
    )


# A community team's yearly survey launch, on one template: the pitch, the languages, the call to share it.
LAUNCH = [
    "Please help us spread the word by sharing the survey link on your social network feeds, at meetups, "
    "around your office, and in other communities.",
    "If you have any questions, please see our frequently asked questions or email the community team.",
    "Whether or not you use Gadget today, we want to know your opinions: your answers will help the project "
    "understand its strengths and weaknesses and set its priorities for the future.",
    "The survey is offered in English, French, German, Japanese, Korean, Portuguese, Russian and Spanish; if "
    "you speak several languages, please pick one.",
]


def test_two_years_survey_launches_are_two_stories_when_one_writes_its_day_out():
    # The later launch names its closing day as "the 22nd of December": a day, other than the 16th.
    older = [
        "It's that time again! The community team is launching the 2024 State of Gadget Survey.",
        *LAUNCH,
    ]
    older.append(
        "Completing this survey should take about 10 minutes; we accept answers until December 16th."
    )
    newer = [
        "It's that time again! The community team is launching the 2026 State of Gadget Survey.",
        *LAUNCH,
    ]
    newer.append("Completing it should take about 15 minutes; we accept answers until the 22nd of December.")
    docs = [
        titled(raw("survey-2024", "gadget", older, 1), "Launching the 2024 State of Gadget Survey", None),
        titled(raw("survey-2026", "gadget", newer, 9), "Launching the 2026 State of Gadget Survey", None),
    ]
    rows = by_doc(find_stories(*corpus(*docs))[0])
    assert rows["survey-2024"]["story_id"] != rows["survey-2026"]["story_id"]
    untitled = [dataclasses.replace(d, title=None) for d in docs]
    rows = by_doc(find_stories(*corpus(*untitled))[0])
    assert rows["survey-2024"]["story_id"] == rows["survey-2026"]["story_id"]
