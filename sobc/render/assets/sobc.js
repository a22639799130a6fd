// sobc: progressive enhancement for forms. Without it every question is shown and reads correctly.
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

  function setup(form) {
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
  });
})();
