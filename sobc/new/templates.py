"""The files `sobc new` writes: a program, a module and a form that validate as they are, with a
commented example of every other part of the format (remove the `# ` to use one).

Placeholders: __SCHEMA__ (the folder of the JSON Schemas, for the editor line), __ID__ and
__TITLE__; a program's also __MODULE__ and __FORM__, a module's __FORM_STEP__.
"""

from __future__ import annotations

PROGRAM = """\
# yaml-language-server: $schema=__SCHEMA__/program.schema.json
# The program '__ID__'. Every key is explained in docs/authoring.md; check the folder with
# `sobc validate`. Parts written as comments are examples: remove the `# ` to use one.
id: __ID__
title: __TITLE__
version: "0.1"
publisher: Region Exempel
summary: En eller två meningar om vad programmet är.
# description: |
#   Vad programmet är och hur det kom till, för behandlarguiden (Markdown).
# target_group:
#   - Vuxna som ...
# benefits:
#   - Patienten kan arbeta när det passar.
# principles:
#   - Kognitiv beteendeterapi
# requirements:
#   - Kräver e-legitimation
# authorised_clinicians:
#   - Leg. psykolog
roles:
  - id: behandlare
    title: Behandlare
    responsibilities:
      - Startar och avslutar programmet.
  - id: dataadministrator
    title: Dataadministratör
    responsibilities:
      - Gallrar avslutade program.
recommended_length_days: 90
welcome: |
  Välkommen till programmet! Här skriver du vad patienten läser först (Markdown).
# response_time: minst en gång i veckan
# usage_examples:
#   - title: Som självhjälp
#     body: Patienten arbetar på egen hand med stöd via meddelanden.
# communication:
#   - Skriv kort och vänligt.
# way_of_working:
#   - id: forsta-besok
#     title: Första besök
#     steps:
#       - Starta programmet.
#       - Skicka ett välkomstmeddelande.
# documentation:
#   record_system: Journalsystemet
#   action_codes:
#     - code: GC001
#       title: Rehabiliteringskoordinering
#       use: always                # always, combined or optional
# support:
#   - audience: patient            # patient, clinician or everyone
#     title: Teknisk support för invånare
#     contacts:
#       - name: 1177 Vårdguiden
#         url: https://www.1177.se
#         phone: "1177"
# checklists:
#   - id: introduktion
#     title: Att gå igenom vid introduktionen
#     items:
#       - title: Hur programmet fungerar
#     groups:                      # points under sub-headings, after the items
#       - title: Uppföljning
#         items:
#           - title: Tid för första uppföljningen
# risks:
#   - risk: Patienten mår sämre.
#     action: Kontakta patienten per telefon.
# guide_sections:
#   - id: bakgrund
#     title: Bakgrund
#     body: Mer för behandlarguiden, i Markdown.
# Tracks (Spår): alternative sets of modules; a module joins one with `tracks: [spar-a]`.
# tracks:
#   - id: spar-a
#     title: Spår A
#     description: För patienter som ...
modules:
  - __MODULE__
# Module choices (`module_choices`): the patient, or the clinician, starts one of several
# modules by the answer to a question; docs/authoring.md, Choices between modules, shows how.
# Flags (Flaggor): docs/authoring.md says exactly when each trigger fires.
# flags:
#   - id: paminnelse
#     title: Påminnelse
#     trigger: {type: inactivity, days: 7}
#     optional: true               # off until the clinician switches it on for a patient
#     adjustable: {days: {min: 7, max: 21}}   # the clinician may change days within these
#     recipient: patient           # patient or clinician
#     message: Det var ett tag sedan du loggade in.
#   - id: formular-inskickat
#     title: Formulär inskickat
#     trigger: {type: form_submitted, form: __FORM__}
#     recipient: clinician
#     message: Patienten har skickat in ett formulär.
#   - id: missad-veckologg
#     title: Missad veckologg
#     trigger: {type: plan_missed, plan: veckologg, count: 2}  # or {type: plan_due, plan: …}
#     recipient: clinician
#     message: Patienten har inte fyllt i veckologgen två gånger i rad.
#   - id: mar-daligt              # one answer, whatever the rest of the form says
#     title: Mår dåligt
#     trigger: {type: form_answered, form: __FORM__, question: maende, answers: [daligt]}
#     recipient: clinician        # a range instead: at_least / at_most (numbers, HH:MM, dates)
#     message: Patienten svarar att hen mår dåligt i dag.
# Activity plans (Aktivitetsplaner): a form the patient fills in on a schedule.
# activity_plans:
#   - id: veckologg
#     title: Veckologg
#     form: __FORM__
#     activation: clinician        # clinician or program_start
#     schedule: {every: week, weekday: sunday}
#     # or schedule: {every: day}, or {every: n_days, interval_days: 14}; with time: "07:00"
#     # the form is due from 07:00 on each due date (otherwise from 00:00)
retention:                         # Gallring: patient data is never kept beyond 730 days
  purge: on_completion
  max_days: 730
  # maintenance_days: 30           # read-only access after the program ends (Vidmakthållande)
  responsible_role: dataadministrator
"""

