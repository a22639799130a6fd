// sobc: progressive enhancement for forms and progress. Without it every question is shown and
// reads correctly, and the browser checks required answers itself.
(function () {
  "use strict";

  function controlsOf(id) {
    var group = document.getElementById(id);
    if (!group) { return []; }
    if (group.matches("input, select, textarea")) { return [group]; }
    return Array.prototype.slice.call(group.querySelectorAll("input, select, textarea"));
  }

  function answers(id) {
    var result = [];
    controlsOf(id).forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.value === "true" && el.type === "checkbox" && el.name && controlsOf(id).length === 1) {
          result.push(el.checked ? "true" : "false");
        } else if (el.checked) {
          result.push(el.value);
        }
      } else if (el.value !== "") {
        result.push(el.value);
      }
    });
    return result;
  }

  function setEnabled(wrap, enabled) {
    wrap.hidden = !enabled;
    wrap.querySelectorAll("input, select, textarea, button").forEach(function (el) {
      el.disabled = !enabled;
    });
  }

  function updateConditions(form) {
    form.querySelectorAll("[data-enable-question]").forEach(function (wrap) {
      var wanted = JSON.parse(wrap.getAttribute("data-enable-values") || "[]");
      var source = document.getElementById(wrap.getAttribute("data-enable-question") + "-wrap");
      var shown = source === null || !source.hidden;
      var given = answers(wrap.getAttribute("data-enable-question"));
      setEnabled(wrap, shown && given.some(function (v) { return wanted.indexOf(v) >= 0; }));
    });
  }

  // choosing an exclusive alternative clears the others; choosing another clears it
  function clearExcluded(box) {
    if (!box || box.type !== "checkbox" || !box.checked) { return; }
    var group = box.closest("fieldset[data-min-selections]");
    if (!group) { return; }
    var exclusive = box.hasAttribute("data-exclusive");
    group.querySelectorAll("input[type=checkbox]:checked").forEach(function (other) {
      if (other !== box && (exclusive || other.hasAttribute("data-exclusive"))) {
        other.checked = false;
      }
    });
  }

  function checkSelections(form) {
    form.querySelectorAll("fieldset[data-min-selections]").forEach(function (group) {
      var boxes = group.querySelectorAll("input[type=checkbox]");
      if (!boxes.length || boxes[0].disabled) { return; }
      var count = group.querySelectorAll("input[type=checkbox]:checked").length;
      // an exclusive alternative ("Inget av detta") is a complete answer by itself
      var complete = group.querySelector("input[data-exclusive]:checked") !== null;
      var min = parseInt(group.getAttribute("data-min-selections"), 10) || 0;
      var max = parseInt(group.getAttribute("data-max-selections") || "0", 10);
      var message = "";
      if (!complete && count < min) { message = "Välj minst " + min + " alternativ."; }
      if (!complete && max && count > max) { message = "Välj högst " + max + " alternativ."; }
      boxes[0].setCustomValidity(message);
    });
  }

  // a time range that passes midnight (20:00–03:00), which the browser's min and max cannot say
  function checkTimes(form) {
    form.querySelectorAll("input[type=time][data-min-time][data-max-time]").forEach(function (input) {
      var low = input.getAttribute("data-min-time");
      var high = input.getAttribute("data-max-time");
      var v = input.value;
      var inside = !v || (low <= high ? v >= low && v <= high : v >= low || v <= high);
      input.setCustomValidity(inside ? "" : "Ange en tid mellan " + low + " och " + high + ".");
    });
  }

  function renumber(rows) {
    rows.querySelectorAll(".plan-row").forEach(function (row, index) {
      var n = String(index + 1);
      row.setAttribute("data-row", n);
      row.querySelector("legend").textContent = "Rad " + n;
      row.querySelector(".plan-remove").textContent = "Ta bort rad " + n;
      row.querySelectorAll(".plan-field").forEach(function (field) {
        var col = field.getAttribute("data-col");
        var id = row.getAttribute("data-base") + "-" + n + "-" + col;
        var control = field.querySelector("input, select, textarea");
        var label = field.querySelector("label");
        if (control) {
          control.id = id;
          control.name = row.getAttribute("data-name") + "." + n + "." + col;
        }
        if (label) { label.setAttribute("for", id); }
      });
    });
  }

  function setupPlan(group) {
    var rows = group.querySelector(".plan-rows");
    var template = group.querySelector("template.plan-template");
    var add = group.querySelector(".plan-add");
    var min = parseInt(group.getAttribute("data-min-rows") || "0", 10);
    var max = parseInt(group.getAttribute("data-max-rows") || "0", 10);
    function refresh() {
      var count = rows.querySelectorAll(".plan-row").length;
      add.hidden = max > 0 && count >= max;
      rows.querySelectorAll(".plan-remove").forEach(function (b) { b.hidden = count <= Math.max(min, 1); });
    }
    add.addEventListener("click", function () {
      var html = template.innerHTML.split("__n__").join("0");
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      row.setAttribute("data-row", "0");
      rows.appendChild(row);
      renumber(rows);
      refresh();
      var first = row.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    });
    rows.addEventListener("click", function (event) {
      var button = event.target.closest(".plan-remove");
      if (!button) { return; }
      button.closest(".plan-row").remove();
      renumber(rows);
      refresh();
      add.focus();
    });
    refresh();
  }

  // ---------------------------------------------------------------- a missing answer
  // The error summary above the form and a message at each question (NHS.UK frontend's
  // pattern) instead of the browser's bubble, which names one problem at a time.
  function questionText(wrap) {
    var label = wrap.querySelector(".question-label");
    var text = label ? label.cloneNode(true) : null;
    if (!text) { return ""; }
    text.querySelectorAll(".required").forEach(function (r) { r.remove(); });
    return text.textContent.trim();
  }

  function problemOf(wrap) {
    var controls = Array.prototype.filter.call(
      wrap.querySelectorAll("input, select, textarea"), function (c) { return !c.disabled; });
    var bad = controls.filter(function (c) { return !c.checkValidity(); })[0];
    if (!bad) { return null; }
    var v = bad.validity;
    var what = questionText(wrap);
    var message;
    if (v.customError) { message = bad.validationMessage + " (" + what + ")"; }
    else if (v.valueMissing && bad.type === "radio") { message = "Välj ett svar: " + what; }
    else if (v.valueMissing && bad.type === "checkbox") { message = "Kryssa i rutan: " + what; }
    else if (v.valueMissing) { message = "Fyll i ett svar: " + what; }
    else if (v.rangeUnderflow || v.rangeOverflow) {
      message = "Ange ett värde från " + bad.min + " till " + bad.max + ": " + what;
    } else { message = "Kontrollera svaret: " + what; }
    return { control: bad, message: message };
  }

  function clearErrors(form) {
    form.querySelectorAll(".form-errors").forEach(function (box) { box.remove(); });
    form.querySelectorAll(".question.has-error").forEach(function (wrap) {
      wrap.classList.remove("has-error");
      var message = wrap.querySelector(".error-message");
      if (message) {
        wrap.querySelectorAll("[aria-describedby]").forEach(function (c) {
          var ids = c.getAttribute("aria-describedby").split(" ").filter(function (i) { return i !== message.id; });
          if (ids.length) { c.setAttribute("aria-describedby", ids.join(" ")); } else { c.removeAttribute("aria-describedby"); }
        });
        message.remove();
      }
    });
  }

  function showErrors(form, problems) {
    var box = document.createElement("div");
    box.className = "form-errors";
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    var heading = document.createElement("h2");
    heading.textContent = "Det finns ett problem";
    box.appendChild(heading);
    var list = document.createElement("ul");
    problems.forEach(function (p) {
      var wrap = p.control.closest(".question");
      var message = document.createElement("p");
      message.className = "error-message";
      message.id = wrap.id + "-error";
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = "Fel: ";
      message.appendChild(hidden);
      message.appendChild(document.createTextNode(p.message));
      var label = wrap.querySelector(".question-label");
      label.parentNode.insertBefore(message, label.nextSibling);
      wrap.classList.add("has-error");
      var target = wrap.querySelector("fieldset") || p.control;
      var described = (target.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      described.push(message.id);
      target.setAttribute("aria-describedby", described.join(" "));
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + p.control.id;
      link.textContent = p.message;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        p.control.focus();
        label.scrollIntoView({ block: "center" });
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    var title = form.querySelector("[id$='-title']");
    form.insertBefore(box, title ? title.nextSibling : form.firstChild);
    box.focus();
  }

  function checkBeforeSaving(form, event) {
    clearErrors(form);
    checkSelections(form);
    var problems = [];
    form.querySelectorAll(".question").forEach(function (wrap) {
      if (wrap.hidden) { return; }
      var problem = problemOf(wrap);
      if (problem) { problems.push(problem); }
    });
    if (problems.length) {
      event.preventDefault();
      event.stopImmediatePropagation(); // not saved: nothing else hears this submit
      showErrors(form, problems);
    }
  }

  // ---------------------------------------------------------------- read / not read
  // Which steps the reader has opened, kept in this browser (like form answers), per program.
  function programKey() {
    var home = document.querySelector(".nhsuk-header__service-name[href]");
    if (!home) { return null; }
    var path = new URL(home.href, window.location.href).pathname;
    return "sobc-read:" + path.replace(/[^/]*$/, "");
  }
  function readSteps(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function progress() {
    var key = programKey();
    if (!key) { return; }
    var read = readSteps(key);
    var here = document.querySelector("article[data-step-key]");
    if (here) {
      var step = here.getAttribute("data-step-key");
      if (read.indexOf(step) < 0) {
        read.push(step);
        try { window.localStorage.setItem(key, JSON.stringify(read)); } catch (e) { /* full or off */ }
      }
      document.querySelectorAll(".step-aside li[data-step-key]").forEach(function (item) {
        if (read.indexOf(item.getAttribute("data-step-key")) >= 0) {
          var mark = document.createElement("span");
          mark.className = "read-mark";
          mark.textContent = " ✓";
          mark.setAttribute("aria-hidden", "true");
          var hidden = document.createElement("span");
          hidden.className = "visually-hidden";
          hidden.textContent = " (läst)";
          item.appendChild(mark);
          item.appendChild(hidden);
        }
      });
    }
    var items = document.querySelectorAll(".step-list li[data-step-key]");
    if (!items.length) { return; }
    items.forEach(function (item) {
      var isRead = read.indexOf(item.getAttribute("data-step-key")) >= 0;
      var tag = document.createElement("strong");
      tag.className = "read-state" + (isRead ? " is-read" : "");
      tag.textContent = isRead ? "Läst" : "Inte läst";
      item.appendChild(tag);
    });
    summarise();
  }

  // "Du har läst 2 av 4 steg": the steps the list shows (a preview may hide some).
  function summarise() {
    var summary = document.querySelector("[data-progress]");
    if (!summary) { return; }
    var shown = Array.prototype.filter.call(
      document.querySelectorAll(".step-list li[data-step-key]"),
      function (item) { return !item.hidden; });
    var done = shown.filter(function (item) { return item.querySelector(".read-state.is-read"); });
    summary.textContent = "Du har läst " + done.length + " av " + shown.length + " steg i modulen.";
    summary.hidden = false;
  }
  document.addEventListener("sobc:steps-shown", summarise);

  function setup(form) {
    form.noValidate = true; // sobc's own error summary instead of the browser's bubbles
    form.addEventListener("submit", function (event) { checkBeforeSaving(form, event); }, true);
    form.querySelectorAll("fieldset[data-min-rows]").forEach(setupPlan);
    form.querySelectorAll(".condition").forEach(function (note) { note.classList.add("visually-hidden"); });
    updateConditions(form);
    checkSelections(form);
    checkTimes(form);
    form.addEventListener("change", function (event) {
      clearExcluded(event.target);
      updateConditions(form);
      checkSelections(form);
      checkTimes(form);
    });
    form.addEventListener("input", function () { updateConditions(form); checkTimes(form); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.sobc-form").forEach(setup);
    progress();
  });
})();
