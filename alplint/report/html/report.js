// The interactive part of alplint's HTML report: filters kept in the URL fragment, the forms
// rendered a page at a time, the map's points.  Everything from the forms is inserted as text
// (textContent, text nodes, Option text); no markup is ever built from data.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var PAGE_SIZE = 25;
  var CONTEXT_LINES = 2;
  var KEYS = ["severity", "rule", "template", "country", "q"];
  var NO_TEMPLATE = "~";

  var data = JSON.parse(document.getElementById("alplint-data").textContent);
  var L = data.labels;
  var S = data.strings;
  var rules = data.rules;
  var forms = data.forms;
  var countryIndex = new Map();
  data.countries.forEach(function (name, index) { countryIndex.set(name, index); });

  var state = { severity: "", rule: "", template: "", country: "", q: "" };
  var matches = [];
  var rendered = 0;

  var list = document.getElementById("form-list");
  var more = document.getElementById("more");
  var status = document.getElementById("status");
  var controls = {};
  KEYS.forEach(function (key) { controls[key] = document.getElementById("filter-" + key); });

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  var LANGUAGE = document.documentElement.lang || "en";

  function number(value) {
    return value.toLocaleString(LANGUAGE);
  }

  // An element with a class and children: strings become text nodes, never markup.
  function make(tag, className) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    for (var index = 2; index < arguments.length; index++) {
      var child = arguments[index];
      if (child === null || child === undefined) continue;
      element.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return element;
  }

  // ---- Filters and the URL fragment ----

  function addOptions(select, options) {
    options.forEach(function (option) { select.appendChild(new Option(option[1], option[0])); });
  }

  function setUpControls() {
    addOptions(controls.severity, [["error", L.error], ["warning", L.warning]]);
    addOptions(controls.rule, rules.map(function (rule) { return [rule.code, rule.code + " " + rule.name]; })
      .sort(function (a, b) { return a[0] < b[0] ? -1 : 1; }));
    var templates = new Set();
    var anyWithout = false;
    forms.forEach(function (form) { if (form.m) templates.add(form.m); else anyWithout = true; });
    var templateOptions = Array.from(templates).sort().map(function (name) { return [name, name]; });
    if (anyWithout) templateOptions.push([NO_TEMPLATE, L.no_template]);
    addOptions(controls.template, templateOptions);
    addOptions(controls.country, data.countries.slice().sort(function (a, b) { return a.localeCompare(b); })
      .map(function (name) { return [name, name]; }));
    KEYS.forEach(function (key) {
      var control = controls[key];
      var delay = null;
      control.addEventListener(key === "q" ? "input" : "change", function () {
        clearTimeout(delay);
        delay = setTimeout(function () { change(key, control.value); }, key === "q" ? 150 : 0);
      });
    });
    document.getElementById("filters").addEventListener("submit", function (event) { event.preventDefault(); });
    document.getElementById("filters").addEventListener("reset", function (event) {
      event.preventDefault();
      KEYS.forEach(function (key) { state[key] = ""; });
      apply();
      controls.severity.focus();
    });
  }

  function change(key, value) {
    if (state[key] === value) return;
    state[key] = value;
    apply();
  }

  function readFragment() {
    var fragment = location.hash.slice(1);
    if (fragment && fragment.indexOf("=") < 0) return false;
    var params = new URLSearchParams(fragment);
    KEYS.forEach(function (key) { state[key] = params.get(key) || ""; });
    return KEYS.some(function (key) { return state[key] !== ""; });
  }

  function writeFragment() {
    var params = new URLSearchParams();
    KEYS.forEach(function (key) { if (state[key]) params.set(key, state[key]); });
    var text = params.toString();
    history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
  }

  function syncControls() {
    KEYS.forEach(function (key) {
      var control = controls[key];
      if (control.value === state[key]) return;
      if (control.tagName === "SELECT" && state[key] &&
          !Array.prototype.some.call(control.options, function (option) { return option.value === state[key]; })) {
        control.appendChild(new Option(state[key], state[key]));
      }
      control.value = state[key];
    });
  }

  // ---- Choosing the forms ----

  function searchText(form) {
    if (form.search === undefined) {
      var parts = [form.t, form.p, form.m, form.k];
      form.c.forEach(function (country) { parts.push(data.countries[country]); });
      form.q.forEach(function (problem) {
        parts.push(S[problem[6]], rules[problem[0]].code, rules[problem[0]].name);
      });
      form.search = parts.join("\n").toLowerCase();
    }
    return form.search;
  }

  function chosen(form) {
    if (state.template && (state.template === NO_TEMPLATE ? form.m !== "" : form.m !== state.template)) return null;
    if (state.country) {
      var country = countryIndex.get(state.country);
      if (country === undefined || form.c.indexOf(country) < 0) return null;
    }
    if (state.q && searchText(form).indexOf(state.q.toLowerCase()) < 0) return null;
    if (!state.severity && !state.rule) return form.q;
    var problems = form.q.filter(function (problem) {
      return (!state.severity || problem[1] === state.severity) &&
        (!state.rule || rules[problem[0]].code === state.rule);
    });
    return problems.length ? problems : null;
  }

  function apply() {
    matches = [];
    var problems = 0;
    forms.forEach(function (form, index) {
      var shown = chosen(form);
      if (shown !== null) {
        matches.push([index, shown]);
        problems += shown.length;
      }
    });
    syncControls();
    writeFragment();
    status.textContent = fill(L.status, { shown: number(matches.length), total: number(forms.length),
      problems: number(problems) });
    while (list.firstChild) list.removeChild(list.firstChild);
    rendered = 0;
    if (!matches.length) list.appendChild(make("p", "empty", L.no_match));
    renderMore(false);
    drawMap();
  }

  // ---- Forms ----

  function renderMore(moveFocus) {
    var end = Math.min(matches.length, rendered + PAGE_SIZE);
    var first = null;
    for (; rendered < end; rendered++) {
      var article = renderForm(matches[rendered][0], matches[rendered][1]);
      list.appendChild(article);
      if (!first) first = article;
    }
    more.hidden = rendered >= matches.length;
    if (moveFocus && first) first.focus();
  }

  function renderForm(index, problems) {
    var form = forms[index];
    var id = "form-" + index;
    var article = make("article", "form");
    article.id = id;
    article.tabIndex = -1;
    article.setAttribute("aria-labelledby", id + "-title");
    var heading = make("h3", null, form.t || form.p.split("/").pop());
    heading.id = id + "-title";
    article.appendChild(heading);

    var facts = make("dl", "facts");
    function fact(term, value) {
      if (!value) return;
      facts.appendChild(make("div", null, make("dt", null, term), make("dd", null, value)));
    }
    fact(L.file, form.p);
    fact(L.type, form.k);
    fact(L.template, form.m ? (form.v ? fill(L.version, { template: form.m, version: form.v }) : form.m) : L.no_template);
    fact(L.countries, form.c.map(function (country) { return data.countries[country]; }).join(", "));
    article.appendChild(facts);
    article.appendChild(make("p", "counts" + (form.e ? " has-errors" : form.w ? " has-warnings" : ""), S[form.n]));

    if (problems.length) {
      var items = make("ol", "problems");
      var previous = "";
      problems.forEach(function (problem) {
        // Problems at the same place as the one before share its quoted lines.
        var place = problem.slice(2, 6).join(",");
        items.appendChild(renderProblem(form, problem, place !== previous));
        previous = place;
      });
      article.appendChild(items);
    }
    return article;
  }

  function renderProblem(form, problem, quote) {
    var rule = rules[problem[0]];
    var severity = problem[1];
    var fix = problem[7];
    var item = make("li", "problem " + severity);
    item.appendChild(make("h4", null,
      make("span", "badge " + severity, severity === "error" ? L.error : L.warning), " ",
      make("code", "code", rule.code), " ", make("span", "name", rule.name), " ",
      make("span", "where", fill(L.line, { line: problem[2] }))));
    item.appendChild(make("p", "message", S[problem[6]]));
    var source = quote ? renderSource(form, problem) : null;
    if (source) item.appendChild(source);

    var repair = make("p", "repair", make("strong", null, L.repair), " ", fix ? S[fix[0]] : L.by_hand);
    item.appendChild(repair);
    if (fix) item.appendChild(make("p", "fix-how " + fix[1], fix[1] === "safe" ? L.safe_fix : L.unsafe_fix));
    if (fix && fix.length > 2) item.appendChild(renderFix(fix[2], fix[3]));
    item.appendChild(renderHelp(rule));
    return item;
  }

  // The rule's documentation: ``literal`` spans as code, each example as a block.
  function renderHelp(rule) {
    var details = make("details", "rule-help",
      make("summary", null, fill(L.about_rule, { code: rule.code, name: rule.name })));
    var explanation = make("p");
    (rule.explanation || rule.summary).split("``").forEach(function (part, index) {
      if (part) explanation.appendChild(index % 2 ? make("code", null, part) : document.createTextNode(part));
    });
    details.appendChild(explanation);
    rule.examples.forEach(function (example) {
      details.appendChild(make("figure", "example", make("figcaption", null, example[0]),
        make("pre", null, example[1])));
    });
    return details;
  }

  function renderFix(before, after) {
    function block(caption, lines, className) {
      var pre = make("pre", className);
      if (!lines.length) pre.appendChild(make("span", "removed", L.removed));
      lines.forEach(function (line, index) {
        if (index) pre.appendChild(document.createTextNode("\n"));
        pre.appendChild(document.createTextNode(line));
      });
      return make("figure", null, make("figcaption", null, caption), pre);
    }
    return make("div", "fix", block(L.before, before, "before"), block(L.after, after, "after"));
  }

  function linesOf(form) {
    if (!form.lines) {
      form.lines = new Map();
      form.x.forEach(function (line) { form.lines.set(line[0], line); });
    }
    return form.lines;
  }

  function shownNumbers(line, endLine) {
    var first = line - CONTEXT_LINES;
    var last = endLine + CONTEXT_LINES;
    var numbers = [];
    var number;
    if (last - first <= 4 * CONTEXT_LINES + 2) {
      for (number = first; number <= last; number++) numbers.push(number);
      return numbers;
    }
    for (number = first; number <= line + CONTEXT_LINES; number++) numbers.push(number);
    for (number = endLine - CONTEXT_LINES; number <= last; number++) numbers.push(number);
    return numbers;
  }

  function renderSource(form, problem) {
    var lines = linesOf(form);
    var line = problem[2], column = problem[3], endLine = problem[4], endColumn = problem[5];
    var numbers = shownNumbers(line, endLine).filter(function (number) { return lines.has(number); });
    if (!numbers.length) return null;
    var code = make("code");
    var previous = null;
    numbers.forEach(function (number) {
      if (previous !== null && number > previous + 1) {
        code.appendChild(make("span", "row gap", make("span", "ln", "\u22ee"), make("span", "tx", L.gap)));
      }
      previous = number;
      var inSpan = number >= line && number <= endLine;
      var start = inSpan && number === line ? column : 0;
      var end = inSpan && number === endLine ? endColumn : Infinity;
      var row = make("span", "row" + (inSpan ? " in-span" : ""), make("span", "ln", String(number)));
      var text = make("span", "tx");
      var entry = lines.get(number);
      var pieces = typeof entry[1] === "string" ? [[0, entry[1]]] : entry[1];
      var length = typeof entry[1] === "string" ? entry[1].length : entry[2];
      pieces.forEach(function (piece, index) {
        if (piece[0] > (index ? pieces[index - 1][0] + pieces[index - 1][1].length : 0)) text.appendChild(cut());
        appendMarked(text, piece[1], piece[0], inSpan ? start : -1, end);
      });
      var last = pieces[pieces.length - 1];
      if (last[0] + last[1].length < length) text.appendChild(cut());
      if (inSpan && start === end) text.appendChild(make("mark", "caret", "\u200b"));
      row.appendChild(text);
      code.appendChild(row);
    });
    var caption = make("figcaption", "visually-hidden",
      fill(L.source, { first: numbers[0], last: numbers[numbers.length - 1] }));
    return make("figure", "source", caption, make("pre", "source", code));
  }

  function cut() {
    var mark = make("span", "cut", "\u2026");
    mark.title = L.cut;
    return mark;
  }

  // Text from ``offset`` with the part in [start, end) (UTF-16 positions in the line) marked.
  function appendMarked(parent, text, offset, start, end) {
    if (start < 0 || end <= offset || start >= offset + text.length || start === end) {
      parent.appendChild(document.createTextNode(text));
      return;
    }
    var from = Math.max(0, start - offset);
    var to = Math.min(text.length, end - offset);
    if (from > 0) parent.appendChild(document.createTextNode(text.slice(0, from)));
    parent.appendChild(make("mark", null, text.slice(from, to)));
    if (to < text.length) parent.appendChild(document.createTextNode(text.slice(to)));
  }

  // ---- Map ----

  function drawMap() {
    var layer = document.getElementById("map-points");
    if (!layer) return;
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    var places = new Map();
    var located = 0;
    matches.forEach(function (match) {
      var form = forms[match[0]];
      if (form.l.length) located++;
      form.l.forEach(function (location) {
        var place = places.get(location[0]);
        if (!place) {
          place = { point: location[0], forms: 0, countries: new Set(), outside: -1 };
          places.set(location[0], place);
        }
        place.forms++;
        if (location[1] >= 0) place.countries.add(data.countries[location[1]]);
        if (location[2] >= 0) place.outside = location[2];
      });
    });
    var ordered = Array.from(places.values()).sort(function (a, b) {
      return (a.outside >= 0) - (b.outside >= 0) || b.forms - a.forms;
    });
    ordered.forEach(function (place) {
      var point = data.points[place.point];
      var countries = Array.from(place.countries).join(", ");
      var label = fill(place.outside >= 0 ? L.map_point_outside : L.map_point, {
        country: countries, latlng: point[2] + "," + point[3], count: number(place.forms),
        message: place.outside >= 0 ? S[place.outside] : ""
      });
      var circle = document.createElementNS(SVG, "circle");
      circle.setAttribute("cx", point[0]);
      circle.setAttribute("cy", point[1]);
      circle.setAttribute("r", Math.min(10, 3 + 0.4 * Math.sqrt(place.forms)).toFixed(1));
      circle.setAttribute("class", "point" + (place.outside >= 0 ? " outside" : ""));
      circle.setAttribute("data-forms", place.forms);
      circle.setAttribute("tabindex", "0");
      circle.setAttribute("role", "button");
      circle.setAttribute("aria-label", label);
      var title = document.createElementNS(SVG, "title");
      title.textContent = label;
      circle.appendChild(title);
      var country = place.countries.size === 1 ? countries : "";
      function choose(event) {
        if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        if (country) change("country", country);
      }
      circle.addEventListener("click", choose);
      circle.addEventListener("keydown", choose);
      layer.appendChild(circle);
    });
    Array.prototype.forEach.call(document.querySelectorAll("#map-countries path"), function (path) {
      var selected = Boolean(state.country) &&
        data.countries[Number(path.getAttribute("data-country"))] === state.country;
      // Only touch what changes: restyling every outline would repaint the whole map.
      if (path.classList.contains("selected") !== selected) path.classList.toggle("selected", selected);
    });
    document.getElementById("map-status").textContent = fill(L.map_status, {
      located: number(located), shown: number(matches.length), places: number(places.size)
    });
    drawOutside(ordered.filter(function (place) { return place.outside >= 0; }));
  }

  function drawOutside(places) {
    var holder = document.getElementById("outside");
    while (holder.firstChild) holder.removeChild(holder.firstChild);
    if (!places.length) {
      holder.appendChild(make("p", null, L.outside_none));
      return;
    }
    var head = make("tr", null);
    [L.country, L.latlng, L.form_count, L.what].forEach(function (text) {
      var cell = make("th", null, text);
      cell.scope = "col";
      head.appendChild(cell);
    });
    var body = make("tbody");
    places.sort(function (a, b) { return b.forms - a.forms; }).forEach(function (place) {
      var point = data.points[place.point];
      body.appendChild(make("tr", null,
        make("td", null, Array.from(place.countries).join(", ")),
        make("td", "number", point[2] + "," + point[3]),
        make("td", "number", number(place.forms)),
        make("td", null, S[place.outside])));
    });
    holder.appendChild(make("table", "outside", make("thead", null, head), body));
  }

  // ---- Links inside the page ----

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (!link) return;
    var filter = link.getAttribute("data-filter");
    if (filter) {
      event.preventDefault();
      state[filter] = link.getAttribute("data-value") || "";
      apply();
      document.getElementById("forms").focus();
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target) {
      // Keep the filters in the fragment: move to the part without changing it.
      event.preventDefault();
      if (!target.hasAttribute("tabindex")) target.tabIndex = -1;
      target.focus();
      target.scrollIntoView();
    }
  });

  window.addEventListener("hashchange", function () {
    if (readFragment() || location.hash === "") apply();
  });

  window.addEventListener("beforeprint", function () {
    while (rendered < matches.length) renderMore(false);
  });

  more.addEventListener("click", function () { renderMore(true); });
  if ("IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) renderMore(false);
    }, { rootMargin: "600px" }).observe(more);
  }

  setUpControls();
  var filtered = readFragment();
  apply();
  if (filtered) document.getElementById("forms").scrollIntoView();
  document.documentElement.setAttribute("data-ready", String(Math.round(performance.now())));
})();