MODULE = """\
# yaml-language-server: $schema=__SCHEMA__/module.schema.json
# The module '__ID__' (its id is the file name; program.yaml lists it under `modules`).
# Every key is explained in docs/authoring.md. Remove the `# ` to use an example.
title: __TITLE__
# number: "01"                     # your own label shown before the title; not an id
summary: En mening om vad modulen handlar om.
# description: Patientens introduktion till modulen, i Markdown.
# visibility: always               # visible from the start; default: the clinician starts it
# tracks: [spar-a]                 # only these tracks (ids in program.yaml); default: everyone
length_days: 30
# expected_duration: cirka 1–2 veckor
# starts_when: När patienten har gjort introduktionen.
# next:                            # the modules that come after this one: ids, or to branch,
#   - module: nasta-modul          # one that comes next when an answer holds
#     when: {form: __FORM__, question: maende, in: [sadar, daligt]}
#   - end: true                    # otherwise the program ends (docs/authoring.md, Flows)
guidance:                          # for the clinician only, never shown to the patient
  # main_content:
  #   - Vad modulen innehåller.
  goals:
    patient:
      - Läst introduktionen.
    # clinician:
    #   - Läst patientens svar.
  when_done:
    - Återkoppla via meddelande.
  # notes:
  #   - Annat som behandlaren bör veta.
sections:
  - id: introduktion
    title: Introduktion
    # number: "01.1"
    # description: En kort introduktion till avsnittet.
    steps:
      - id: valkommen
        title: Välkommen
        type: text                 # text, video, audio, exercise, form or pause
        body: |
          Här skriver du stegets text, i Markdown.
__FORM_STEP__\
      # - id: film
      #   title: En film
      #   type: video
      #   media:
      #     src: https://media.example.org/film.mp4
      #     description: Vad filmen visar, i en mening.
      #     captions: media/film.vtt   # a WebVTT file in the program's media/ folder
      # - id: ovning
      #   title: En övning
      #   type: exercise
      #   selectable: true         # hidden until the clinician chooses to show it
      #   body: Gör så här ...
      #   guidance: En anteckning för behandlaren; visas aldrig för patienten.
      # - id: ljud
      #   title: Lyssna
      #   type: audio
      #   media:
      #     src: https://media.example.org/ljud.mp3
      #     description: Vad inspelningen säger, i en mening.
      #     transcript: media/ljud.md  # the full text, in the program's media/ folder
      # - id: paus
      #   title: Dags för paus
      #   type: pause
# standalone_forms: [__FORM__]     # forms the patient can fill in at any time
"""

# The first module of a new program shows its form; a module added later shows how to.
FORM_STEP = """\
      - id: fragor
        title: Några frågor
        type: form
        forms: [__FORM__]
"""

FORM_STEP_EXAMPLE = """\
      # - id: fragor
      #   title: Några frågor
      #   type: form
      #   forms: [__FORM__]        # ids of forms in forms/
"""

