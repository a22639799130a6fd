"""Every text of a program the linter reads, from the model: who reads it (the patient or the
clinician), where it was written (a `Ref` and the path below it), and its Markdown blocks with
the prose of each as plain text of the same length (markup blanked), so that a position in the
prose is a position in the block (`Block.offset`) and so in the file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from ..check.findings import Block, blocks
from ..diagnostics import Location
from ..model.program import Form, Module, Program, Ref, Step
from .swedish import Sentence, sentences

Audience = Literal["patient", "clinician"]

# Markup blanked out of a block's content, keeping every other character where it was.
_MARKUP = re.compile(
    r"(`+)[^`]*?\1"  # code: not prose
    r"|\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)"  # '](url "title")' of a link or image
    r"|<[a-z][a-z0-9+.-]*:[^<>\s]*>"  # an autolink
    r"|https?://[^\s<>()]+|www\.[^\s<>()]+"  # a web address written as text
    r"|\\[!-/:-@\[-`{-~]"  # a backslash escape
    r"|!\[|[\[\]*_]",  # brackets and emphasis
    re.IGNORECASE,
)


# What is not text of the page: code, a link's or image's target, an autolink (a link).
_TARGETS = re.compile(
    r"(`+)[^`]*?\1|\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)|<[a-z][a-z0-9+.-]*:[^<>\s]*>",
    re.IGNORECASE,
)


def without_targets(content: str) -> str:
    """An inline text with code and the targets of links and images blanked."""
    return _TARGETS.sub(lambda m: " " * len(m.group()), content)


def prose(content: str) -> str:
    """The words of an inline text: markup, code and addresses blanked."""
    return _MARKUP.sub(lambda m: " " * len(m.group()), content)


@dataclass(frozen=True)
class Text:
    value: str
    ref: Ref = field(repr=False)
    at: tuple[str | int, ...]  # the value's path below `ref`
    audience: Audience
    where: str  # "step 'andning'", for messages
    module: Module | None = field(default=None, repr=False)
    step: Step | None = field(default=None, repr=False)
    form: str | None = None  # the form a question's text belongs to

    @cached_property
    def blocks(self) -> list[Block]:
        return blocks(self.value)

    @cached_property
    def sentences(self) -> list[Placed]:
        """The sentences of the text, each heading, list item and table cell one of its own."""
        return [
            Placed(sentence, self, block.offset(sentence.start))
            for block in self.blocks
            for sentence in sentences(prose(block.token.content))
        ]

    @cached_property
    def words(self) -> int:
        return sum(len(p.sentence.words) for p in self.sentences)

    def location(self, offset: int | None = None) -> Location:
        return self.ref.at(*self.at, offset=offset)


@dataclass(frozen=True)
class Placed:
    """A sentence and the text it stands in, with its offset in that text's value."""

    sentence: Sentence
    text: Text
    offset: int


def texts(program: Program) -> Iterator[Text]:
    """The program's prose, in file order: program.yaml, each module, each form."""
    yield from _program(program)
    for module in program.modules:
        yield from _module(module)
    for form in program.forms:
        yield from _form(form)


def _program(p: Program) -> Iterator[Text]:
    ref = p.ref

    def text(value: str | None, *at: str | int, audience: Audience = "clinician") -> Iterator[Text]:
        if value:
            yield Text(value, ref, at, audience, "program.yaml")

    yield from text(p.title, "title", audience="patient")
    yield from text(p.summary, "summary", audience="patient")
    yield from text(p.welcome, "welcome", audience="patient")
    yield from text(p.emergency, "emergency", audience="patient")
    yield from text(p.description, "description")
    for key in ("target_group", "benefits", "principles", "requirements", "communication"):
        for i, item in enumerate(getattr(p, key)):
            yield from text(item, key, i)
    for i, role in enumerate(p.roles):
        for j, item in enumerate(role.responsibilities):
            yield from text(item, "roles", i, "responsibilities", j)
    for i, phase in enumerate(p.way_of_working):
        yield from text(phase.description, "way_of_working", i, "description")
        for j, item in enumerate(phase.steps):
            yield from text(item, "way_of_working", i, "steps", j)
    for i, example in enumerate(p.usage_examples):
        yield from text(example.body, "usage_examples", i, "body")
    for i, support in enumerate(p.support):
        yield from text(support.description, "support", i, "description")
    for i, checklist in enumerate(p.checklists):
        yield from text(checklist.description, "checklists", i, "description")
        for j, item in enumerate(checklist.items):
            yield from text(item.title, "checklists", i, "items", j, "title")
            for k, detail in enumerate(item.details):
                yield from text(detail, "checklists", i, "items", j, "details", k)
    for i, risk in enumerate(p.risks):
        yield from text(risk.risk, "risks", i, "risk")
        yield from text(risk.action, "risks", i, "action")
    for i, section in enumerate(p.guide_sections):
        yield from text(section.body, "guide_sections", i, "body")
    for flag in p.flags:
        audience: Audience = "patient" if flag.recipient == "patient" else "clinician"
        yield Text(flag.message, flag.ref, ("message",), audience, f"flag '{flag.id}'")
        if flag.description:
            yield Text(
                flag.description, flag.ref, ("description",), "clinician", f"flag '{flag.id}'"
            )
    for plan in p.activity_plans:
        if plan.description:
            where = f"activity plan '{plan.id}'"
            yield Text(plan.description, plan.ref, ("description",), "clinician", where)


