"""robots.txt evaluated the RFC 9309 way.

Written by hand because ``urllib.robotparser`` differs from RFC 9309 where it matters:
it applies the first matching rule instead of the longest, ignores ``*`` and ``$``
wildcards, and reads only the first group naming our agent instead of merging them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

_TOKEN = re.compile(r"[A-Za-z_-]+")
_UNRESERVED = re.compile(r"%([0-9A-Fa-f]{2})")


def _normalise(path: str) -> str:
    """Percent-encode what must be, decode what need not be, upper-case the escapes."""

    def fix(m: re.Match[str]) -> str:
        ch = chr(int(m.group(1), 16))
        if ch.isascii() and (ch.isalnum() or ch in "-._~"):
            return ch
        return "%" + m.group(1).upper()

    encoded = quote(path, safe="/?&=;:@!$'()*+,%-._~[]")
    return _UNRESERVED.sub(fix, encoded)


@dataclass(slots=True)
class _Rule:
    allow: bool
    pattern: str
    regex: re.Pattern[str]

    @classmethod
    def make(cls, allow: bool, raw: str) -> _Rule:
        pattern = _normalise(raw)
        anchored = pattern.endswith("$")
        body = pattern[:-1] if anchored else pattern
        regex = ".*".join(re.escape(part) for part in body.split("*"))
        return cls(allow, pattern, re.compile(regex + ("$" if anchored else ""), re.DOTALL))


@dataclass(slots=True)
class RobotsRules:
    """The rules that apply to one product token; ``allowed(path)`` answers for a URL path."""

    rules: list[_Rule] = field(default_factory=list)

    @classmethod
    def allow_all(cls) -> RobotsRules:
        return cls()

    @classmethod
    def parse(cls, text: str, token: str) -> RobotsRules:
        token = token.lower()
        mine: list[_Rule] = []
        star: list[_Rule] = []
        in_rules = False  # the current group has started listing rules
        groups: list[tuple[list[str], list[_Rule]]] = []
        for raw_line in text.splitlines():
            line = raw_line.split("#", 1)[0].strip()
            if ":" not in line:
                continue
            key, value = (part.strip() for part in line.split(":", 1))
            key = key.lower()
            if key == "user-agent":
                if in_rules or not groups:
                    groups.append(([], []))
                    in_rules = False
                match = _TOKEN.match(value)
                groups[-1][0].append(match.group(0).lower() if match else value.lower())
            elif key in ("allow", "disallow") and groups:
                in_rules = True
                if value:  # an empty Disallow allows everything: no rule at all
                    groups[-1][1].append(_Rule.make(key == "allow", value))
        for agents, group_rules in groups:
            if token in agents:
                mine.extend(group_rules)
            if "*" in agents:
                star.extend(group_rules)
        matched_mine = any(token in agents for agents, _ in groups)
        return cls(mine if matched_mine else star)

    def allowed(self, path_and_query: str) -> bool:
        path = _normalise(path_and_query or "/")
        if path == "/robots.txt":
            return True
        best: _Rule | None = None
        for rule in self.rules:
            if rule.regex.match(path) is None:
                continue
            if (
                best is None
                or len(rule.pattern) > len(best.pattern)
                or (len(rule.pattern) == len(best.pattern) and rule.allow and not best.allow)
            ):
                best = rule
        return best is None or best.allow
