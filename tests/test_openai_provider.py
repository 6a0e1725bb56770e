"""The openai provider against a scripted fake endpoint on loopback."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from summarizer import brief_article as summarize_article
from summarizer.brief.pipeline import build_brief_request
from summarizer.errors import EndpointRefusedError, ProviderError
from summarizer.inputs.loading import article_from_text
from summarizer.providers.openai_compat import OpenAICompatibleProvider
from summarizer.providers.policy import RequestPolicy
from tests.fake_openai import FakeOpenAIServer, completion, error

ARTICLE = article_from_text(
    'Acme Corp said on Monday it will close its Leeds plant. "We had no choice," chief executive Jane Doe said. '
    "About 300 workers are affected.",
    article_id="acme",
)
GOOD = {
    "headline": "Acme to close Leeds plant",
    "summary": "Acme Corp will close its Leeds plant, affecting about 300 workers.",
    "key": [1, 3],
    "quotes": [1],
}


def _provider(server: FakeOpenAIServer, *, compact_json_grammar: bool = False, **policy: Any) -> OpenAICompatibleProvider:
    return OpenAICompatibleProvider(
        model="fake-model",
        base_url=server.base_url,
        api_key="sk-test-secret",
        policy=RequestPolicy(**{"backoff_initial": 0.01, "backoff_max": 0.05, **policy}),
        compact_json_grammar=compact_json_grammar,
    )


def test_success_builds_a_brief_with_text_taken_from_the_article() -> None:
    with FakeOpenAIServer([completion(json.dumps(GOOD))]) as server:
        brief = summarize_article(ARTICLE, provider=_provider(server))
    assert brief.headline == "Acme to close Leeds plant"
    assert brief.quotes[0].text == "We had no choice,"
    assert brief.quotes[0].speaker == "Jane Doe"
    assert brief.key_points[1].evidence == "About 300 workers are affected."
    assert brief.usage.attempts == 1 and brief.usage.prompt_tokens == 100
    request = server.requests[0]
    assert request["model"] == "fake-model"
    assert request["response_format"]["type"] == "json_schema"
    assert request["temperature"] == 0.0
    assert {k.lower(): v for k, v in server.headers[0].items()}["authorization"] == "Bearer sk-test-secret"


def test_429_is_retried_after_the_time_the_server_asks_for() -> None:
    replies = [error(429, "slow down", {"retry-after": "0.3"}), completion(json.dumps(GOOD))]
    with FakeOpenAIServer(replies) as server:
        started = time.monotonic()
        result = _provider(server).complete(build_brief_request(ARTICLE))
        elapsed = time.monotonic() - started
    assert result.output.headline == GOOD["headline"]
    assert result.usage.attempts == 2
    assert len(server.requests) == 2
    assert elapsed >= 0.3  # honoured Retry-After rather than the 0.01 s backoff


def test_500_then_success() -> None:
    with FakeOpenAIServer([error(500), error(503), completion(json.dumps(GOOD))]) as server:
        result = _provider(server).complete(build_brief_request(ARTICLE))
    assert result.usage.attempts == 3
    assert len(server.requests) == 3


def test_transient_errors_stop_at_the_bound_with_a_clear_error() -> None:
    with FakeOpenAIServer([error(502)] * 10) as server:
        with pytest.raises(ProviderError, match="HTTP 502.*after 3 attempts"):
            _provider(server, attempts=3).complete(build_brief_request(ARTICLE))
    assert len(server.requests) == 3


def test_client_errors_are_not_retried_and_never_show_the_key() -> None:
    with FakeOpenAIServer([error(401, "invalid api key sk-test-secret")]) as server:
        with pytest.raises(EndpointRefusedError) as caught:  # a setup error: the run stops once, exit 2
            _provider(server).complete(build_brief_request(ARTICLE))
    assert len(server.requests) == 1
    assert "HTTP 401 (invalid api key ***); the API key was not accepted" in str(caught.value)
    assert "sk-test-secret" not in str(caught.value)
    assert "invalid api key ***" in str(caught.value)


def test_invalid_json_is_re_asked_with_the_error_and_usage_is_summed() -> None:
    replies = [completion('{"headline": "Acme'), completion(json.dumps(GOOD))]
    with FakeOpenAIServer(replies) as server:
        result = _provider(server).complete(build_brief_request(ARTICLE))
    assert result.output.headline == GOOD["headline"]
    assert result.usage.attempts == 2
    assert result.usage.completion_tokens == 40
    reask = server.requests[1]["messages"]
    assert len(reask) == 6  # system, worked example (2), article, the bad answer, the correction request
    assert reask[4]["content"] == '{"headline": "Acme'


def test_prompt_tokens_served_from_the_cache_are_counted_in_either_reporting_form() -> None:
    openai_form = completion('{"headline": "Acme')
    openai_form.body["usage"]["prompt_tokens_details"] = {"cached_tokens": 64}
    llama_form = completion(json.dumps(GOOD))
    llama_form.body["timings"] = {"cache_n": 90, "prompt_n": 10}  # llama.cpp's server
    with FakeOpenAIServer([openai_form, llama_form]) as server:
        result = _provider(server).complete(build_brief_request(ARTICLE))
    assert result.usage.prompt_tokens == 200 and result.usage.cached_prompt_tokens == 154


def test_a_sentence_number_out_of_range_is_re_asked_with_the_reason() -> None:
    bad = {**GOOD, "key": [1, 9]}
    with FakeOpenAIServer([completion(json.dumps(bad)), completion(json.dumps(GOOD))]) as server:
        result = _provider(server).complete(build_brief_request(ARTICLE))
    assert result.output.key_sentences == [1, 3]
    assert "sentence 9 does not exist" in server.requests[1]["messages"][-1]["content"]


def test_re_asks_are_bounded() -> None:
    bad = json.dumps({**GOOD, "key": [42]})
    with FakeOpenAIServer([completion(bad)] * 5) as server:
        with pytest.raises(ProviderError, match="no valid answer after 2 tries"):
            _provider(server, max_reasks=1).complete(build_brief_request(ARTICLE))
    assert len(server.requests) == 2


def test_cut_off_answers_fail_clearly() -> None:
    with FakeOpenAIServer([completion('{"headline":', finish_reason="length")] * 2) as server:
        with pytest.raises(ProviderError, match="cut off"):
            _provider(server).complete(build_brief_request(ARTICLE))
    assert len(server.requests) == 2  # asked once more, with a reminder, then failed clearly


def test_a_cut_off_answer_is_asked_once_more_with_a_reminder() -> None:
    replies = [completion('{"headline":', finish_reason="length"), completion(json.dumps(GOOD))]
    with FakeOpenAIServer(replies) as server:
        result = _provider(server).complete(build_brief_request(ARTICLE))
    assert result.output.headline == GOOD["headline"]
    assert server.requests[1]["messages"][-1]["content"].startswith("Your last answer was cut off or was not valid JSON")


def test_an_answer_that_is_not_json_is_asked_once_more() -> None:
    replies = [completion("Sure! Here is the brief: headline"), completion("still no json"), completion(json.dumps(GOOD))]
    with FakeOpenAIServer(replies) as server:
        result = _provider(server, max_reasks=1).complete(build_brief_request(ARTICLE))
    assert result.output.headline == GOOD["headline"]


def test_compact_grammar_replaces_response_format() -> None:
    with FakeOpenAIServer([completion(json.dumps(GOOD))]) as server:
        _provider(server, compact_json_grammar=True).complete(build_brief_request(ARTICLE))
    request = server.requests[0]
    assert "response_format" not in request
    assert request["grammar"].startswith("%llguidance {}\nstart: %json {")
    assert '"whitespace_flexible": false' in request["grammar"]


def test_article_text_reaches_the_endpoint_unchanged_even_when_it_looks_like_a_template() -> None:
    # Tech news quotes template code; it is data. It must not be rendered (instructor renders messages as
    # Jinja templates when given a context), nor make the request fail.
    article = article_from_text(
        "The bug report showed the snippet {{ 7*7 }} and {% if user %}hello{% endif %} in the page. "
        "Engineers fixed it on Monday, the company said. About 300 sites were affected.",
        article_id="jinja",
    )
    answer = {"headline": "Bug fixed", "summary": "Engineers fixed the bug.", "key": [2], "quotes": []}
    with FakeOpenAIServer([completion(json.dumps({**answer, "key": [9]})), completion(json.dumps(answer))]) as server:
        brief = summarize_article(article, provider=_provider(server))
    sent = "\n".join(message["content"] for message in server.requests[0]["messages"])
    assert "{{ 7*7 }}" in sent and "{% if user %}hello{% endif %}" in sent and "49" not in sent
    assert "sentence 9 does not exist" in server.requests[1]["messages"][-1]["content"]  # validators still get the context
    assert brief.key_points[0].evidence.startswith("Engineers fixed it")