FORM = """\
# yaml-language-server: $schema=__SCHEMA__/form.schema.json
# The form '__ID__' (its id is the file name). Show it in a step (`type: form` with
# `forms: [__ID__]`), list it in a module's `standalone_forms`, or use it in an activity plan.
# Every question type is explained in docs/authoring.md. Remove the `# ` to use an example.
title: __TITLE__
# description: Visas ovanför frågorna (Markdown).
# A scored form: totals over its questions' scores (an option's `score`, a scale's value) and
# bands that name ranges of a total, from its lowest to its highest (docs/authoring.md, Scored
# forms). The clinician guide and a runtime show them; a flag can fire on one (form_scored).
# scoring:
#   unanswered: no_total           # no_total, skip or prorate (with max_unanswered)
#   totals:
#     - id: somn-summa
#       title: Sömn
#       questions: [somn]          # or all: every scored question of the form
#       bands:
#         - {min: 0, max: 4, label: Sover dåligt}
#         - {min: 5, max: 10, label: Sover bra}
# Values computed from answers when the form is submitted (docs/authoring.md, Computed values):
# + - * / ( ), numbers, ids of number, scale and time questions, minutes_between(from, to).
# computed:
#   - id: somn-procent
#     title: Sömn i procent av skalan
#     expression: somn / 10 * 100
#     unit: "%"
#     decimals: 0
# A published, validated instrument (PHQ-9, GAD-7 …), asked word for word: its wording, options
# and scores may not change unless the fingerprint is updated on purpose. The fingerprint below
# is that of this file's questions with every example in use; when yours differ, sobc validate
# names the one to write (SOBC336).
# instrument:
#   name: Exempelskalan
#   reference: Var den är publicerad, till exempel Författare m.fl., tidskrift år.
#   licence: Fri att använda.
#   fingerprint: sha256:bd3bd2ac80888c37
questions:
  - id: maende
    type: single_choice
    text: Hur mår du i dag?
    required: true
    options:
      - {value: bra, label: Bra}
      - {value: sadar, label: Sådär}
      - {value: daligt, label: Dåligt}
  - id: beratta
    type: long_text
    text: Berätta gärna mer.
    enable_when: {question: maende, in: [sadar, daligt]}   # shown only after these answers
  - id: somn
    type: scale
    text: Hur har du sovit den senaste veckan?
    min: 0
    max: 10
    min_label: Mycket dåligt
    max_label: Mycket bra
  # - id: kanslor
  #   type: multiple_choice
  #   text: Vad känner du igen?
  #   help: Du kan välja 1–3 svarsalternativ
  #   min_selections: 1
  #   max_selections: 3
  #   options:
  #     - {value: oro, label: Oro}
  #     - {value: trotthet, label: Trötthet}
  #     - {value: inget, label: Inget av detta, exclusive: true}
  # - id: vanor
  #   type: checklist               # points the patient ticks, under headings (group)
  #   text: Det här vill jag prova
  #   options:
  #     - {value: skarm, label: Stänga av skärmar i tid, group: Kvällen}
  #     - {value: samma-tid, label: Gå upp samma tid varje dag, group: Morgonen}
  # - id: pass
  #   type: number
  #   text: Hur många träningspass gjorde du i veckan?
  #   integer: true
  #   min: 0
  #   max: 21
  #   unit: pass
  # - id: datum
  #   type: date
  #   text: Datum
  # - id: lade-dig
  #   type: time                   # a time of day, HH:MM (24 hours), stored as "HH:MM"
  #   text: När gick du och lade dig?
  #   min: "20:00"                 # optional; a range may pass midnight
  #   max: "03:00"
  # - id: kommentar
  #   type: short_text
  #   text: Kommentar
  #   max_length: 200
  # - id: samtycke
  #   type: consent
  #   text: Jag samtycker till att min behandlare läser mina svar.
  #   statement: Jag samtycker
  # - id: plan
  #   type: plan
  #   text: Din plan
  #   columns:
  #     - {id: aktivitet, type: short_text, text: Aktivitet, required: true}
  #     - {id: nar, type: date, text: När}
  # - id: tack
  #   type: info
  #   text: Tack för dina svar!
"""
