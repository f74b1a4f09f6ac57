"""Reference renderer for the chat-template tests: Python's jinja2 in the environment that Hugging Face transformers
renders chat templates in (ImmutableSandboxedEnvironment with trim_blocks and lstrip_blocks, loop controls, a
{% generation %} tag that records where its text lands, raise_exception, strftime_now and a json.dumps-based tojson).

Reads a JSON object {"now": ISO time, "cases": [...]} on stdin and writes a JSON list of results on stdout, one per case:
{"ok": true, "text": ..., "spans": [[start, end], ...]} or {"ok": false, "error": exception type, "message": text}.
A case is either {"template", "variables"} (render with these variables) or a chat case {"template", "messages",
"add_generation_prompt", "tools", "documents", "special_tokens", "kwargs", "spans"} rendered as apply_chat_template
does: render(messages=, tools=, documents=, add_generation_prompt=, **special_tokens, **kwargs).
"""
import datetime
import json
import sys

import jinja2
from jinja2.exceptions import TemplateError
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


class GenerationTracker(Extension):
    """{% generation %}...{% endgeneration %}: renders its body and, while tracking, records [start, end) of that text
    in the output produced so far (the same bookkeeping as transformers' AssistantTracker)."""

    tags = {"generation"}

    def __init__(self, environment):
        super().__init__(environment)
        self.blocks = None
        self.spans = None

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_mark"), [], [], body).set_lineno(lineno)

    def _mark(self, caller):
        text = caller()
        if self.blocks is not None:
            start = len("".join(self.blocks))
            self.spans.append([start, start + len(text)])
        return text


def make_environment(now):
    def raise_exception(message):
        raise TemplateError(message)

    def tojson(value, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(fmt):
        return now.strftime(fmt)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[GenerationTracker, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def tracker(env):
    return next(ext for ext in env.extensions.values() if isinstance(ext, GenerationTracker))


def render(env, compiled, case):
    source = case["template"]
    if source not in compiled:  # transformers caches compiled templates the same way
        compiled[source] = env.from_string(source)
    template = compiled[source]
    if "variables" in case:
        variables = case["variables"]
    else:
        variables = dict(case.get("special_tokens") or {})
        variables.update(case.get("kwargs") or {})
        variables.update(
            messages=case["messages"],
            tools=case.get("tools"),
            documents=case.get("documents"),
            add_generation_prompt=case.get("add_generation_prompt", False),
        )
    if not case.get("spans"):
        return {"ok": True, "text": template.render(**variables)}
    track = tracker(env)
    track.blocks, track.spans = [], []
    try:
        for block in template.generate(**variables):
            track.blocks.append(block)
        return {"ok": True, "text": "".join(track.blocks), "spans": track.spans}
    finally:
        track.blocks, track.spans = None, None


def main():
    request = json.load(sys.stdin)
    env = make_environment(datetime.datetime.fromisoformat(request["now"]))
    results, compiled = [], {}
    for case in request["cases"]:
        try:
            results.append(render(env, compiled, case))
        except Exception as error:  # every failure is an outcome to compare
            results.append({"ok": False, "error": type(error).__name__, "message": str(error)})
    json.dump({"jinja2": jinja2.__version__, "results": results}, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
