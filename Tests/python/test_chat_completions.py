"""The gateway's /v1/chat/completions through the official `openai` SDK.

Run by Tests/CLITests/PythonSDKTests.swift against a real gateway whose model is a fake upstream that
answers every request with the same scripted text. Needs OPENCLAW_BASE_URL (http://127.0.0.1:PORT/v1)
and OPENCLAW_API_KEY (the gateway token). Plain asserts: exit status 0 means every check passed.
"""

import os

import openai

BASE_URL = os.environ["OPENCLAW_BASE_URL"]
API_KEY = os.environ["OPENCLAW_API_KEY"]
EXPECTED = os.environ.get("OPENCLAW_EXPECTED_TEXT", "Hello from the fake model.")

client = openai.OpenAI(base_url=BASE_URL, api_key=API_KEY, max_retries=0, timeout=30)


def test_models_list():
    ids = [model.id for model in client.models.list()]
    assert "openclaw" in ids and "openclaw/default" in ids, ids


def test_non_streaming():
    completion = client.chat.completions.create(
        model="openclaw",
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Say hello"},
        ],
    )
    assert completion.id.startswith("chatcmpl_"), completion.id
    assert completion.object == "chat.completion"
    assert completion.model == "openclaw"
    choice = completion.choices[0]
    assert choice.finish_reason == "stop", choice.finish_reason
    assert choice.message.role == "assistant"
    assert choice.message.content == EXPECTED, choice.message.content
    assert completion.usage is not None and completion.usage.total_tokens >= 0


def test_streaming():
    stream = client.chat.completions.create(
        model="openclaw/default",
        messages=[{"role": "user", "content": "Say hello"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    text = ""
    finish_reasons = []
    usage = None
    for chunk in stream:
        assert chunk.object == "chat.completion.chunk"
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            if choice.delta.content:
                text += choice.delta.content
            if choice.finish_reason:
                finish_reasons.append(choice.finish_reason)
    assert text == EXPECTED, text
    assert finish_reasons == ["stop"], finish_reasons
    assert usage is not None


def test_wrong_key():
    wrong = openai.OpenAI(base_url=BASE_URL, api_key="not-the-token", max_retries=0, timeout=30)
    try:
        wrong.chat.completions.create(model="openclaw", messages=[{"role": "user", "content": "hi"}])
    except openai.AuthenticationError as error:
        assert error.status_code == 401
    else:
        raise AssertionError("a wrong key was accepted")


def test_bad_model():
    try:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    except openai.BadRequestError as error:
        assert error.status_code == 400
    else:
        raise AssertionError("a provider model name was accepted")


if __name__ == "__main__":
    for name, check in list(globals().items()):
        if name.startswith("test_") and callable(check):
            check()
            print(f"ok {name}")
