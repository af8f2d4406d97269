"""boilerplate-14: readers' comment threads at their edges and in other signature forms, a latest-news ticker
above the story, a teaser with its machine time stamp run in, date stamps with ordinals (classes found on
L3S-GN1's dev half; all text authored for these tests, none copied from a data set)."""

import pytest

from tasks.boilerplate import flag_document

STORY = [
    "The county council voted on Tuesday night to close the old swimming baths on Mill Lane at the end of "
    "the summer, after a survey found cracks in the main pool's floor.",
    "Councillors said the cost of repairs, put at more than two million pounds, could not be met from this "
    "year's budget without cuts to the library service.",
    "Swimmers who use the baths each morning said they would take their case to the next full meeting of the "
    "council in March.",
]


def flagged(paragraphs: list[str]) -> dict[str, bool]:
    return dict(zip(paragraphs, flag_document(paragraphs), strict=True))


def test_the_first_comment_under_the_threads_label_is_flagged_where_signatures_close_comments():
    thread = [
        "Comments",
        "They should have mended the roof years ago, when it was cheap to do.",
        "Now the town pays twice for the same neglect.",
        "Posted by Alice on March 3, 2008 9:14 AM",
        "Where will the school classes swim now?",
        "The nearest other pool is twenty miles away.",
        "Posted by Tom on March 3, 2008 8:02 AM",
        "The baths were built in 1936 and have served the town well.",
        "Posted by Ruth on March 2, 2008 10:40 PM",
        "Post a comment",
    ]
    found = flagged(STORY + thread)
    assert found[thread[1]] and found[thread[2]]  # the first comment, above the first signature
    assert all(found[t] for t in thread)
    assert not any(found[t] for t in STORY)


def test_the_last_comment_before_the_closing_furniture_is_flagged_where_signatures_open_comments():
    thread = [
        "Posted by: millgirl, Ashford on 8:21pm Tue 1 Jan 08",
        "Shame, I learned to swim there.",
        "Quote | Report this post",
        "Posted by: ratepayer, Ashford on 9:06pm Tue 1 Jan 08",
        "Good riddance, it was freezing.",
        "Quote | Report this post",
        # A place field left as dots is still a signature.
        "Posted by: Old Bill, ........ on 9:19pm Wed 2 Jan 08",
        "Has anyone asked the swimming club?",
        "They have offered to raise money for the repairs.",
        "Quote | Report this post",
        "Share this:",
        "Digg |",
        "reddit |",
    ]
    found = flagged(STORY + thread)
    assert found[thread[6]]
    assert found["Has anyone asked the swimming club?"]
    assert found["They have offered to raise money for the repairs."]
    assert not any(found[t] for t in STORY)


@pytest.mark.parametrize(
    "signatures",
    [
        [
            "Comment by Alice — March 3, 2008 @ 9:14 am",
            "Comment by Tom — March 3, 2008 @ 8:02 am",
            "Comment by Ruth — March 2, 2008 @ 10:40 pm",
        ],
        [
            "Alice says: March 3, 2008 at 9:14 am",
            "Tom says: March 3, 2008 at 8:02 am",
            "Ruth says: March 2, 2008",
        ],
        ["Alice wrote on 3 March 2008:", "Tom wrote on 3 March 2008:", "Ruth wrote on 2 March 2008:"],
    ],
)
def test_a_thread_signed_in_other_comment_systems_forms_is_flagged(signatures):
    comments = [
        "Where will the school classes swim now?",
        "The baths were built in 1936 and have served the town well.",
        "I hope the club can raise the money.",
    ]
    # Three comments, a signature under each; the thread's label is not needed.
    page = STORY + [p for pair in zip(comments, signatures, strict=True) for p in pair]
    found = flagged(page)
    assert all(found[t] for t in signatures + comments[1:])
    assert not any(found[t] for t in STORY)


def test_three_sentences_naming_dates_in_a_story_are_no_thread():
    # What a signature alone may be, a story's sentences: no span is flagged between them.
    page = [
        *STORY[:1],
        "The mayor said on March 3, 2008 that the decision was final.",
        STORY[1],
        "By March 4, 2008 a petition had two thousand names.",
        STORY[2],
        "Posted on the council's website on March 5, 2008, the minutes record no vote against.",
    ]
    assert not any(flag_document(page))


