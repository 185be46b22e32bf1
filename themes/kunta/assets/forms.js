/* Kuntasivu forms: progressive enhancement of the form component (components/form).
 *
 * Without this script a form is a plain POST to the receiving service, which answers with the
 * thank-you page or the form again with an error summary (inbox/PROTOCOL.md). With it:
 *  - the same rules as the service are checked before sending, with the same messages (the rules
 *    and texts are in the form's <script type="application/json" class="ks-form__rules">);
 *  - problems are shown in the error summary, which takes focus, and repeated at each field;
 *  - the form is sent with fetch (Accept: application/json); 201 replaces it with the thanks
 *    text, which takes focus; 422 shows the service's messages the same way; a network error is
 *    said in text and every answer stays in the form;
 *  - the availability endpoint fills the start token and marks full options;
 *  - a textarea's character count is updated as the user types, and read out politely only
 *    after a pause in typing.
 * No third-party code, no build step, no animation (so nothing to reduce for
 * prefers-reduced-motion).
 */
(function () {
  "use strict";

  var EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
  var TEL = /^\+?[0-9][0-9 ()-]{4,}$/;
  var NUMBER = /^[+-]?[0-9]+([.,][0-9]+)?$/;
  var DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
  var TEXT_LIKE = ["text", "email", "tel", "textarea"];
  var COUNT_PAUSE_MS = 1000;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

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

  function Enhanced(form) {
    this.form = form;
    this.box = form.closest(".ks-form") || form.parentNode;
    var rules = JSON.parse(form.querySelector("script.ks-form__rules").textContent);
    this.rules = rules;
    this.texts = rules.texts;
    this.fields = [];
    var self = this;
    rules.fieldsets.forEach(function (group) {
      group.fields.forEach(function (field) { self.fields.push(field); });
    });
    this.status = form.querySelector(".ks-form__status");
    this.button = form.querySelector(".ks-form__send");
    this.available = {};
    this.sending = false;
    this.title = document.title;
    this.setUpCounts();
    this.loadAvailability();
    this.setKey();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      try {
        self.submit();
      } catch (problem) {
        // Whatever went wrong in this script, the resident's form still goes: as a plain POST,
        // which the service checks and answers without JavaScript.
        if (window.console) window.console.error(problem);
        form.submit();
      }
    });
  }

  /* A random key for this filling-in of the form (_key). If the answer to a sent form is lost
     on the way and the resident sends again, the service sees the same key and stores, books
     and mails it only once. getRandomValues, not randomUUID: it works on http:// previews too. */
  Enhanced.prototype.setKey = function () {
    var input = this.form.querySelector('input[name="_key"]');
    if (!input || !window.crypto || !window.crypto.getRandomValues) return;
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    input.value = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  };

  Enhanced.prototype.values = function (name) {
    var data = new FormData(this.form);
    return data.getAll(name).map(function (value) { return String(value).trim(); });
  };

  Enhanced.prototype.optionLabel = function (field, value) {
    var found = (field.options || []).filter(function (option) { return option.value === value; })[0];
    return found ? found.label : value;
  };

  Enhanced.prototype.isFull = function (field, value) {
    var seats = (this.available[field.name] || {})[value];
    return Boolean(seats) && seats.left <= 0;
  };

  Enhanced.prototype.fullError = function (field, value, message) {
    var self = this;
    var free = (field.options || []).filter(function (option) { return !self.isFull(field, option.value); });
    if (!free.length) return message("full_none");
    return message("full", {
      option: this.optionLabel(field, value),
      alternatives: free.map(function (option) { return option.label; }).join(", ")
    });
  };

  /* One field's first problem, in the order the service checks: required, format, pattern,
     length, range, choice, full. */
  Enhanced.prototype.check = function (field) {
    var texts = this.texts;
    function message(code, extra) {
      var values = { label: field.label };
      Object.keys(extra || {}).forEach(function (key) { values[key] = extra[key]; });
      return { field: field.name, code: code, message: format(texts[code], values) };
    }
    var type = field.type;
    var values = this.values(field.name).filter(function (value) { return value !== ""; });
    var options = (field.options || []).map(function (option) { return option.value; });
    if (type === "checkboxes") {
      if (!values.length) return field.required ? message("required_choice") : null;
      if (values.some(function (value) { return options.indexOf(value) < 0; })) return message("choice");
      for (var i = 0; i < values.length; i++) {
        if (this.isFull(field, values[i])) return this.fullError(field, values[i], message);
      }
      return null;
    }
    var value = values[0] || "";
    if (type === "consent") {
      return field.required && value !== "yes" ? message("consent") : null;
    }
    if (!value) {
      if (!field.required) return null;
      return message(type === "select" || type === "radios" ? "required_choice" : "required");
    }
    if (type === "select" || type === "radios") {
      if (options.indexOf(value) < 0) return message("choice");
      return this.isFull(field, value) ? this.fullError(field, value, message) : null;
    }
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

  Enhanced.prototype.describable = function (name) {
    var wrapper = this.form.querySelector('.ks-field[data-field="' + name + '"]');
    if (!wrapper) return null;
    return wrapper.querySelector("fieldset.ks-field__group") || wrapper.querySelector("#field-" + name);
  };

  Enhanced.prototype.setFieldError = function (name, text) {
    var wrapper = this.form.querySelector('.ks-field[data-field="' + name + '"]');
    if (!wrapper) return;
    var errorId = "field-" + name + "-error";
    var slot = wrapper.querySelector("#" + errorId);
    var target = this.describable(name);
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
        var hintId = "field-" + name + "-hint";
        var at = ids.indexOf(hintId) + 1;
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

  Enhanced.prototype.showErrors = function (errors) {
    var self = this;
    var byField = {};
    errors.forEach(function (error) {
      if (error.field && !byField[error.field]) byField[error.field] = error.message;
    });
    this.fields.forEach(function (field) { self.setFieldError(field.name, byField[field.name] || null); });
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
      if (error.field && document.getElementById("field-" + error.field)) {
        var link = document.createElement("a");
        link.href = "#field-" + error.field;
        link.textContent = error.message;
        link.addEventListener("click", function (event) {
          // Focus the input and bring its question into view with it (GOV.UK does the same):
          // following the fragment alone would scroll the label out of sight.
          var input = document.getElementById("field-" + error.field);
          if (!input) return;
          if (input.disabled) {
            // a full first time slot cannot take focus: go to the first choice that can
            var group = input.closest(".ks-field");
            input = (group && group.querySelector("input:not([disabled])")) || input;
          }
          event.preventDefault();
          var wrapper = input.closest(".ks-field") || input;
          wrapper.scrollIntoView({ block: "start" });
          input.focus({ preventScroll: true });
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

  Enhanced.prototype.say = function (text, isError) {
    this.status.textContent = text || "";
    this.status.classList.toggle("ks-form__status--error", Boolean(isError));
  };

  Enhanced.prototype.submit = function () {
    if (this.sending) return;
    var self = this;
    var errors = [];
    this.fields.forEach(function (field) {
      var problem = self.check(field);
      if (problem) errors.push(problem);
    });
    this.say("");
    this.showErrors(errors);
    if (errors.length) return;
    this.sending = true;
    this.button.setAttribute("aria-disabled", "true");
    this.say(this.texts.sending);
    var body = new URLSearchParams();
    new FormData(this.form).forEach(function (value, name) { body.append(name, String(value)); });
    fetch(this.form.action, {
      method: "POST",
      body: body,
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

  Enhanced.prototype.thank = function () {
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

  Enhanced.prototype.setUpCounts = function () {
    var self = this;
    this.fields.forEach(function (field) {
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

  Enhanced.prototype.loadAvailability = function () {
    var self = this;
    var url = this.form.getAttribute("data-availability");
    if (!url || !window.fetch) return;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        if (data.token && self.form.elements._token) self.form.elements._token.value = data.token;
        self.available = data.options || {};
        self.markAvailability();
      })
      .catch(function () { /* the service checks seats on sending anyway */ });
  };

  Enhanced.prototype.markAvailability = function () {
    var self = this;
    this.fields.forEach(function (field) {
      var seats = self.available[field.name];
      if (!seats) return;
      Object.keys(seats).forEach(function (value) {
        var full = seats[value].left <= 0;
        var note = full ? self.texts.option_full : format(self.texts.seats_left, { count: seats[value].left });
        if (field.type === "select") {
          var select = document.getElementById("field-" + field.name);
          Array.prototype.forEach.call(select ? select.options : [], function (option) {
            if (option.value !== value) return;
            option.disabled = full;
            option.textContent = self.optionLabel(field, value) + " " + note;
          });
          return;
        }
        var wrapper = self.form.querySelector('.ks-field[data-field="' + field.name + '"]');
        if (!wrapper) return;
        Array.prototype.forEach.call(wrapper.querySelectorAll("input"), function (input) {
          if (input.value !== value) return;
          input.disabled = full;
          var status = wrapper.querySelector('label[for="' + input.id + '"] .ks-choice__status');
          if (status) status.textContent = " " + note;  // a space, so it is not read as one word
        });
      });
    });
  };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.ks-form__form"), function (form) {
      if (form.querySelector("script.ks-form__rules")) new Enhanced(form);
    });
  }

  if (window.fetch && window.FormData && window.URLSearchParams && Array.from) start();
})();
