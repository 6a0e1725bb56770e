"""Real-world inputs: page debris on the real seeds, HTML, JSONL, directories, globs and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.brief.pipeline import build_brief_request
from summarizer.inputs.expansion import SUPPORTED_SUFFIXES
from summarizer.inputs.loading import MAX_INPUT_BYTES, iter_articles, load_article
from summarizer.text.sentences import split_sentences
from tests.conftest import SEEDS

# What a reader of each seed would call page debris or metadata, line by line.
EXPECTED_SKIPPED = {
    "000": {"Source: Yonhap News Agency"},
    "001": {"US Defense Official to Hold Talks in Beijing", "The Irrawaddy News"},
    "002": {
        "U.S. urges China military dialogue despite rebuff to Blinken",
        "June 20, 2023 08:47 pm | Updated 08:47 pm IST - BEIJING",
        "Reuters",
        "U.S. Secretary of State Antony Blinken shakes hands with Chinese President Xi Jinping in the Great Hall of "
        "the People in Beijing, China, on June 19, 2023.",
        "U.S. Secretary of State Antony Blinken shakes hands with Chinese President Xi Jinping in the Great Hall of "
        "the People in Beijing, China, on June 19, 2023. | Photo Credit: AP",
    },
    "003": {
        "Accessibility links",
        "Breaking News",
        "Chinese, US Officials Meet to Discuss Korean Tensions",
        "XS",
        "SM",
        "MD",
        "LG",
    },
    "004": {
        "Home / China / National affairs",
        "Door open to defense dialogue with ROK, gov't says",
        "By Zhang Zhihao | China Daily | Updated: 2016-11-08 07:24",
        "Editor's picks",
    },
}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_debris_is_gone_from_the_prompt_and_every_article_sentence_is_still_there(seed: Path) -> None:
    article = load_article(seed)
    assert {line.text for line in article.skipped_lines} == EXPECTED_SKIPPED[seed.name[:3]]
    prompt = build_brief_request(article).messages[-1]["content"]
    kept_lines = [line.strip() for line in article.text.splitlines() if line.strip()]
    kept_lines = [line for line in kept_lines if line not in EXPECTED_SKIPPED[seed.name[:3]]]
    for line in kept_lines:
        for sentence in split_sentences(line):
            assert f"] {sentence.text}\n" in prompt, f"article sentence missing from the prompt: {sentence.text!r}"
    for debris in EXPECTED_SKIPPED[seed.name[:3]]:
        if debris != article.title:  # the title is sent, as the title
            assert debris not in prompt


def test_seed_metadata_is_kept() -> None:
    by_id = {seed.name[:3]: load_article(seed) for seed in SEEDS}
    assert (by_id["004"].author, by_id["004"].outlet, str(by_id["004"].published)) == (
        "Zhang Zhihao",
        "China Daily",
        "2016-11-08",
    )
    assert "byline" in (by_id["004"].published_from or "")
    assert (str(by_id["002"].published), by_id["002"].dateline, by_id["002"].outlet) == ("2023-06-20", "BEIJING", "Reuters")
    assert (by_id["000"].dateline, by_id["000"].outlet, by_id["000"].published) == ("SEOUL", "Yonhap News Agency", None)
    assert (by_id["001"].dateline, by_id["001"].outlet) == ("BEIJING", "The Irrawaddy News")


def test_spans_still_point_into_the_original_file() -> None:
    article = load_article(SEEDS[4])
    for sentence in article.sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text
    assert article.text == SEEDS[4].read_text(encoding="utf-8").strip()


def test_html_gives_main_text_and_metadata(tmp_path: Path) -> None:
    page = tmp_path / "talks.html"
    page.write_text(
        "<html><head><title>Talks resume | Daily Planet</title>"
        "<meta property='og:site_name' content='Daily Planet'>"
        "<meta property='article:published_time' content='2023-06-20T08:00:00Z'></head><body>"
        "<nav><a href='/'>Home</a> / <a href='/world'>World</a></nav>"
        "<article><h1>Talks resume</h1><p>Envoys from both countries met in Geneva on Tuesday to restart the talks "
        'that collapsed last year.</p><p>"We are here to listen," the lead envoy, Maria Lopez, said after the '
        "first session.</p></article><footer>Subscribe to our newsletter</footer></body></html>",
        encoding="utf-8",
    )
    article = load_article(page)
    assert article.title == "Talks resume"
    assert str(article.published) == "2023-06-20" and article.published_from == "HTML metadata"
    texts = [sentence.text for sentence in article.sentences]
    assert texts[0].startswith("Envoys from both countries met in Geneva")
    assert any("Maria Lopez" in text for text in texts)
    assert not any("Subscribe" in text or "Home" in text for text in texts)


def test_jsonl_gives_one_article_per_line_and_one_error_per_bad_line(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "id": "one",
                        "text": "The council approved the budget on Monday. It passed 7 to 2.",
                        "title": "Budget passes",
                        "published": "2024-03-05",
                        "url": "https://example.org/one",
                    }
                ),
                "{not json",
                json.dumps({"id": "three", "title": "no text"}),
                json.dumps({"id": "four", "text": "Rain is expected all week. Farmers welcomed it."}),
            ]
        ),
        encoding="utf-8",
    )
    loaded = list(iter_articles([feed]))
    assert [item.article.id if item.article else None for item in loaded] == ["one", None, None, "four"]
    assert loaded[1].error == f"{feed}:2: not valid JSON (Expecting property name enclosed in double quotes)"
    assert loaded[2].error == f"{feed}:3: each line must be a JSON object with a 'text' string"
    one = loaded[0].article
    assert one is not None and str(one.published) == "2024-03-05" and one.url == "https://example.org/one"


def test_directories_and_globs_expand_and_empty_ones_are_errors(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("First article. It has two sentences.", encoding="utf-8")
    (tmp_path / "news" / "b.md").write_text("Second article, in Markdown.", encoding="utf-8")
    (tmp_path / "news" / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "empty").mkdir()
    loaded = list(
        iter_articles([tmp_path / "news", str(tmp_path / "news" / "*.txt"), tmp_path / "empty", str(tmp_path / "none-*.txt")])
    )
    assert [item.article.id for item in loaded if item.article] == ["a", "b"]  # a.txt, named twice, is read once
    errors = [item.error for item in loaded if item.error]
    assert errors == [
        f"{tmp_path / 'empty'}: no article files ({', '.join(SUPPORTED_SUFFIXES)}) in this directory",
        f"{tmp_path / 'none-*.txt'}: no files match this pattern",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("blank.txt", b"  \n\t\n", "the article is empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file, not text"),
        ("huge.txt", b"word " * (MAX_INPUT_BYTES // 5 + 1), "is too large for a news article"),
        ("debris.txt", b"Accessibility links\nBreaking News\nXS\nSM", "no article sentences (only page debris)"),
    ],
)
def test_bad_files_get_one_clear_error(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (item,) = iter_articles([path])
    assert item.article is None and item.error is not None
    assert item.error.startswith(f"{path}: ") and message in item.error


def test_encodings_and_non_english_text_load(tmp_path: Path) -> None:
    german = "Die Regierung hat am Montag neue Regeln beschlossen. Sie gelten ab März für alle Bürger."
    for name, data in [
        ("utf16.txt", german.encode("utf-16")),
        ("bom.txt", b"\xef\xbb\xbf" + german.encode()),
        ("cp1252.txt", german.encode("cp1252")),
    ]:
        (tmp_path / name).write_bytes(data)
        article = load_article(tmp_path / name)
        assert [s.text for s in article.sentences] == [
            "Die Regierung hat am Montag neue Regeln beschlossen.",
            "Sie gelten ab März für alle Bürger.",
        ]


def test_every_kind_of_bad_input_fails_alone_and_the_good_file_is_briefed(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from summarizer.cli import app

    (tmp_path / "blank.txt").write_bytes(b" \n ")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (tmp_path / "huge.txt").write_bytes(b"word " * (MAX_INPUT_BYTES // 5 + 1))
    (tmp_path / "empty-dir").mkdir()
    inputs = [str(tmp_path / name) for name in ("blank.txt", "binary.txt", "huge.txt", "missing.txt", "empty-dir")]
    result = CliRunner().invoke(app, ["brief", *inputs, str(SEEDS[0]), "-o", str(tmp_path / "out"), "--provider", "replay"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("summarizer: error:")]
    assert errors == [
        f"summarizer: error: {tmp_path / 'blank.txt'}: the article is empty",
        f"summarizer: error: {tmp_path / 'binary.txt'}: looks like a binary file, not text",
        f"summarizer: error: {tmp_path / 'huge.txt'}: 2.0 MB is too large for a news article (limit 2 MB)",
        f"summarizer: error: {tmp_path / 'missing.txt'}: no such file",
        f"summarizer: error: {tmp_path / 'empty-dir'}: no article files ({', '.join(SUPPORTED_SUFFIXES)}) in this directory",
    ]
    assert "Traceback" not in result.output
    assert (tmp_path / "out" / f"{SEEDS[0].stem}.brief.json").is_file()
    assert "5 of 6 inputs failed" in result.stderr


def test_a_rerun_after_an_interruption_briefs_only_what_is_missing(tmp_path: Path) -> None:
    from summarizer.output.files import brief_files
    from summarizer.providers.replay import ReplayProvider
    from summarizer.runs.cache import BriefCache
    from tests.conftest import FIXTURES

    cache = BriefCache(tmp_path / "cache")
    first = ReplayProvider(FIXTURES)
    done = list(brief_files(SEEDS[:2], provider=first, cache=cache))  # the run stopped after two articles
    assert all(outcome.ok and not outcome.cached for outcome in done)
    second = ReplayProvider(FIXTURES)
    rerun = list(brief_files(SEEDS, provider=second, cache=cache))
    assert [outcome.cached for outcome in rerun] == [True, True, False, False, False]
    assert [outcome.brief.model_dump() for outcome in rerun[:2]] == [outcome.brief.model_dump() for outcome in done]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "link",
    ["http://" + "a" * 300 + ".example/story", "http://[::1:80/story", "http://exa\u0000mple.test/story"],
)
def test_a_feed_entry_whose_link_cannot_be_fetched_fails_alone(tmp_path: Path, link: str) -> None:
    full_text = " ".join(["The council approved the new budget on Monday after a long debate."] * 16)
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>
<item><title>Budget approved</title><link>https://news.test/budget</link><description>{full_text}</description></item>
<item><title>Broken</title><link>{link.replace("&", "&amp;")}</link><description>Short teaser.</description></item>
</channel></rss>"""
    (tmp_path / "local.rss").write_text(feed, encoding="utf-8")
    loaded = list(iter_articles([tmp_path / "local.rss"]))
    assert len(loaded) == 2 and loaded[0].article is not None and loaded[0].article.title == "Budget approved"
    assert loaded[1].article is None and loaded[1].error and "\n" not in loaded[1].error


def test_an_unforeseen_error_reading_one_file_fails_that_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.inputs import loading

    (tmp_path / "a.txt").write_text("The council met on Monday. It approved the budget.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The mayor spoke on Tuesday. She thanked the council.", encoding="utf-8")
    real = loading.load_article

    def flaky(source: object) -> object:
        if str(source).endswith("a.txt"):
            raise RuntimeError("a library bug")
        return real(source)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "load_article", flaky)
    loaded = list(iter_articles([tmp_path / "a.txt", tmp_path / "b.txt"]))
    assert [item.article is None for item in loaded] == [True, False]
    assert loaded[0].error and "a.txt" in loaded[0].error and "RuntimeError: a library bug" in loaded[0].error
