/* Kuntasivu forms: progressive enhancement of the form component (components/form).
 *
 * Without this script a form is a plain POST to the receiving service, which answers with the
 * thank-you page or the form again with an error summary (inbox/PROTOCOL.md). With it, and with
 * form_kit.js (loaded just before; it is shared with feedback.js):
 *  - the same rules as the service are checked before sending, with the same messages (the rules
 *    and texts are in the form's <script type="application/json" class="ks-form__rules">);
 *  - problems are shown in the error summary, which takes focus, and repeated at each field;
 *  - the form is sent with fetch (Accept: application/json); 201 replaces it with the thanks
 *    text, which takes focus; 422 shows the service's messages the same way; a network error is
 *    said in text and every answer stays in the form;
 *  - a textarea's character count is updated as the user types, and read out politely only
 *    after a pause in typing.
 * What is here is what only forms have: the availability endpoint fills the start token and marks
 * full options, and a full option is a problem before sending.
 * No third-party code, no build step, no animation (so nothing to reduce for
 * prefers-reduced-motion).
 */
(function () {
  "use strict";

  var Kit = window.KuntasivuForms;
  if (!Kit) return;  // form_kit.js did not load: the form stays a plain POST
  var format = Kit.format;
  var CHOICES = ["select", "radios", "checkboxes"];

  function Enhanced(form) {
    var rules = JSON.parse(form.querySelector("script.ks-form__rules").textContent);
    Kit.Form.call(this, form, form.closest(".ks-form") || form.parentNode, rules);
    this.fields = [];
    var self = this;
    rules.fieldsets.forEach(function (group) {
      group.fields.forEach(function (field) { self.fields.push(field); });
    });
    this.available = {};
    this.setUpCounts(this.fields);
    this.loadAvailability();
    this.setKey();
    this.listen();
  }
  Enhanced.prototype = Object.create(Kit.Form.prototype);
  Enhanced.prototype.constructor = Enhanced;

  Enhanced.prototype.problems = function () {
    var self = this;
    var errors = [];
    this.fields.forEach(function (field) {
      var problem = self.check(field);
      if (problem) errors.push(problem);
    });
    return errors;
  };

  /* The shared checks, then the seats: a full option is the last problem the service finds. */
  Enhanced.prototype.check = function (field) {
    return Kit.Form.prototype.check.call(this, field) || this.checkSeats(field);
  };

  Enhanced.prototype.checkSeats = function (field) {
    if (CHOICES.indexOf(field.type) < 0) return null;
    var values = this.values(field.name).filter(function (value) { return value !== ""; });
    if (field.type !== "checkboxes") values = values.slice(0, 1);  // one answer: the first
    for (var i = 0; i < values.length; i++) {
      if (this.isFull(field, values[i])) return this.fullError(field, values[i]);
    }
    return null;
  };

  Enhanced.prototype.optionLabel = function (field, value) {
    var found = (field.options || []).filter(function (option) { return option.value === value; })[0];
    return found ? found.label : value;
  };

  Enhanced.prototype.isFull = function (field, value) {
    var seats = (this.available[field.name] || {})[value];
    return Boolean(seats) && seats.left <= 0;
  };

  Enhanced.prototype.fullError = function (field, value) {
    var self = this;
    var free = (field.options || []).filter(function (option) { return !self.isFull(field, option.value); });
    if (!free.length) return this.problem(field, "full_none");
    return this.problem(field, "full", {
      option: this.optionLabel(field, value),
      alternatives: free.map(function (option) { return option.label; }).join(", ")
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
