"""The gateway's /v1/responses through the official `openai` SDK.

Run by Tests/CLITests/PythonSDKTests.swift against a real gateway whose fake upstream answers, in this
order: a text (responses.create), a text (responses.stream), a get_weather tool call and then a text (the
function-tool round trip). Needs OPENCLAW_BASE_URL (http://127.0.0.1:PORT/v1) and OPENCLAW_API_KEY (the
gateway token). Plain asserts: exit status 0 means every check passed.
"""

import json
import os

import openai

BASE_URL = os.environ["OPENCLAW_BASE_URL"]
API_KEY = os.environ["OPENCLAW_API_KEY"]
EXPECTED = os.environ.get("OPENCLAW_EXPECTED_TEXT", "Hello from the fake model.")
EXPECTED_AFTER_TOOL = os.environ.get("OPENCLAW_EXPECTED_TOOL_TEXT", "It is sunny in Oslo.")

client = openai.OpenAI(base_url=BASE_URL, api_key=API_KEY, max_retries=0, timeout=30)

WEATHER_TOOL = {
    "type": "function",
    "name": "get_weather",
    "description": "Current weather for a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}


def test_create():
    response = client.responses.create(model="openclaw", input="Say hello", instructions="Be brief.")
    assert response.id.startswith("resp_"), response.id
    assert response.status == "completed", response.status
    assert response.output_text == EXPECTED, response.output_text
    assert response.usage is not None


def test_stream():
    deltas = []
    with client.responses.stream(model="openclaw/default", input="Say hello") as stream:
        for event in stream:
            if event.type == "response.output_text.delta":
                deltas.append(event.delta)
        final = stream.get_final_response()
    assert "".join(deltas) == EXPECTED, deltas
    assert final.status == "completed", final.status
    assert final.output_text == EXPECTED, final.output_text


def test_function_tool_round_trip():
    first = client.responses.create(model="openclaw", input="Weather in Oslo?", tools=[WEATHER_TOOL])
    calls = [item for item in first.output if item.type == "function_call"]
    assert len(calls) == 1, first.output
    call = calls[0]
    assert call.name == "get_weather", call.name
    assert json.loads(call.arguments) == {"city": "Oslo"}, call.arguments
    second = client.responses.create(
        model="openclaw",
        previous_response_id=first.id,
        tools=[WEATHER_TOOL],
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": json.dumps({"sky": "sunny"})}],
    )
    assert second.status == "completed", second.status
    assert second.output_text == EXPECTED_AFTER_TOOL, second.output_text


def test_wrong_key():
    wrong = openai.OpenAI(base_url=BASE_URL, api_key="not-the-token", max_retries=0, timeout=30)
    try:
        wrong.responses.create(model="openclaw", input="hi")
    except openai.AuthenticationError as error:
        assert error.status_code == 401
    else:
        raise AssertionError("a wrong key was accepted")


if __name__ == "__main__":
    # The order matters: the fake upstream answers requests in the order the checks make them.
    for check in (test_create, test_stream, test_function_tool_round_trip, test_wrong_key):
        check()
        print(f"ok {check.__name__}")
