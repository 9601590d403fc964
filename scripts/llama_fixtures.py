"""Records llama-server's answers to the requests Assay sends, as test fixtures (scripts/llama-server record DIR).

For each case it writes NAME.request.json (what was sent, with method and path) and NAME.json (the body the server
answered, byte for byte), and prints one line per case with the HTTP status. The requests are the ones Assay's
client sends (OpenAiJson): a chat completion, one with chat log-probs, one with a response_format JSON schema, a
legacy completion with echo and log-probs (the implicit reward's request), and one the server rejects.

Usage: python3 llama_fixtures.py BASE_URL MODEL CONTEXT_PER_SLOT OUT_DIR
Fails (exit 1) when a case answers with a status other than the one expected, so a fixture never silently records
a different situation than its name says.
"""

import json
import os
import sys
import urllib.error
import urllib.request

JUDGE_SCHEMA = {
    "type": "object",
    "properties": {
        "score": {"type": "integer", "minimum": 1, "maximum": 10},
        "rationale": {"type": "string", "maxLength": 120},
    },
    "required": ["score", "rationale"],
    "additionalProperties": False,
}


def cases(model: str, context_per_slot: int):
    user = lambda text: [{"role": "user", "content": text}]  # noqa: E731
    return [
        ("models", "GET", "/v1/models", None, 200),
        (
            "chat",
            "POST",
            "/v1/chat/completions",
            {"model": model, "messages": user("Write one sentence about tides."), "temperature": 0.8,
             "top_p": 1.0, "max_tokens": 24, "n": 1, "seed": 7},
            200,
        ),
        (
            "chat-logprobs",
            "POST",
            "/v1/chat/completions",
            {"model": model, "messages": user("Say something."), "temperature": 0.8, "top_p": 1.0,
             "max_tokens": 8, "n": 1, "seed": 5, "logprobs": True, "top_logprobs": 3},
            200,
        ),
        (
            "chat-structured",
            "POST",
            "/v1/chat/completions",
            {"model": model, "messages": user("Grade this answer from 1 to 10."), "temperature": 0.8,
             "top_p": 1.0, "max_tokens": 200, "n": 1, "seed": 11,
             "response_format": {"type": "json_schema",
                                 "json_schema": {"name": "grade", "strict": True, "schema": JUDGE_SCHEMA}}},
            200,
        ),
        (
            "completions-echo",
            "POST",
            "/v1/completions",
            {"model": model, "prompt": "User: What is 2 + 2?\nAssistant: Four.", "max_tokens": 4, "echo": True,
             "logprobs": 1, "temperature": 1.0, "seed": 3},
            200,
        ),
        (
            "error-400",
            "POST",
            "/v1/chat/completions",
            {"model": model, "messages": user("word " * (context_per_slot + 100)), "temperature": 0.8,
             "top_p": 1.0, "max_tokens": 4, "n": 1, "seed": 1},
            400,
        ),
    ]


def main() -> None:
    base, model, context_per_slot, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    os.makedirs(out, exist_ok=True)
    for name, method, path, body, expected in cases(model, context_per_slot):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as r:
                status, answer = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, answer = e.code, e.read()
        if status != expected:
            sys.exit(f"llama_fixtures: {name}: HTTP {status}, expected {expected}: {answer[:300]!r}")
        with open(os.path.join(out, name + ".request.json"), "w") as f:
            # The long prompt of error-400 is kept: the fixture says exactly what was sent.
            json.dump({"method": method, "path": path, "status": status, "body": body}, f, indent=2)
            f.write("\n")
        with open(os.path.join(out, name + ".json"), "wb") as f:
            f.write(answer)
        print(f"{name}: HTTP {status}, {len(answer)} bytes")


if __name__ == "__main__":
    main()
