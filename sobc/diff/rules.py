"""The rules `sobc diff` classifies changes by: each with a stable id, the class of what it
breaks, what it detects and why (the table in docs/diff.md is tested against this one)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ChangeClass(StrEnum):
    """What a change can do to people already in the program, most severe first."""

    DATA_BREAKING = "data-breaking"
    SAFETY = "safety"
    STRUCTURE = "structure"
    WORDING = "wording"
    COSMETIC = "cosmetic"

    @property
    def rank(self) -> int:
        """0 for cosmetic, higher for worse: `--fail-on` compares ranks."""
        return len(CLASSES) - 1 - CLASSES.index(self)


CLASSES = tuple(ChangeClass)


@dataclass(frozen=True)
class Rule:
    id: str
    change_class: ChangeClass
    detects: str
    why: str


D, S, T, W, C = (
    ChangeClass.DATA_BREAKING,
    ChangeClass.SAFETY,
    ChangeClass.STRUCTURE,
    ChangeClass.WORDING,
    ChangeClass.COSMETIC,
)

RULES: tuple[Rule, ...] = (
    Rule(
        "program-removed",
        D,
        "A program is gone (compared folders or packages no longer hold it).",
        "Patients in it have nothing to continue with.",
    ),
    Rule(
        "module-removed",
        D,
        "A module is gone.",
        "Patients who were given it lose their place in it and its progress.",
    ),
    Rule(
        "step-removed",
        D,
        "A step is gone from its module.",
        "Progress stored for the step (done, chosen by the clinician) points at nothing.",
    ),
    Rule(
        "form-removed",
        D,
        "A form is gone.",
        "Answers patients have stored in it no longer belong to any form.",
    ),
    Rule(
        "question-removed",
        D,
        "A question that stores an answer is gone from its form.",
        "Stored answers to it can no longer be shown or read.",
    ),
    Rule(
        "question-type-changed",
        D,
        "A question's type changed (single_choice to multiple_choice, short_text to time …); "
        "the options, columns, limits and labels the new type brings or the old one took are "
        "its detail, not changes of their own.",
        "Stored answers have the shape of the old type.",
    ),
    Rule(
        "option-removed",
        D,
        "An answer option (matched by value) is gone from a question or plan column.",
        "Stored answers holding its value no longer match any option.",
    ),
    Rule(
        "option-value-changed",
        D,
        "An option's stored value changed (declared with renamed_from on the option).",
        "Stored answers hold the old value; runtimes must convert them with the rename map.",
    ),
    Rule(
        "answer-range-narrowed",
        D,
        "A limit on answers got stricter: min raised, max lowered (scale, number, max_length, "
        "selections, rows, any min_/max_ setting), or whole numbers now required.",
        "Answers stored under the old limits may fall outside the new ones.",
    ),
    Rule(
        "plan-columns-changed",
        D,
        "A plan question's columns changed: a column added or removed, its type or "
        "whether it is required.",
        "Stored plan rows have the old columns.",
    ),
    Rule(
        "form-scoring-changed",
        D,
        "A form's scoring changed: scores of options, totals, bands, computed values (any "
        "field named in SCORING_FIELDS, compare.py).",
        "Scores and values computed from stored answers change meaning; flags that read them "
        "fire differently.",
    ),
    Rule(
        "chart-changed",
        T,
        "A form's charts over time changed: which totals are charted, a chart's title, axis, "
        "direction of worse or note.",
        "Clinicians following a patient see the scores drawn or read otherwise; nothing "
        "stored is invalidated.",
    ),
    Rule(
        "activity-plan-removed",
        D,
        "An activity plan is gone.",
        "Patients with the plan active lose it and the entries stored under it.",
    ),
    Rule(
        "activity-plan-form-changed",
        D,
        "An activity plan uses another form.",
        "Entries stored under the plan were answers to the old form.",
    ),
    Rule(
        "track-removed",
        D,
        "A track is gone.",
        "Patients placed on the track are on none.",
    ),
    Rule(
        "major-version-not-bumped",
        D,
        "Data-breaking changes, but the major part of the program's version is the same "
        "(version policy semver).",
        "Runtimes and stored data tell incompatible versions apart by the major version.",
    ),
    Rule(
        "flag-removed",
        S,
        "A flag is gone.",
        "A clinician or patient is no longer told something.",
    ),
    Rule(
        "flag-added",
        S,
        "A flag was added.",
        "Someone is told something new, when it fires: a clinician is asked to act, or a "
        "patient reads it.",
    ),
    Rule(
        "flag-trigger-changed",
        S,
        "A flag's trigger changed: its type, module, form, plan, question, answers, days, "
        "count or any threshold "
        "(a module, form or plan it names renamed with renamed_from is no change).",
        "The flag fires at other times, or not at all, for patients already in the program.",
    ),
    Rule(
        "flag-recipient-changed",
        S,
        "A flag goes to someone else (patient or clinician).",
        "The person who acted on it is no longer told.",
    ),
    Rule(
        "flag-message-changed",
        S,
        "What a flag tells its recipient was reworded: its title, message or description.",
        "The recipient is told something else, or asked to act otherwise.",
    ),
    Rule(
        "retention-changed",
        S,
        "Retention changed: how long data is kept, when it is purged, or who is responsible.",
        "Shorter deletes patients' data earlier; longer keeps it beyond what they were told.",
    ),
    Rule(
        "instrument-wording-changed",
        S,
        "The wording of an instrument changed: question, option or column text of a form that "
        "was an instrument in OLD (declared an `instrument`, or scored).",
        "A validated instrument's answers are only comparable when asked the same way.",
    ),
    Rule(
        "emergency-text-changed",
        S,
        "A sentence naming 112 or 1177 as a number to turn to (not 1177 Stöd och behandling, "
        "the platform, nor a web address such as 1177.se) was added, removed or reworded, or "
        "the number its tel: link calls changed, in any text.",
        "Patients must always be told where to turn in an emergency.",
    ),
    Rule(
        "risk-changed",
        S,
        "A risk the clinician guide names, or what to do about it, was added, removed or "
        "reworded (its words; a link's target alone is text-changed).",
        "Clinicians act on the risks the guide names, and on what it says to do.",
    ),
    Rule(
        "contact-changed",
        S,
        "A support contact changed: added, removed, or its phone, address or hours.",
        "Patients and staff must reach the right people.",
    ),
    Rule(
        "element-added",
        T,
        "A module, section, step, form, question, option, activity plan, track, checklist, "
        "guide section, role or way-of-working phase was added (its text is shown).",
        "Patients in the program meet new content; nothing stored is invalidated.",
    ),
    Rule(
        "element-removed",
        T,
        "Something that stores nothing was removed: a section (its steps are reported on "
        "their own), an information text in a form, a checklist, guide section, role or "
        "way-of-working phase (its text is shown).",
        "The pages change; no stored answer or progress refers to it.",
    ),
    Rule(
        "element-renamed",
        T,
        "An element's id changed, declared with renamed_from.",
        "Runtimes carry stored progress and answers over with the manifest's rename map.",
    ),
    Rule(
        "element-moved",
        T,
        "A step moved to another section of its module.",
        "The patient finds it elsewhere; its progress is kept.",
    ),
    Rule(
        "element-reordered",
        T,
        "The order of modules, sections, steps, questions, options, flags, plans or tracks "
        "changed.",
        "Patients in the middle of the program see content in another order.",
    ),
    Rule(
        "length-changed",
        T,
        "A length in days changed: a module's length_days, the recommended length, a "
        "schedule's interval.",
        "Countdowns and schedules of patients already started shift.",
    ),
    Rule(
        "answer-range-widened",
        T,
        "A limit on answers got looser (min lowered, max raised, whole numbers no longer "
        "required).",
        "Every stored answer still fits; new answers may not fit older readers.",
    ),
    Rule(
        "module-flow-changed",
        T,
        "How modules follow each other or who gets them: next (and its conditions and end), "
        "parallel_with, visibility, "
        "tracks, standalone_forms; a module choice removed, or who chooses or the modules it "
        "offers changed.",
        "Patients in the program are led along another path.",
    ),
    Rule(
        "setting-changed",
        T,
        "Any other setting that is not text: required, enable_when, a step's type (the body, "
        "forms or media it brings are its detail), forms or media file, selectable, exclusive, "
        "a plan's activation or schedule …",
        "How the program behaves changes; nothing stored is invalidated.",
    ),
    Rule(
        "form-scoring-added",
        T,
        "A form that was not scored is scored now: its totals and bands, with its options' "
        "scores as the detail.",
        "No score was computed before, so none changes meaning; a flag that reads the new "
        "scores is reported on its own.",
    ),
    Rule(
        "version-not-bumped",
        T,
        "Something more than cosmetic changed, but the program's version did not "
        "(version policy semver or changed).",
        "Readers, runtimes and records tell published versions apart by it.",
    ),
    Rule(
        "text-changed",
        W,
        "Text a patient or clinician reads changed (compared as rendered, word by word; when "
        "only a link's target changed, the Markdown as written).",
        "Worth a review, but nothing stored is affected.",
    ),
    Rule(
        "formatting-changed",
        C,
        "Whitespace or Markdown formatting changed, and the text renders the same.",
        "Nobody sees a difference.",
    ),
    Rule(
        "provenance-changed",
        C,
        "A `source:` note changed: where content comes from (the clinician guide shows it "
        "beside the content).",
        "Nothing a patient meets or a clinician does changes; it asks for no new version.",
    ),
)

BY_ID = {rule.id: rule for rule in RULES}


def rule(rule_id: str) -> Rule:
    return BY_ID[rule_id]
