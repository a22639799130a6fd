"""A generated corpus of programs of realistic shape, sized by its total number of steps.

Each program has modules → sections → steps with Markdown bodies of 300–1,500 characters,
a form of 3–15 questions on about one step in five, and flags. The same seed gives the same
corpus, byte for byte, so runs on different machines measure the same content.

    python -m benchmarks.corpus OUT --steps 2000
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

STEPS_PER_PROGRAM = 200
MODULES_PER_PROGRAM = 8
SECTIONS_PER_MODULE = 4

WORDS = [
    "att",
    "och",
    "det",
    "som",
    "en",
    "på",
    "är",
    "av",
    "för",
    "med",
    "till",
    "den",
    "har",
    "de",
    "inte",
    "om",
    "ett",
    "han",
    "var",
    "men",
    "så",
    "vi",
    "kan",
    "du",
    "man",
    "vid",
    "nu",
    "eller",
    "när",
    "hur",
    "mycket",
    "alla",
    "hade",
    "ska",
    "sina",
    "skulle",
    "andra",
    "många",
    "efter",
    "kroppen",
    "stress",
    "oro",
    "sömn",
    "tankar",
    "känslor",
    "vardagen",
    "arbetet",
    "träning",
    "smärta",
    "rörelse",
    "andning",
    "vila",
    "återhämtning",
    "behandlare",
    "övning",
    "veckan",
    "dagen",
    "kvällen",
    "morgonen",
    "planen",
    "målet",
    "steget",
    "beteende",
    "undvikande",
    "trygghet",
    "vanor",
    "mående",
    "hälsa",
    "familjen",
    "vänner",
    "samtal",
    "frågor",
    "svar",
    "förändring",
    "motivation",
    "kartläggning",
    "reflektion",
    "uppmärksamhet",
    "nedstämdhet",
    "ångest",
    "glädje",
    "promenad",
    "styrka",
    "balans",
    "knäet",
    "höften",
    "leden",
    "artros",
    "värk",
    "belastning",
    "pauser",
    "tålamod",
]
TITLE_WORDS = [
    "Introduktion",
    "Sömn",
    "Stress",
    "Oro",
    "Tankar",
    "Känslor",
    "Vardag",
    "Träning",
    "Andning",
    "Vila",
    "Mål",
    "Plan",
    "Vanor",
    "Återfall",
    "Värderingar",
    "Problemlösning",
    "Avslappning",
    "Exponering",
    "Beteenden",
    "Kroppen",
    "Smärta",
]
LINKS = ("https://www.1177.se/liv--halsa/", "https://www.fass.se/", "mailto:support@example.se")
QUESTION_TYPES = (
    "single_choice",
    "multiple_choice",
    "short_text",
    "long_text",
    "scale",
    "number",
    "date",
    "consent",
)


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    text = " ".join(words)
    if rng.random() < 0.15:
        i = rng.randrange(len(words))
        words[i] = f"**{words[i]}**"
        text = " ".join(words)
    if rng.random() < 0.08:
        text += f" Läs mer på [{rng.choice(TITLE_WORDS).lower()}]({rng.choice(LINKS)})"
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def body(rng: random.Random) -> str:
    """Markdown of 300–1,500 characters: a heading, paragraphs, sometimes a list or table."""
    target = rng.randint(300, 1500)
    parts = [f"## {rng.choice(TITLE_WORDS)} och {rng.choice(WORDS)}"]
    while sum(len(p) + 2 for p in parts) < target - 120:
        roll = rng.random()
        if roll < 0.15:
            parts.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(2, 5))))
        elif roll < 0.2:
            rows = [f"| {rng.choice(WORDS)} | {rng.randint(1, 9)} |" for _ in range(3)]
            parts.append("\n".join(["| Vad | Hur många |", "|---|---:|", *rows]))
        else:
            parts.append(paragraph(rng))
    text = "\n\n".join(parts)
    return text[:1500].rstrip() if len(text) > 1500 else text


def title(rng: random.Random) -> str:
    return f"{rng.choice(TITLE_WORDS)} och {rng.choice(WORDS)}"


def block(text: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(pad + line if line else "" for line in text.splitlines()) + "\n"


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def question(rng: random.Random, index: int) -> str:
    kind = rng.choice(QUESTION_TYPES)
    lines = [f"  - id: q{index + 1}", f"    type: {kind}", f"    text: {quote(sentence(rng))}"]
    if rng.random() < 0.3 and kind != "consent":
        lines.append("    required: true")
    if kind in ("single_choice", "multiple_choice"):
        lines.append("    options:")
        for n in range(rng.randint(2, 6)):
            lines.append(f"      - {{value: v{n}, label: {quote(title(rng))}}}")
    elif kind == "scale":
        lines += ["    min: 0", "    max: 10", "    min_label: Inte alls", "    max_label: Mycket"]
    elif kind == "number":
        lines += ["    min: 0", "    max: 100", "    integer: true"]
    elif kind == "consent":
        lines.append("    statement: Jag samtycker")
    elif kind == "short_text":
        lines.append("    max_length: 200")
    return "\n".join(lines)


def form(rng: random.Random, name: str) -> str:
    questions = [question(rng, i) for i in range(rng.randint(3, 15))]
    head = ["# yaml-language-server: $schema=../../../schema/form.schema.json"]
    return "\n".join([*head, f"title: {quote(name)}", "questions:", *questions]) + "\n"


def step(rng: random.Random, number: str, sid: str, forms: list[str]) -> str:
    is_form = rng.random() < 0.2
    kind = "form" if is_form else rng.choice(("text", "text", "text", "exercise"))
    lines = [
        f"      - id: {sid}",
        f'        number: "{number}"',
        f"        title: {quote(title(rng))}",
        f"        type: {kind}",
        "        body: " + block(body(rng), 10).rstrip("\n"),
    ]
    if is_form:
        form_id = f"formular-{len(forms) + 1}"
        forms.append(form_id)
        lines.append(f"        forms: [{form_id}]")
    if rng.random() < 0.1:
        lines.append("        selectable: true")
    return "\n".join(lines)


def module(rng: random.Random, number: int, steps: int, forms: list[str]) -> str:
    head = [
        "# yaml-language-server: $schema=../../../schema/module.schema.json",
        f"title: {quote(title(rng))}",
        f'number: "{number:02d}"',
        f"summary: {quote(sentence(rng))}",
        "length_days: 90",
        "guidance:",
        "  goals:",
        f"    patient: [{quote(sentence(rng))}]",
        f"  when_done: [{quote(sentence(rng))}]",
        "sections:",
    ]
    out = list(head)
    per_section = _split(steps, SECTIONS_PER_MODULE)
    for s, count in enumerate(per_section, start=1):
        out += [f"  - id: avsnitt-{s}", f'    number: "{number:02d}.{s}"']
        out += [f"    title: {quote(title(rng))}", "    steps:"]
        for n in range(1, count + 1):
            out.append(step(rng, f"{number:02d}.{s}.{n}", f"steg-{s}-{n}", forms))
    return "\n".join(out) + "\n"


def _split(total: int, parts: int) -> list[int]:
    parts = max(1, min(parts, total))
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


FLAGS = """flags:
  - id: startat
    title: Startat moment
    trigger: {type: program_started}
    recipient: patient
    message: Ditt program har startat.
  - id: paminnelse
    title: Påminnelse
    trigger: {type: inactivity, days: 7}
    recipient: patient
    message: Det var ett tag sedan du loggade in.
  - id: modul-slutar
    title: Modulen slutar snart
    trigger: {type: module_ends, days_before: 3}
    recipient: clinician
    message: En modul avslutas om tre dagar.
