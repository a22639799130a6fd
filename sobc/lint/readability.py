"""Readability of patient text: LIX per step (its title and body), and sentences too long to
read in one go."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..model import Step
from .registry import Context, rule
from .swedish import Lix, Sentence, lix, sentences
from .texts import Text, prose

EXCERPT = 60  # characters of a sentence quoted in a message


@dataclass(frozen=True)
class Placed:
    """A sentence and the text it stands in, with its offset in that text's value."""

    sentence: Sentence
    text: Text
    offset: int


def placed_sentences(text: Text) -> Iterator[Placed]:
    """The sentences of a text, each heading, list item and table cell one of its own."""
    for block in text.blocks:
        for sentence in sentences(prose(block.token.content)):
            yield Placed(sentence, text, block.offset(sentence.start))


def step_texts(texts: Iterable[Text], step: Step) -> list[Text]:
    """What the patient reads on a step's page (its title and body)."""
    return [t for t in texts if t.step is step and t.at in (("title",), ("body",))]


def step_lix(texts: Iterable[Text], step: Step) -> Lix:
    return lix([p.sentence for t in step_texts(texts, step) for p in placed_sentences(t)])


def excerpt(text: str, width: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@rule("readability", "SOBC501")
def step_readability(ctx: Context) -> None:
    limit, least = ctx.config.lix_patient, ctx.config.lix_min_words
    for module in ctx.program.modules:
        for step in module.steps:
            found = [p for t in step_texts(ctx.texts, step) for p in placed_sentences(t)]
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
        for p in placed_sentences(text):
            if len(p.sentence.words) > limit:
                count = len(p.sentence.words)
                ctx.report("SOBC502", text, p.offset, words=count, limit=limit)