def test_a_latest_news_ticker_above_the_story_is_flagged():
    ticker = [
        "- Ferry service to the island resumes after storm 6:59 p.m. CT",
        "- Water main break closes Front Street 4:52 p.m. CT",
    ]
    found = flagged(ticker + ["Council to close Mill Lane baths"] + STORY)
    assert all(found[t] for t in ticker)
    assert not found["Council to close Mill Lane baths"]


def test_a_schedule_of_times_inside_the_story_stays_text():
    schedule = [
        "- Public meeting at the town hall 7:30 p.m. ET",
        "- Vote in the council chamber 8:15 p.m. ET",
    ]
    found = flagged(STORY[:1] + schedule + STORY[1:])
    assert not any(found[t] for t in schedule)


def test_a_teaser_with_its_machine_time_stamp_run_in_is_flagged():
    teaser = (
        "Budget Watch: Libraries, Part 2 22/12/2007 11:58:43 Budget Watch is a weekly podcast on how the "
        "county spends its money. In this episode we visit three branch libraries."
    )
    sentence = (
        "The survey, dated 22/12/2007, found cracks in the floor, and the report was filed at 11:58 that "
        "morning."
    )
    found = flagged(STORY + [sentence, teaser])
    assert found[teaser]
    assert not found[sentence]


@pytest.mark.parametrize(
    "stamp",
    ["- January 6th, 2008", "11th March, 2008", "Sunday, December 30, 2007 - Page updated at 12:00 AM"],
)
def test_a_date_stamp_with_an_ordinal_or_the_pages_update_words_is_flagged(stamp):
    found = flagged([STORY[0], stamp, *STORY[1:]])
    assert found[stamp]
    assert not any(found[t] for t in STORY)


def test_teasers_listed_under_their_kind_in_capitals_are_flagged_as_a_run():
    box = [
        "NEWS Ferry service to the island resumes after storm",
        "REVIEW A pocket radio with a week of battery",
        "NEWS Water main break closes Front Street!",
    ]
    found = flagged(STORY + box)
    assert all(found[t] for t in box)
    # One such line alone is a story's own (an acronym opening a sentence's heading).
    alone = flagged(STORY[:1] + [box[0]] + STORY[1:])
    assert not alone[box[0]]


def test_a_list_item_pointing_at_the_storys_media_is_flagged():
    media = ["- Video: See the pool's cracked floor", "- Document: Read the survey of the baths"]
    found = flagged(media + STORY)
    assert all(found[t] for t in media)
    # A story's list item naming a video in its sentence is text.
    own = "- Swimmers made a video of the morning session and sent it to every councillor."
    assert not flagged(STORY + [own])[own]


@pytest.mark.parametrize(
    "prompt",
    [
        "CONTINUED 1 | 2",
        "1 | 2 | 3 | Next",
        "(CBS)",
        "• Discuss this story on the county league message board...",
        "Have a view on this story? Send us your feedback!",
        "To have your say on this or any other issue visit www.example.co.uk/blogs",
        "NOT REGISTERED TO THE FORUM? WHAT ARE YOU WAITING FOR! Register by clicking here.",
        "Came straight to this page? Visit example.com for all the latest news and reviews.",
        "Tags: Council, swimming, Mill Lane,",
    ],
)
def test_a_pages_prompt_to_the_reader_is_flagged(prompt):
    found = flagged([*STORY, prompt])
    assert found[prompt]
    assert not any(found[t] for t in STORY)


@pytest.mark.parametrize(
    "sentence",
    [
        "Swimmers said they would discuss the closure with the council and send a petition.",
        "Visitors from the coast said the baths were worth the trip.",
        "The vote was 12 to 14, with two abstentions.",
    ],
)
def test_a_storys_sentences_with_a_prompts_words_stay_text(sentence):
    assert not flagged([*STORY, sentence])[sentence]


def test_a_sites_menu_kept_as_paragraphs_is_flagged():
    menu = ["Channels", "News", "People", "Resources", "Links"]
    found = flagged(menu + STORY)
    assert all(found[t] for t in menu)


def test_a_storys_headings_between_its_paragraphs_stay_text():
    page = [STORY[0], "The survey", STORY[1], "The swimmers", STORY[2], "What next"]
    assert not any(flag_document(page))
    # Three labels in a row are too few to be a menu.
    few = ["Council", "Swimming", "Mill Lane", *STORY]
    assert not any(flag_document(few))