"""


def program_yaml(rng: random.Random, pid: str, modules: list[str]) -> str:
    lines = [
        "# yaml-language-server: $schema=../../schema/program.schema.json",
        f"id: {pid}",
        f"title: {quote('Program ' + title(rng))}",
        'version: "1.0"',
        "publisher: Region Exempel",
        f"summary: {quote(sentence(rng))}",
        "welcome: " + block(paragraph(rng), 2).rstrip("\n"),
        "roles:",
        "  - id: dataadministrator",
        "    title: Dataadministratör",
        "    responsibilities: [Gallrar avslutade program.]",
        "modules:",
        *(f"  - {m}" for m in modules),
        FLAGS.rstrip("\n"),
        "retention:",
        "  purge: on_completion",
        "  max_days: 730",
        "  responsible_role: dataadministrator",
    ]
    return "\n".join(lines) + "\n"


def write_program(root: Path, pid: str, steps: int, seed: int) -> None:
    rng = random.Random(f"{seed}-{pid}")
    folder = root / pid
    (folder / "modules").mkdir(parents=True)
    (folder / "forms").mkdir()
    forms: list[str] = []
    names = [f"modul-{i + 1}" for i in range(min(MODULES_PER_PROGRAM, steps))]
    for i, (name, count) in enumerate(zip(names, _split(steps, len(names)), strict=True)):
        text = module(rng, i + 1, count, forms)
        (folder / "modules" / f"{name}.yaml").write_text(text, encoding="utf-8")
    for form_id in forms:
        text = form(rng, "Formulär " + title(rng))
        (folder / "forms" / f"{form_id}.yaml").write_text(text, encoding="utf-8")
    (folder / "program.yaml").write_text(program_yaml(rng, pid, names), encoding="utf-8")


def generate(out: Path, steps: int, seed: int = 1) -> list[Path]:
    """Write a corpus of `steps` steps in programs of STEPS_PER_PROGRAM steps; returns them."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    count = max(1, -(-steps // STEPS_PER_PROGRAM))
    sizes = _split(steps, count)
    for i, size in enumerate(sizes):
        write_program(out, f"program-{i + 1:03d}", size, seed)
    return sorted(out.iterdir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    programs = generate(args.out, args.steps, args.seed)
    print(f"{len(programs)} programs, {args.steps} steps in {args.out}")


if __name__ == "__main__":
    main()
