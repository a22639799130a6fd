// sobc serve: reloads the page after a rebuild, shows build problems, keeps form answers and the
// clinician's simulation in this browser only (localStorage), and sends nothing anywhere.
(function () {
  "use strict";

  var script = document.currentScript;
  var generation = script ? script.getAttribute("data-generation") : null;
  var STORE = "sobc-preview:";
  var CLINICIAN = "/_behandlare";

  function load(key, fallback) {
    try {
      var text = window.localStorage.getItem(STORE + key);
      return text ? JSON.parse(text) : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function save(key, value) {
    try { window.localStorage.setItem(STORE + key, JSON.stringify(value)); } catch (e) { /* full or off */ }
  }

  function forget(key) {
    try { window.localStorage.removeItem(STORE + key); } catch (e) { /* off */ }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  // ------------------------------------------------------------ reload and problems

  // The frame is Swedish; each problem is written whole as `sobc validate` writes it, in English
  // ("error[SOBC104]: …", "hint: …"), marked lang="en" so a screen reader reads it as English:
  // no Swedish label before an English message.

  function showProblems(problems) {
    var box = document.getElementById("sobc-preview-problems");
    if (!box) {
      box = el("section", "preview-problems");
      box.id = "sobc-preview-problems";
      box.setAttribute("role", "alert");
      box.setAttribute("aria-labelledby", "sobc-preview-problems-heading");
      document.body.insertBefore(box, document.body.firstChild);
    }
    var key = JSON.stringify(problems);
    if (box.getAttribute("data-key") === key) { return; }
    box.setAttribute("data-key", key);
    box.textContent = "";
    var heading = el("h2", "", "Programmet har fel och kan inte byggas");
    heading.id = "sobc-preview-problems-heading";
    box.appendChild(heading);
    box.appendChild(el("p", "", "Sidan nedan är den senaste som gick att bygga. Rätta felen så visas förhandsvisningen igen."));
    box.appendChild(el("p", "", "Felen står på engelska, som sobc validate skriver dem; koden (SOBC…) leder till förklaringen i docs/diagnostics.md."));
    var list = el("ul");
    problems.forEach(function (p) {
      var item = el("li");
      item.setAttribute("lang", "en");
      if (p.where) { item.appendChild(el("code", "problem-where", p.where)); item.appendChild(document.createTextNode(" ")); }
      var label = p.code ? p.severity + "[" + p.code + "]: " : "";
      item.appendChild(document.createTextNode(label + p.message));
      if (p.excerpt && p.excerpt.length) {
        var excerpt = el("pre", "problem-excerpt", p.excerpt.join("\n"));
        excerpt.tabIndex = 0; // a long line scrolls sideways: reachable by keyboard too
        item.appendChild(excerpt);
      }
      if (p.hint) { item.appendChild(el("span", "problem-hint", "hint: " + p.hint)); }
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function hideProblems() {
    var box = document.getElementById("sobc-preview-problems");
    if (box) { box.remove(); }
  }

  function poll() {
    fetch("/_preview/status.json", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (status.problems && status.problems.length) {
          showProblems(status.problems);
        } else {
          hideProblems();
        }
        if (status.ok && generation !== null && String(status.generation) !== generation) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 500);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }

  // ------------------------------------------------------------ form answers

  function pagePath() {
    var path = window.location.pathname;
    return path.indexOf(CLINICIAN + "/") === 0 ? path.slice(CLINICIAN.length) : path;
  }

  function answersOf(form) {
    var answers = {};
    Array.prototype.forEach.call(form.elements, function (c) {
      if (!c.name || c.type === "submit" || c.type === "button") { return; }
      if ((c.type === "radio" || c.type === "checkbox") && !c.checked) { return; }
      if (c.value === "") { return; }
      (answers[c.name] = answers[c.name] || []).push(c.value);
    });
    return answers;
  }

  function restore(form, answers) {
    Array.prototype.forEach.call(form.elements, function (c) {
      var given = answers[c.name];
      if (!c.name || !given) { return; }
      if (c.type === "radio" || c.type === "checkbox") {
        c.checked = given.indexOf(c.value) >= 0;
      } else if (c.type !== "submit" && c.type !== "button") {
        c.value = given[0];
      }
    });
  }

  function changed(form) {
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function setupForm(form) {
    var key = "answers:" + pagePath() + "#" + (form.getAttribute("data-form") || form.id);
    var actions = form.querySelector(".form-actions") || form;
    var status = el("div", "preview-form-status", "Förhandsvisning: svaren sparas bara i den här webbläsaren och skickas inte.");
    status.setAttribute("role", "status");
    var clear = el("button", "secondary preview-clear", "Rensa svaren");
    clear.type = "button";
    actions.appendChild(clear);
    actions.appendChild(status);
    var stored = load(key, null);
    if (stored) { restore(form, stored); changed(form); }
    function remember() {
      var answers = answersOf(form);
      if (Object.keys(answers).length) { save(key, answers); } else { forget(key); }
    }
    form.addEventListener("change", remember);
    form.addEventListener("input", remember);
    form.addEventListener("submit", function (event) {
      event.preventDefault(); // nothing is sent: the preview keeps answers in the browser
      remember();
      // a clear confirmation (NHS.UK frontend's panel), reached by keyboard and screen reader
      status.textContent = "";
      status.className = "preview-form-status form-saved";
      status.tabIndex = -1;
      var title = el("h2", "", "Dina svar är sparade");
      status.appendChild(title);
      status.appendChild(el("p", "", "Svaren är sparade i den här webbläsaren. Inget skickades."));
      status.focus();
    });
    clear.addEventListener("click", function () {
      forget(key);
      form.reset();
      changed(form);
      status.className = "preview-form-status";
      status.textContent = "Svaren är rensade.";
    });
  }

  // ------------------------------------------------------------ scores
  // The same rules as sobc.kinds.scoring.total_score (docs/authoring.md, Scored forms); the
  // conformance suite's scoring cases run against these functions in the browser tests.

  function itemScore(item, given, reverse) {
    if (!given || !given.length) { return null; }
    var score = 0;
    if (item.scores === null) {  // the answer is the score (a scale's value)
      score = parseInt(given[0], 10);
    } else {
      given.forEach(function (v) { score += item.scores[v] || 0; });
    }
    return reverse ? item.range[0] + item.range[1] - score : score;
  }

  function totalScore(rules, total, answers) {
    var scores = total.questions.map(function (q) {
      var item = rules.items[q];
      return item ? itemScore(item, answers[q], rules.reverse.indexOf(q) >= 0) : null;
    });
    var answered = scores.filter(function (s) { return s !== null; });
    var sum = answered.reduce(function (a, b) { return a + b; }, 0);
    var missing = scores.length - answered.length;
    if (missing === 0 || rules.unanswered === "skip") { return { value: sum, missing: missing }; }
    if (rules.unanswered === "no_total" || !answered.length || missing > rules.max_unanswered) {
      return { value: null, missing: missing };
    }
    // Rounded half up (2.5 is 3, -2.5 is -2) and kept within the total's range.
    var value = Math.floor(sum * scores.length / answered.length + 0.5);
    if (total.range) { value = Math.min(Math.max(value, total.range[0]), total.range[1]); }
    return { value: value, missing: missing };
  }

  // The score a form_scored flag watches: a total, or a counted question's item score.
  function watched(rules, score, answers) {
    var total = rules.totals.filter(function (t) { return t.id === score; })[0];
    if (total) { return totalScore(rules, total, answers).value; }
    var item = rules.items[score];
    return item ? itemScore(item, answers[score], rules.reverse.indexOf(score) >= 0) : null;
  }

  function showFlags(box, rules, flags, answers) {
    flags.forEach(function (flag, index) {
      var state = box.querySelector('[data-score-flag="' + index + '"] .flag-state');
      var value = watched(rules, flag.score, answers);
      var fires = value !== null && (flag.at_least === null || value >= flag.at_least)
        && (flag.at_most === null || value <= flag.at_most);
      state.textContent = fires ? "går i gång när formuläret skickas in" : "går inte i gång";
      state.className = "flag-state" + (fires ? " fires" : "");
    });
  }

  function unanswered(count) {
    return count + (count === 1 ? " obesvarad fråga" : " obesvarade frågor");
  }

  function setupScores(box) {
    var form = document.querySelector('form[data-form="' + box.getAttribute("data-score-form") + '"]');
    var rules = JSON.parse(box.getAttribute("data-scoring"));
    var flags = JSON.parse(box.getAttribute("data-flags") || "[]");
    if (!form) { return; }
    function update() {
      var answers = formAnswers(form);
      rules.totals.forEach(function (total) {
        var out = box.querySelector('output[data-total="' + total.id + '"]');
        var result = totalScore(rules, total, answers);
        if (result.value === null) {
          out.textContent = result.missing === total.questions.length ? "Inte ifyllt"
            : "Ingen summa: " + unanswered(result.missing);
          return;
        }
        var band = total.bands.filter(function (b) { return b.min <= result.value && result.value <= b.max; })[0];
        out.textContent = String(result.value) + (band ? " – " + band.label : "")
          + (result.missing ? " (" + unanswered(result.missing) + ")" : "");
      });
      showFlags(box, rules, flags, answers);
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    form.addEventListener("reset", function () { window.setTimeout(update, 0); });
    update();
  }

  // ------------------------------------------------------------ computed values
  // The same language and arithmetic as sobc.kinds.computed (docs/authoring.md, Computed
  // values): exact rational numbers (BigInt numerator and denominator), a value missing when an
  // answer it reads is, or it divides by zero; rounded half away from zero to its decimals. The
  // conformance suite's computed-value cases run against these functions in the browser tests.

  function gcd(a, b) { a = a < 0n ? -a : a; b = b < 0n ? -b : b; while (b) { var t = a % b; a = b; b = t; } return a; }
  function ratio(n, d) {
    if (d < 0n) { n = -n; d = -d; }
    var g = gcd(n, d) || 1n;
    return { n: n / g, d: d / g };
  }
  function decimal(text) {  // "85.1" → 851/10; null when it is no number
    var m = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(String(text).trim());
    if (!m) { return null; }
    var digits = m[3] || "";
    var n = BigInt(m[2] + digits) * (m[1] ? -1n : 1n);
    return ratio(n, 10n ** BigInt(digits.length));
  }
  function minutes(text) {
    var m = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(String(text));
    return m ? BigInt(parseInt(m[1], 10) * 60 + parseInt(m[2], 10)) : null;
  }
  function less(a, b) { return a.n * b.d < b.n * a.d; }
  var OPERATIONS = {
    "+": function (a, b) { return ratio(a.n * b.d + b.n * a.d, a.d * b.d); },
    "-": function (a, b) { return ratio(a.n * b.d - b.n * a.d, a.d * b.d); },
    "*": function (a, b) { return ratio(a.n * b.n, a.d * b.d); },
    "/": function (a, b) { return b.n === 0n ? null : ratio(a.n * b.d, a.d * b.n); },
    "neg": function (a) { return ratio(-a.n, a.d); },
    "min": function (a, b) { return less(b, a) ? b : a; },
    "max": function (a, b) { return less(a, b) ? b : a; }
  };

  function evaluate(tree, names) {
    if ("number" in tree) { return decimal(tree.number); }
    if ("name" in tree) { return names[tree.name] && names[tree.name].n !== undefined ? names[tree.name] : null; }
    if (tree.op === "minutes_between") {
      var from = minutes(names[tree.args[0].name]), to = minutes(names[tree.args[1].name]);
      return from === null || to === null ? null : ratio((((to - from) % 1440n) + 1440n) % 1440n, 1n);
    }
    var args = tree.args.map(function (a) { return evaluate(a, names); });
    if (args.some(function (a) { return a === null; })) { return null; }
    return OPERATIONS[tree.op].apply(null, args);
  }

  function rounded(value, decimals) {  // half away from zero: an integer count of 10^-decimals
    var scale = 10n ** BigInt(decimals);
    var negative = value.n < 0n;
    var scaled = (negative ? -value.n : value.n) * scale;
    var whole = (2n * scaled + value.d) / (2n * value.d);
    return { units: negative ? -whole : whole, decimals: decimals };
  }
  function written(r) {  // "85.1", "-35", "0.13"
    var text = (r.units < 0n ? -r.units : r.units).toString();
    if (r.decimals) {
      text = text.padStart(r.decimals + 1, "0");
      text = text.slice(0, -r.decimals) + "." + text.slice(-r.decimals);
    }
    return (r.units < 0n ? "-" : "") + text;
  }

  // Each value of a submission with these answers (question id → list of given values), in
  // order, each reading the earlier ones as rounded; null where missing.
  function computedValues(values, answers) {
    var names = {}, out = {};
    Object.keys(answers).forEach(function (q) {
      var given = answers[q];
      if (given.length !== 1) { return; }
      names[q] = minutes(given[0]) !== null ? given[0] : decimal(given[0]);
    });
    values.forEach(function (v) {
      var value = evaluate(v.tree, names);
      if (value === null) { out[v.id] = null; delete names[v.id]; return; }
      var r = rounded(value, v.decimals);
      out[v.id] = written(r);
      names[v.id] = decimal(out[v.id]);
    });
    return out;
  }

  function formAnswers(form) {
    var answers = {};
    Array.prototype.forEach.call(form.elements, function (c) {
      if (!c.name || c.disabled || c.value === "") { return; }  // hidden questions: unanswered
      if ((c.type === "radio" || c.type === "checkbox") && !c.checked) { return; }
      (answers[c.name] = answers[c.name] || []).push(c.value);
    });
    return answers;
  }

  function setupComputed(box) {
    var form = document.querySelector('form[data-form="' + box.getAttribute("data-computed-form") + '"]');
    var values = JSON.parse(box.getAttribute("data-computed"));
    if (!form) { return; }
    function update() {
      var shown = computedValues(values, formAnswers(form));
      values.forEach(function (v) {
        var out = box.querySelector('output[data-value="' + v.id + '"]');
        var text = shown[v.id];
        if (text === null) { out.textContent = "Saknas"; return; }
        var number = Number(text);
        var band = v.bands.filter(function (b) { return b.min <= number && number <= b.max; })[0];
        out.textContent = text.replace(".", ",").replace("-", "−") + (band ? " – " + band.label : "");
      });
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    form.addEventListener("reset", function () { window.setTimeout(update, 0); });
    update();
  }

  // ------------------------------------------------------------ clinician's simulation

  // Starting one module of a choice (the patient's or the clinician's) stops its alternatives.
  function choose(s, id, others) {
    s.started = s.started.filter(function (m) { return others.indexOf(m) < 0; });
    if (s.started.indexOf(id) < 0) { s.started.push(id); }
  }

  function alternatives(choice, id) {
    if (!choice) { return []; }
    var found = [];
    document.querySelectorAll("[data-sim-choice='" + choice + "']").forEach(function (b) {
      var other = b.getAttribute("data-sim-start");
      if (other !== id && found.indexOf(other) < 0) { found.push(other); }
    });
    return found;
  }

  // The program page's module choices: in the preview the patient can choose, which starts the
  // module in the clinician's simulation (kept in this browser only, like form answers).
  function setupChoice(box) {
    var key = "simulation:" + box.getAttribute("data-choice-program");
    var options = box.querySelectorAll("[data-choice-module]");
    var ids = Array.prototype.map.call(options, function (o) { return o.getAttribute("data-choice-module"); });
    var live = el("p", "preview-choice-status");
    live.setAttribute("role", "status");
    function state() {
      var s = load(key, null);
      return s && s.started && s.shown ? s : { started: [], shown: [], track: "" };
    }
    function render() {
      var started = state().started;
      options.forEach(function (option) {
        var chosen = started.indexOf(option.getAttribute("data-choice-module")) >= 0;
        option.classList.toggle("chosen", chosen);
        option.querySelector("[data-choose]").setAttribute("aria-pressed", chosen ? "true" : "false");
      });
    }
    options.forEach(function (option) {
      var id = option.getAttribute("data-choice-module");
      var label = option.querySelector("h4").textContent;
      var button = el("button", "secondary", "Välj: " + label);
      button.type = "button";
      button.setAttribute("data-choose", id);
      button.addEventListener("click", function () {
        var s = state();
        choose(s, id, ids.filter(function (other) { return other !== id; }));
        save(key, s);
        render();
        live.textContent = "Du har valt " + label + ". Förhandsvisning: valet sparas bara i den här webbläsaren.";
      });
      option.appendChild(button);
    });
    box.appendChild(live);
    window.addEventListener("storage", render);
    render();
  }

  function setupSimulation(box) {
    var key = "simulation:" + box.getAttribute("data-sim-program");
    var live = box.querySelector(".sim-status");
    function state() {
      var s = load(key, null);
      return s && s.started && s.shown ? s : { started: [], shown: [], track: "" };
    }
    function render() {
      var s = state();
      var alwaysOn = {};
      box.querySelectorAll("[data-sim-always]").forEach(function (item) {
        alwaysOn[item.getAttribute("data-sim-module")] = true;
      });
      var track = s.track || "";
      box.querySelectorAll("[data-sim-place]").forEach(function (item) {
        var id = item.getAttribute("data-sim-module");
        var on = alwaysOn[id] || s.started.indexOf(id) >= 0;
        var tracks = (item.getAttribute("data-sim-tracks") || "").split(" ").filter(Boolean);
        var fits = !track || !tracks.length || tracks.indexOf(track) >= 0;
        item.hidden = !fits || (item.getAttribute("data-sim-place") === "coming" ? on : !on);
      });
      box.querySelectorAll("[data-sim-track]").forEach(function (input) {
        input.checked = input.value === track;
      });
      box.querySelectorAll("[data-sim-step]").forEach(function (item) {
        item.hidden = s.shown.indexOf(item.getAttribute("data-sim-step")) < 0;
      });
      box.querySelectorAll("[data-sim-show]").forEach(function (input) {
        input.checked = s.shown.indexOf(input.getAttribute("data-sim-show")) >= 0;
      });
      box.querySelectorAll("[data-sim-empty]").forEach(function (note) {
        var place = note.getAttribute("data-sim-empty");
        var items = box.querySelectorAll("[data-sim-place='" + place + "']");
        note.hidden = Array.prototype.some.call(items, function (i) { return !i.hidden; });
      });
      followOnStartPage(s); // the patient's start page above the layer follows at once
    }
    function update(change, message, focusSelector) {
      var s = state();
      change(s);
      save(key, s);
      render();
      if (message) { live.textContent = message; }
      var target = focusSelector ? box.querySelector(focusSelector) : null;
      if (target && !target.closest("[hidden]")) { target.focus(); }
    }
    box.addEventListener("click", function (event) {
      var start = event.target.closest("[data-sim-start]");
      var stop = event.target.closest("[data-sim-stop]");
      if (start) {
        var id = start.getAttribute("data-sim-start");
        var others = alternatives(start.getAttribute("data-sim-choice"), id);
        update(function (s) { choose(s, id, others); },
          "Modulen är startad.", "[data-sim-stop='" + id + "']");
      } else if (stop) {
        var sid = stop.getAttribute("data-sim-stop");
        update(function (s) { s.started = s.started.filter(function (m) { return m !== sid; }); },
          "Modulen är inte längre startad.", "[data-sim-start='" + sid + "']");
      } else if (event.target.closest("[data-sim-clear]")) {
        forget(key);
        render();
        live.textContent = "Simuleringen är rensad.";
      }
    });
    box.addEventListener("change", function (event) {
      var choice = event.target.closest("[data-sim-track]");
      if (choice) {
        update(function (s) { s.track = choice.value; },
          choice.value ? "Spåret är valt." : "Alla spår visas.", null);
        return;
      }
      var input = event.target.closest("[data-sim-show]");
      if (!input) { return; }
      var step = input.getAttribute("data-sim-show");
      update(function (s) {
        s.shown = s.shown.filter(function (k) { return k !== step; });
        if (input.checked) { s.shown.push(step); }
      }, input.checked ? "Övningen visas för patienten." : "Övningen visas inte för patienten.", null);
    });
    window.addEventListener("storage", render); // another tab changed the simulation
    box.hidden = false;
    render();
  }

  // ------------------------------------------------------------ patient pages follow it
  // Once a start is simulated for the program, its pages show what that patient would see: the
  // selectable steps the clinician did not choose are hidden from the module's list, and a
  // step page of one says so.
  function stepKey(href) {
    var parts = new URL(href, window.location.href).pathname.split("/");
    return parts.slice(-2).join("/").replace(/\.html$/, "");
  }
  // A step page's list of the module's steps and its previous / next links, as the patient
  // would have them: steps the clinician has not chosen left out.
  function followInPager(shown) {
    var items = Array.prototype.slice.call(document.querySelectorAll(".step-aside li[data-step-key]"));
    var here = items.filter(function (li) { return li.querySelector("[aria-current]"); })[0];
    if (!here) { return; }
    var seen = items.filter(function (li) {
      return li === here || !li.hasAttribute("data-selectable") || shown.indexOf(li.getAttribute("data-step-key")) >= 0;
    });
    items.forEach(function (li) { li.hidden = seen.indexOf(li) < 0; });
    var at = seen.indexOf(here);
    var list = here.parentNode;
    // beyond the steps listed, a neighbour may still be chosen: then the link stays as it is
    if (seen[at - 1] || !list.hasAttribute("data-more-before")) {
      retarget(document.querySelector(".pager .prev"), seen[at - 1]);
    }
    if (seen[at + 1] || !list.hasAttribute("data-more-after")) {
      retarget(document.querySelector(".pager .next"), seen[at + 1]);
    }
  }

  function retarget(item, target) {
    if (!item) { return; }
    var link = item.querySelector("a");
    var from = target ? target.querySelector("a") : null;
    item.hidden = !from;
    if (!from) { return; }
    link.setAttribute("href", from.getAttribute("href"));
    var page = link.querySelector(".nhsuk-pagination__page");
    page.textContent = "";
    Array.prototype.forEach.call(from.childNodes, function (n) { page.appendChild(n.cloneNode(true)); });
  }

  // The program's start page lists the modules the patient would have: those visible from the
  // start and those started, of the patient's track.
  function followOnStartPage(s) {
    document.querySelectorAll(".module-list li[data-module]").forEach(function (card) {
      var tracks = (card.getAttribute("data-tracks") || "").split(" ").filter(Boolean);
      var fits = !s.track || !tracks.length || tracks.indexOf(s.track) >= 0;
      var on = !card.hasAttribute("data-activated") || s.started.indexOf(card.getAttribute("data-module")) >= 0;
      card.hidden = !(fits && on);
    });
  }

  function followSimulation() {
    var program = pagePath().split("/")[1];
    var s = program ? load("simulation:" + program, null) : null;
    if (!s || !s.shown) { return; }
    document.querySelectorAll(".step-list [data-selectable]").forEach(function (item) {
      var link = item.querySelector("a[href]");
      item.hidden = !link || s.shown.indexOf(stepKey(link.href)) < 0;
    });
    followInPager(s.shown);
    followOnStartPage(s);
    document.dispatchEvent(new Event("sobc:steps-shown"));
    var title = document.querySelector(".step[data-selectable] > h1");
    if (title && s.shown.indexOf(stepKey(window.location.href)) < 0) {
      var told = el("p", "sim-hidden-step", "Simulering: behandlaren har inte valt det här steget, så patienten ser det inte.");
      title.parentNode.insertBefore(told, title.nextSibling);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.sobc-form").forEach(setupForm);
    document.querySelectorAll("[data-sim-program]").forEach(setupSimulation);
    document.querySelectorAll("[data-scoring]").forEach(setupScores);
    document.querySelectorAll("[data-computed]").forEach(setupComputed);
    document.querySelectorAll(".module-choice[data-chosen-by='patient']").forEach(setupChoice);
    followSimulation();
    poll();
  });
})();
