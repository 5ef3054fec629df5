"""Mutations of an interchange, for fuzzing the gateway: the damage real files suffer."""

from __future__ import annotations

import random

MUTATIONS = (
    "truncate",
    "swap segments",
    "duplicate segment",
    "drop segment",
    "wrong separator",
    "huge value",
    "non-ASCII",
    "wrong count",
    "random bytes",
    "stray release character",
)


def mutate(text: str, rng: random.Random) -> tuple[str, str]:
    """One randomly damaged copy of ``text`` and the name of the damage."""
    kind = rng.choice(MUTATIONS)
    if not text:
        return "'", kind
    segments = text.split("'")
    if kind == "truncate":
        return text[: rng.randrange(len(text))], kind
    if kind == "swap segments" and len(segments) > 3:
        i, j = rng.sample(range(len(segments) - 1), 2)
        segments[i], segments[j] = segments[j], segments[i]
    elif kind == "duplicate segment":
        i = rng.randrange(len(segments))
        segments.insert(i, segments[i])
    elif kind == "drop segment" and len(segments) > 2:
        del segments[rng.randrange(len(segments))]
    elif kind == "wrong separator":
        position = rng.randrange(len(text))
        return text[:position] + rng.choice("+:'?*|\n") + text[position + 1 :], kind
    elif kind == "huge value":
        i = rng.randrange(len(segments))
        segments[i] += "+" + rng.choice("9X:") * rng.choice((600, 5_000, 100_000))
    elif kind == "non-ASCII":
        position = rng.randrange(len(text))
        return text[:position] + rng.choice("é中\u0000\ufeff\u202e😀") + text[position:], kind
    elif kind == "wrong count":
        for i, segment in enumerate(segments):
            if segment.strip().startswith(("UNT+", "UNZ+", "CNT+")) and rng.random() < 0.7:
                head, _, tail = segment.partition("+")
                _count, _, rest = tail.partition("+")
                segments[i] = f"{head}+{rng.choice(('0', '-1', '99999999999', 'X', ''))}+{rest}"
    elif kind == "random bytes":
        position = rng.randrange(len(text))
        noise = "".join(chr(rng.randrange(0, 0x250)) for _ in range(rng.randrange(1, 20)))
        return text[:position] + noise + text[position:], kind
    elif kind == "stray release character":
        position = rng.randrange(len(text))
        return text[:position] + "?" + text[position:], kind
    return "'".join(segments), kind
