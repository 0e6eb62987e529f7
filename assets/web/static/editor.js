// The consultation editor's live preview (web/src/console_editor.cpp): as the coordinator types a
// label, a help text or a choice, changes a question's type, ticks a quartier or picks the
// preview's language, each question's preview pane is drawn again from the form, as the resident
// will see it. Built with DOM calls and textContent only: a typed `<img src=x onerror=…>` shows
// as text. Without JavaScript the same pane comes from the server (« Mettre à jour l'aperçu »).
"use strict";
(function () {
  const form = document.getElementById("editor-form");
  const mode = document.getElementById("preview-mode");
  if (!form || !mode) return;
  const langSelect = document.getElementById("preview-lang");
  let data;
  try {
    data = JSON.parse(form.dataset.previewData || "{}");
  } catch (e) {
    return; // the server's preview stays
  }
  const words = data.words || {};
  const withOptions = ["single_choice", "multiple_choice"];

  function field(name) {
    const el = form.elements.namedItem(name);
    return el && typeof el.value === "string" ? el : null;
  }
  function value(name) {
    const el = field(name);
    return el ? el.value.trim() : "";
  }
  // A text in the preview's language, French's when it has none (as residents are shown it).
  function text(name, lang) {
    return value(name + "." + lang) || value(name + ".fr");
  }
  function make(tag, className, content) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (content !== undefined) el.textContent = content;
    return el;
  }
  function labelOf(option, lang) {
    return (option.labels && (option.labels[lang] || option.labels.fr)) || option.id;
  }
  function tickedQuartiers() {
    return Array.prototype.filter
      .call(form.querySelectorAll('input[name="neighbourhoods"]'), function (box) {
        return box.checked;
      })
      .map(function (box) {
        return box.value;
      });
  }

  // The choices a question of `type` offers in `lang`, or null for a text box.
  function choicesOf(n, type, lang) {
    const w = words[lang] || words.fr || {};
    if (withOptions.indexOf(type) >= 0) {
      const out = [];
      const count = Number(value("q" + n + ".options")) || 0;
      for (let j = 0; j < count; j++) {
        const o = "q" + n + ".o" + j;
        const removed = form.elements.namedItem(o + ".remove");
        if (removed && removed.checked) continue;
        out.push(text(o + ".label", lang));
      }
      return out;
    }
    if (type === "neighbourhood") {
      const ticked = tickedQuartiers();
      return (data.quartiers || [])
        .filter(function (q) {
          return ticked.length === 0 || ticked.indexOf(q.id) >= 0;
        })
        .map(function (q) {
          return labelOf(q, lang);
        });
    }
    if (type === "age_bracket")
      return (data.ages || []).map(function (a) {
        return labelOf(a, lang);
      });
    if (w[type]) return w[type].slice();
    return null;
  }

  function draw(fieldset) {
    const n = fieldset.dataset.question;
    const pane = fieldset.querySelector("[data-preview] [data-preview-body]");
    if (!pane) return;
    const lang = langSelect ? langSelect.value : "fr";
    const type = value("q" + n + ".type");
    const body = document.createDocumentFragment();
    body.appendChild(make("p", "fw-bold mb-1", text("q" + n + ".label", lang)));
    const required = form.elements.namedItem("q" + n + ".required");
    if (required && !required.checked) body.appendChild(make("p", "small fst-italic mb-1", (words[lang] || {}).optional || ""));
    const help = text("q" + n + ".help", lang);
    if (help) body.appendChild(make("p", "small mb-1", help));
    const choices = choicesOf(n, type, lang);
    if (choices === null) {
      body.appendChild(make("div", "border rounded bg-white p-2 small", mode.dataset.text || ""));
    } else if (choices.length === 0) {
      body.appendChild(make("p", "small fst-italic mb-0", mode.dataset.noChoices || ""));
    } else {
      const mark = type === "multiple_choice" ? "☐ " : "○ ";
      const list = make("ul", "list-unstyled mb-0");
      choices.forEach(function (c) {
        list.appendChild(make("li", "", mark + c));
      });
      body.appendChild(list);
    }
    pane.replaceChildren(body);
    const condition = fieldset.querySelector("[data-preview-condition]");
    const on = value("q" + n + ".show_if");
    if (condition) condition.textContent = on ? (mode.dataset.condition || "").replace("{question}", function () {
      return on;
    }) : "";
    pane.lang = lang;
    pane.dir = lang === "ar" ? "rtl" : "ltr";
    // Which of the question's own fields the type uses (the others stay in the form, unread).
    fieldset.querySelectorAll("[data-shown-for]").forEach(function (el) {
      el.classList.toggle("d-none", el.dataset.shownFor.split(" ").indexOf(type) < 0);
    });
  }

  function drawAll() {
    form.querySelectorAll("fieldset[data-question]").forEach(draw);
  }

  function changed(event) {
    const target = event.target;
    if (!target || !target.name) return;
    if (target.name === "preview_lang" || target.name === "neighbourhoods") return drawAll();
    const fieldset = target.closest("fieldset[data-question]");
    if (fieldset) draw(fieldset);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  mode.textContent = mode.dataset.live || "";
  drawAll();
})();
