/* Kuntasivu form kit: what the two enhanced forms, forms.js (components/form) and feedback.js
 * (components/feedback), do alike. main.html loads it before either (defer keeps the order);
 * on its own it only defines window.KuntasivuForms.
 *
 * Both forms post to the receiving service, which checks every answer again and answers a plain
 * POST without JavaScript (inbox/PROTOCOL.md). Both render their questions with the form_field
 * component, from fields of one shape (form_view; feedback_view._field gives the same), so one
 * script can serve both:
 *  - check: a field's first problem in the order the service checks it (required, format,
 *    pattern, length, range, choice), with the service's messages from the form's texts;
 *  - show problems: the error summary above the form, which takes focus and links to each field,
 *    and the same message at the field, in the markup the service renders (components/
 *    error_summary, components/form_field), so the page reads alike whoever found the problem;
 *  - send with fetch (Accept: application/json): 201 replaces the form with the thanks, which
 *    take focus; 422 shows the service's messages as above; anything else and a network error
 *    are said in text, and every answer stays in the form. If the script throws, the form goes
 *    as a plain POST;
 *  - the random _key, and a textarea's character count.
 * What only one form does stays in its script: for forms.js the availability endpoint (start
 * token, full options); for feedback.js the categories and their questions, the place and the map.
 * A script makes its kind of form from Form (below) and gives it problems(): the list to show
 * before sending.
 * Plain ES5 with the few newer APIs the two scripts test for (fetch, FormData, URLSearchParams,
 * Array.from). No third-party code, no build step, no animation.
 */
