"""Readability of patient text: LIX per step (its title and body), and sentences too long to
read in one go."""

from __future__ import annotations

from ..model.program import Step
from .registry import Context, rule
from .swedish import Lix, lix
from .texts import Placed

EXCERPT = 60  # characters of a sentence quoted in a message


def scored_sentences(ctx: Context, step: Step) -> list[Placed]:
    """The sentences a step's LIX is computed from: its title's and body's."""
    texts = ctx.step_texts(step)
    return [p for t in texts if t.at in (("title",), ("body",)) for p in t.sentences]


def step_lix(ctx: Context, step: Step) -> Lix:
    return lix([p.sentence for p in scored_sentences(ctx, step)])


def excerpt(text: str, width: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@rule("readability", "SOBC501")
def step_readability(ctx: Context) -> None:
    limit, least = ctx.config.lix_patient, ctx.config.lix_min_words
    for module in ctx.program.modules:
        for step in module.steps:
            found = scored_sentences(ctx, step)
            score = lix([p.sentence for p in found])
            if score.words < least or score.value <= limit:
                continue
            longest = max(found, key=lambda p: len(p.sentence.words))
            body = next((p.text for p in found if p.text.at == ("body",)), found[0].text)
            ctx.report(
                "SOBC501",
                body,
                step_id=step.id,
                lix=f"{score.value:.1f}",
                limit=f"{limit:g}",
                words=score.words,
                sentences=score.sentences,
                long=round(100 * score.long_words / score.words),
                longest=excerpt(longest.sentence.text),
            )


@rule("readability", "SOBC502")
def long_sentences(ctx: Context) -> None:
    limit = ctx.config.sentence_words
    for text in ctx.texts:
        if text.audience != "patient":
            continue
        for p in text.sentences:
            if len(p.sentence.words) > limit:
                count = len(p.sentence.words)
                ctx.report("SOBC502", text, p.offset, words=count, limit=limit)