def _module(module: Module) -> Iterator[Text]:
    where = f"module '{module.id}'"
    for key in ("title", "summary", "description"):
        if value := getattr(module, key):
            yield Text(value, module.ref, (key,), "patient", where, module)
    if module.starts_when:
        yield Text(module.starts_when, module.ref, ("starts_when",), "clinician", where, module)
    g = module.guidance
    lists = {
        ("main_content",): g.main_content,
        ("goals", "patient"): g.goals_patient,
        ("goals", "clinician"): g.goals_clinician,
        ("when_done",): g.when_done,
        ("notes",): g.notes,
    }
    for path, items in lists.items():
        for i, item in enumerate(items):
            yield Text(item, module.ref, ("guidance", *path, i), "clinician", where, module)
    for section in module.sections:
        swhere = f"section '{section.id}'"
        yield Text(section.title, section.ref, ("title",), "patient", swhere, module)
        if section.description:
            yield Text(
                section.description, section.ref, ("description",), "patient", swhere, module
            )
        for step in section.steps:
            yield from _step(module, step)


def _step(module: Module, step: Step) -> Iterator[Text]:
    where = f"step '{step.id}'"
    yield Text(step.title, step.ref, ("title",), "patient", where, module, step)
    if step.body:
        yield Text(step.body, step.ref, ("body",), "patient", where, module, step)
    if step.media:
        at = ("media", "description")
        yield Text(step.media.description, step.ref, at, "patient", where, module, step)
    if step.guidance:
        yield Text(step.guidance, step.ref, ("guidance",), "clinician", where, module, step)


def _form(form: Form) -> Iterator[Text]:
    where = f"form '{form.id}'"
    yield Text(form.title, form.ref, ("title",), "patient", where, form=form.id)
    if form.description:
        yield Text(form.description, form.ref, ("description",), "patient", where, form=form.id)
    for q in form.questions:
        qwhere = f"question '{q.id}' of form '{form.id}'"
        for key in ("text", "help", "statement", "min_label", "max_label"):
            if value := getattr(q, key):
                yield Text(value, q.ref, (key,), "patient", qwhere, form=form.id)
        for i, option in enumerate(q.options):
            at: tuple[str | int, ...] = ("options", i, "label")
            yield Text(option.label, q.ref, at, "patient", qwhere, form=form.id)
            if option.group and (i == 0 or q.options[i - 1].group != option.group):
                at = ("options", i, "group")  # a checklist's heading, once where it starts
                yield Text(option.group, q.ref, at, "patient", qwhere, form=form.id)
        for i, column in enumerate(q.columns):
            at = ("columns", i, "text")
            yield Text(column.text, q.ref, at, "patient", qwhere, form=form.id)
    for value in form.computed:  # read by the clinician in the guide and the preview
        vwhere = f"computed value '{value.id}' of form '{form.id}'"
        yield Text(value.title, value.ref, ("title",), "clinician", vwhere, form=form.id)
        if value.description:
            at = ("description",)
            yield Text(value.description, value.ref, at, "clinician", vwhere, form=form.id)


@dataclass(frozen=True)
class Link:
    href: str
    words: str  # the link's text as the reader sees it
    offset: int  # of its '[' (or '<') in the text's value
    written_as_address: bool  # <https://…>: the address is the text


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    offset: int


def links(text: Text) -> Iterator[Link]:
    for block in text.blocks:
        children = block.token.children or []
        for i, child in enumerate(children):
            if child.type != "link_open":
                continue
            words = []
            for inner in children[i + 1 :]:
                if inner.type == "link_close":
                    break
                words.append(inner.content)
            href = str(child.attrs.get("href", ""))
            offset = block.offset(child.meta.get("pos", 0))
            yield Link(href, "".join(words), offset, child.markup == "autolink")


def images(text: Text) -> Iterator[Image]:
    for block in text.blocks:
        for child in block.token.children or []:
            if child.type == "image":
                src = str(child.attrs.get("src", ""))
                yield Image(src, child.content, block.offset(child.meta.get("pos", 0)))