(function () {
  "use strict";

  // The service's patterns (inbox rules.py; open311.py uses the same for feedback).
  var EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
  var TEL = /^\+?[0-9][0-9 ()-]{4,}$/;
  var NUMBER = /^[+-]?[0-9]+([.,][0-9]+)?$/;
  var DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
  var TEXT_LIKE = ["text", "email", "tel", "textarea"];
  var COUNT_PAUSE_MS = 1000;

  /* "{label}" and the like filled from values; an unknown name is left as it is. */
  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  /* Lengths in code points, as the service (Python's len) counts them: an emoji is one. */
  function codePoints(text) {
    return Array.from(text).length;
  }

  function realDate(text) {
    var m = DATE.exec(text);
    if (!m) return false;
    var year = +m[1], month = +m[2], day = +m[3];
    // setUTCFullYear, not Date.UTC, which reads years 0-99 as 1900-1999; year 0 does not exist
    // for the service (Python's date) either.
    var date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  }

  function toNumber(text) {
    return parseFloat(text.replace(",", "."));
  }

  /* The element with this id if it is inside the element: field names may have brackets
     (feedback's attribute[code]), so ids are looked up, never put into a selector. */
  function within(element, id) {
    var found = document.getElementById(id);
    return found && element.contains(found) ? found : null;
  }

  /* One enhanced form: the <form>, the box its error summary goes in, and its rules (the JSON in
     the page, with texts and thanks). The caller sets up the rest, then calls setKey and listen
     in its own order: listen last, so a form whose set-up fails stays a plain form. */
  function Form(form, box, rules) {
    this.form = form;
    this.box = box;
    this.rules = rules;
    this.texts = rules.texts;
    this.status = form.querySelector(".ks-form__status");
    this.button = form.querySelector(".ks-form__send");
    this.sending = false;
    this.title = document.title;
  }

  Form.prototype.listen = function () {
    var self = this;
    var form = this.form;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      try {
        self.submit();
      } catch (problem) {
        // Whatever went wrong in this script, the resident's answers still go: as a plain POST,
        // which the service checks and answers without JavaScript.
        if (window.console) window.console.error(problem);
        form.submit();
      }
    });
  };

  /* A random key for this filling-in of the form (_key). If the answer to a sent form is lost
     on the way and the resident sends again, the service sees the same key and stores, books
     and mails it only once. getRandomValues, not randomUUID: it works on http:// previews too. */
  Form.prototype.setKey = function () {
    var input = this.form.querySelector('input[name="_key"]');
    if (!input || !window.crypto || !window.crypto.getRandomValues) return;
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    input.value = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  };

  Form.prototype.values = function (name) {
    var data = new FormData(this.form);
    return data.getAll(name).map(function (value) { return String(value).trim(); });
  };

  /* A problem as the service's 422 lists it: field, code and the message from the form's texts. */
  Form.prototype.problem = function (field, code, extra) {
    var values = { label: field.label };
    Object.keys(extra || {}).forEach(function (key) { values[key] = extra[key]; });
    return { field: field.name, code: code, message: format(this.texts[code], values) };
  };

  /* One field's first problem, in the order the service checks: required, format, pattern,
     length, range, choice. (Full options are forms.js's own check, after this one.) */
  Form.prototype.check = function (field) {
    var self = this;
    function message(code, extra) {
      return self.problem(field, code, extra);
    }
    var type = field.type;
    var values = this.values(field.name).filter(function (value) { return value !== ""; });
    var options = (field.options || []).map(function (option) { return option.value; });
    if (type === "checkboxes") {
      if (!values.length) return field.required ? message("required_choice") : null;
      return values.some(function (value) { return options.indexOf(value) < 0; }) ? message("choice") : null;
    }
    var value = values[0] || "";
    if (type === "consent") {
      return field.required && value !== "yes" ? message("consent") : null;
    }
    if (!value) {
      if (!field.required) return null;
      return message(type === "select" || type === "radios" ? "required_choice" : "required");
    }
    if (type === "select" || type === "radios") return options.indexOf(value) < 0 ? message("choice") : null;
    if (type === "email" && !EMAIL.test(value)) return message("email");
    if (type === "tel" && !TEL.test(value)) return message("tel");
    if (type === "number") {
      if (!NUMBER.test(value)) return message("number");
      if (field.integer && !/^[+-]?[0-9]+$/.test(value)) return message("integer");
    }
    if (type === "date" && !realDate(value)) return message("date");
    if (field.pattern && (type === "text" || type === "tel") && !new RegExp("^(?:" + field.pattern + ")$").test(value)) {
      if (field.pattern_message) {
        return { field: field.name, code: "pattern", message: format(field.pattern_message, { label: field.label }) };
      }
      return message("pattern");
    }
    if (TEXT_LIKE.indexOf(type) >= 0) {
      var length = codePoints(value);
      if (field.min_length != null && length < field.min_length) return message("too_short", { min: field.min_length });
      if (field.max_length != null && length > field.max_length) return message("too_long", { max: field.max_length });
    }
    if (type === "number") {
      var number = toNumber(value);
      if (field.min != null && number < field.min) return message("too_small", { min: field.min });
      if (field.max != null && number > field.max) return message("too_large", { max: field.max });
    }
    if (type === "date") {
      if (field.min != null && value < field.min) return message("too_small", { min: field.min });
      if (field.max != null && value > field.max) return message("too_large", { max: field.max });
    }
    return null;
  };

  /* The field's box (form_field's .ks-field[data-field]); compared, not put into a selector. */
  Form.prototype.wrapper = function (name) {
    var wrappers = this.form.querySelectorAll(".ks-field[data-field]");
    for (var i = 0; i < wrappers.length; i++) {
      if (wrappers[i].getAttribute("data-field") === name) return wrappers[i];
    }
    return null;
  };

  /* The message at the field (text, or null to clear it), as form_field renders it: the error
     slot with its hidden prefix, tied to the input (or the group's fieldset) after the hint,
     and aria-invalid on the input, or on each checkbox of a group. */
  Form.prototype.setFieldError = function (name, text) {
    var wrapper = this.wrapper(name);
    if (!wrapper) return;
    var errorId = "field-" + name + "-error";
    var slot = within(wrapper, errorId);
    var target = wrapper.querySelector("fieldset.ks-field__group") || within(wrapper, "field-" + name);
    var ids = target && target.getAttribute("aria-describedby") ? target.getAttribute("aria-describedby").split(" ") : [];
    ids = ids.filter(function (id) { return id && id !== errorId; });
    wrapper.classList.toggle("ks-field--error", Boolean(text));
    if (slot) {
      slot.textContent = "";
      slot.hidden = !text;
      if (text) {
        var prefix = document.createElement("span");
        prefix.className = "visually-hidden";
        prefix.textContent = this.texts.error_title_prefix;
        slot.appendChild(prefix);
        slot.appendChild(document.createTextNode(text));
        // The hint comes first, then the error, as in the HTML the service renders.
        var at = ids.indexOf("field-" + name + "-hint") + 1;
        ids.splice(at, 0, errorId);
      }
    }
    if (target) {
      if (ids.length) target.setAttribute("aria-describedby", ids.join(" "));
      else target.removeAttribute("aria-describedby");
      var inputs = target.tagName === "FIELDSET" ? target.querySelectorAll('input[type="checkbox"]') : [target];
      Array.prototype.forEach.call(inputs, function (input) {
        if (text) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      });
    }
  };

  /* Problems (the script's or the service's 422) at every field of the form and in the error
     summary, which takes focus; none clears them all. The page title starts with the error
     prefix while there are problems, as the service's answer page does. */
  Form.prototype.showErrors = function (errors) {
    var self = this;
    var byField = {};
    errors.forEach(function (error) {
      if (error.field && !byField[error.field]) byField[error.field] = error.message;
    });
    Array.prototype.forEach.call(this.form.querySelectorAll(".ks-field[data-field]"), function (wrapper) {
      var name = wrapper.getAttribute("data-field");
      self.setFieldError(name, byField[name] || null);
    });
    var old = this.box.querySelector("[data-error-summary]");
    if (old) old.parentNode.removeChild(old);
    if (!errors.length) {
      document.title = this.title;
      return;
    }
    document.title = this.texts.error_title_prefix + this.title;
    var summary = document.createElement("div");
    summary.className = "ks-error-summary";
    summary.tabIndex = -1;
    summary.setAttribute("data-error-summary", "");
    var heading = document.createElement("h" + (this.form.getAttribute("data-level") || "3"));
    heading.className = "ks-error-summary__title";
    heading.textContent = this.texts.error_summary_title;
    var list = document.createElement("ul");
    list.className = "ks-error-summary__list";
    errors.forEach(function (error) {
      var item = document.createElement("li");
      var input = error.field ? document.getElementById("field-" + error.field) : null;
      if (input) {
        var link = document.createElement("a");
        // Encoded as the template encodes it: feedback's attribute[code] has brackets.
        link.href = "#" + encodeURIComponent("field-" + error.field);
        link.textContent = error.message;
        link.addEventListener("click", function (event) {
          // Focus the input and bring its question into view with it (GOV.UK does the same):
          // following the fragment alone would scroll the label out of sight.
          var to = input;
          if (to.disabled) {
            // a full first option (forms.js) cannot take focus: go to the first choice that can
            var group = to.closest(".ks-field");
            to = (group && group.querySelector("input:not([disabled])")) || to;
          }
          event.preventDefault();
          var wrapper = to.closest(".ks-field") || to;
          wrapper.scrollIntoView({ block: "start" });
          to.focus({ preventScroll: true });
        });
        item.appendChild(link);
      } else {
        item.textContent = error.message;
      }
      list.appendChild(item);
    });
    summary.appendChild(heading);
    summary.appendChild(list);
    this.form.parentNode.insertBefore(summary, this.form);
    summary.focus();
  };

  /* The form's status line (role=status): "sending", or what went wrong in sending. */
  Form.prototype.say = function (text, isError) {
    this.status.textContent = text || "";
    this.status.classList.toggle("ks-form__status--error", Boolean(isError));
  };

  /* What is sent: the form as it is. (feedback.js leaves some answers out.) */
  Form.prototype.body = function () {
    var body = new URLSearchParams();
    new FormData(this.form).forEach(function (value, name) { body.append(name, String(value)); });
    return body;
  };

  /* Check (the form's own problems()), then send once at a time; the button keeps focus and
     only says it is busy (aria-disabled), so a keyboard user does not lose their place. */
  Form.prototype.submit = function () {
    if (this.sending) return;
    var self = this;
    var errors = this.problems();
    this.say("");
    this.showErrors(errors);
    if (errors.length) return;
    this.sending = true;
    this.button.setAttribute("aria-disabled", "true");
    this.say(this.texts.sending);
    fetch(this.form.action, {
      method: "POST",
      body: this.body(),
      headers: { Accept: "application/json" },
      credentials: "omit"
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.status === 201) {
            self.thank();
          } else if (response.status === 422 && data && Array.isArray(data.errors)) {
            self.say("");
            self.showErrors(data.errors);
          } else {
            var reason = (data && data.detail) || response.statusText || String(response.status);
            self.say(format(self.texts.server_error, { reason: reason }), true);
          }
        });
      })
      .catch(function () {
        self.say(self.texts.network_error, true);
      })
      .then(function () {
        self.sending = false;
        self.button.removeAttribute("aria-disabled");
      });
  };

  /* The thanks replace the form and take focus, so a screen reader reads them at once. */
  Form.prototype.thank = function () {
    var thanks = document.createElement("div");
    thanks.className = "ks-form__thanks";
    thanks.tabIndex = -1;
    var text = document.createElement("p");
    text.textContent = this.rules.thanks;
    thanks.appendChild(text);
    var old = this.box.querySelector("[data-error-summary]");
    if (old) old.parentNode.removeChild(old);
    document.title = this.title;
    this.form.parentNode.replaceChild(thanks, this.form);
    thanks.focus();
  };

  /* The character count of each of these fields that is a textarea with a limit. */
  Form.prototype.setUpCounts = function (fields) {
    var self = this;
    fields.forEach(function (field) {
      if (field.type !== "textarea" || !field.max_length) return;
      var input = document.getElementById("field-" + field.name);
      var count = document.getElementById("field-" + field.name + "-count");
      if (!input || !count) return;
      // The visible count changes as the user types; the live region, read by screen readers,
      // only after a pause, so that typing is not talked over on every key.
      var live = document.createElement("div");
      live.className = "visually-hidden";
      live.setAttribute("aria-live", "polite");
      count.parentNode.insertBefore(live, count.nextSibling);
      var timer = null;
      function text() {
        var left = field.max_length - codePoints(input.value.trim());
        count.classList.toggle("ks-field__count--over", left < 0);
        return left >= 0
          ? format(self.texts.characters_left, { count: left })
          : format(self.texts.characters_over, { count: -left });
      }
      count.textContent = text();
      input.addEventListener("input", function () {
        count.textContent = text();
        if (timer) clearTimeout(timer);
        timer = setTimeout(function () { live.textContent = count.textContent; }, COUNT_PAUSE_MS);
      });
    });
  };

  window.KuntasivuForms = {
    format: format,
    Form: Form
  };
})();
