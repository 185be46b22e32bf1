/* Kuntasivu location-based feedback: progressive enhancement of the feedback widget
 * (components/feedback). Loaded only on pages with the widget, after Leaflet.
 *
 * Without this script the widget is a plain POST to the receiving service, which answers with
 * the thank-you page or the widget again with an error summary (inbox/PROTOCOL.md, "The
 * feedback widget"); the place is then the address field alone. With it:
 *  - the map (Leaflet) is shown: a click or tap places the marker; when the map has keyboard
 *    focus the arrow keys move it (Shift: further) and Enter puts it at the map's centre. Each
 *    move fills the hidden lat/long and is said politely in text, with the nearest known place;
 *  - "use my location" (when the browser has geolocation) and "remove the chosen place";
 *  - only the chosen category's extra questions are shown;
 *  - the same rules as the service are checked, with the same messages, and shown in the error
 *    summary (which takes focus) and at each field; the report is sent with fetch
 *    (Accept: application/json) and the thanks replace the form;
 *  - if anything in this script throws while sending, the form goes as a plain POST.
 * The checks, the error summary and the field errors, sending and the thanks, the _key and the
 * character count are form_kit.js's (loaded just before; shared with forms.js): the widget's
 * fields have the form fields' shape. What is here is what only the widget has: the categories
 * and their questions, the place and the map.
 * The address field stays first and always visible: the map is one way of three, never the only.
 * No build step; plain ES5 with the few newer APIs form_kit.js also relies on.
 */
(function () {
  "use strict";

  var Kit = window.KuntasivuForms;
  if (!Kit) return;  // form_kit.js did not load: the widget stays the plain form
  var format = Kit.format;
  var DEGREES = /^[+-]?[0-9]+(\.[0-9]+)?$/;
  var STEP_PX = 10;        // an arrow key moves the marker this far on screen: some tens of metres at zoom 13-16
  var BIG_STEP_PX = 50;    // with Shift
  var TILES_WAIT_MS = 10000;  // no map image after this long: tell the user (blocked networks may never answer)
  var EARTH_RADIUS_M = 6371008.8;

  function escapeHtml(text) {
    // Leaflet puts attribution text in as HTML; site.yml gives plain text.
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* Great-circle distance in metres (haversine): plenty exact for "about 120 metres". */
  function distance(lat1, long1, lat2, long2) {
    var rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad, dLong = (long2 - long1) * rad;
    var a = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(dLong / 2), 2);
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  /* Said distances are rounded as a person would say them: no false precision. */
  function roundDistance(metres) {
    if (metres < 10) return Math.round(metres);
    if (metres < 1000) return Math.round(metres / 10) * 10;
    return Math.round(metres / 100) * 100;
  }

  function Widget(form) {
    var rules = JSON.parse(form.querySelector("script.ks-feedback__rules").textContent);
    Kit.Form.call(this, form, form.closest(".ks-feedback") || form.parentNode, rules);
    var bounds = this.rules.map.bounds;
    this.area = { south: bounds[0], west: bounds[1], north: bounds[2], east: bounds[3] };
    this.position = form.querySelector("[data-feedback-position]");
    this.lat = form.elements.lat;
    this.long = form.elements.long;
    this.map = null;
    this.marker = null;
    this.still = Boolean(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
    this.setKey();
    this.setUpCounts(this.textFields());
    this.setUpCategories();
    this.setUpLocation();
    this.listen();
  }
  Widget.prototype = Object.create(Kit.Form.prototype);
  Widget.prototype.constructor = Widget;

  /* The fields that may have a character count: the description and every category's
     questions (all are in the page; the hidden ones keep their count). */
  Widget.prototype.textFields = function () {
    var all = [this.rules.fields.description];
    this.rules.categories.forEach(function (category) { all = all.concat(category.questions); });
    return all;
  };

  // --- categories and their questions ---------------------------------------------------------

  Widget.prototype.chosenCategory = function () {
    var checked = this.form.querySelector('input[name="service_code"]:checked');
    var code = checked ? checked.value : "";
    return this.rules.categories.filter(function (category) { return category.code === code; })[0] || null;
  };

  /* Without JavaScript every category's questions are shown, with a hint to answer only the
     chosen one's; here only the chosen category's are, so the hint is not needed. */
  Widget.prototype.setUpCategories = function () {
    var self = this;
    Array.prototype.forEach.call(this.form.querySelectorAll(".ks-feedback__questions"), function (group) {
      var hint = group.querySelector(".ks-feedback__questions-hint");
      if (hint) {
        hint.hidden = true;
        group.removeAttribute("aria-describedby");
      }
    });
    Array.prototype.forEach.call(this.form.querySelectorAll('input[name="service_code"]'), function (radio) {
      radio.addEventListener("change", function () { self.showQuestions(); });
    });
    this.showQuestions();
  };

  Widget.prototype.showQuestions = function () {
    var chosen = this.chosenCategory();
    Array.prototype.forEach.call(this.form.querySelectorAll(".ks-feedback__questions"), function (group) {
      group.hidden = !chosen || group.getAttribute("data-category") !== chosen.code;
    });
  };

  // --- the place ------------------------------------------------------------------------------

  Widget.prototype.inside = function (lat, long) {
    var a = this.area;
    return lat >= a.south && lat <= a.north && long >= a.west && long <= a.east;
  };

  /* What is said about a point: its coordinates and the nearest place site.yml lists. */
  Widget.prototype.describe = function (lat, long, template) {
    var texts = this.texts;
    var text = format(template, { lat: lat.toFixed(5), long: long.toFixed(5) });
    var nearest = null, best = Infinity;
    (this.rules.map.places || []).forEach(function (place) {
      var metres = distance(lat, long, place.at[0], place.at[1]);
      if (metres < best) { best = metres; nearest = place; }
    });
    if (nearest) text += " " + format(texts.marker_near, { place: nearest.name, distance: roundDistance(best) });
    return text;
  };

  /* The location status is a polite live region; saying the same text twice would not be
     announced again, so a repeat gets a different invisible ending. */
  Widget.prototype.sayPlace = function (text) {
    if (this.position.textContent === text) text += "\u00a0";
    this.position.textContent = text;
  };

  /* Choose a point (map click, arrow keys, Enter, "use my location"). A point outside the
     municipality is refused here as the service would refuse it, and the marker stays. */
  Widget.prototype.choose = function (lat, long, template) {
    // Six decimals (about 0.1 m) are sent; what is said and shown is rounded from those, so the
    // page never says a point other than the one it sends.
    lat = Number(lat.toFixed(6));
    long = Number(long.toFixed(6));
    if (!this.inside(lat, long)) {
      this.sayPlace(this.texts.location_outside);
      return false;
    }
    this.lat.value = lat.toFixed(6);
    this.long.value = long.toFixed(6);
    if (this.map) this.showMarker(lat, long);
    this.sayPlace(this.describe(lat, long, template || this.texts.marker_at));
    return true;
  };

  Widget.prototype.clearPlace = function () {
    this.lat.value = "";
    this.long.value = "";
    if (this.marker) {
      this.map.removeLayer(this.marker);
      this.marker = null;
    }
    this.sayPlace(this.texts.marker_none);
  };

  Widget.prototype.setUpLocation = function () {
    var self = this;
    var tools = this.form.querySelector("[data-feedback-tools]");
    var locate = this.form.querySelector("[data-feedback-locate]");
    var clear = this.form.querySelector("[data-feedback-clear]");
    if (window.L) {
      try {
        this.setUpMap();
      } catch (problem) {
        // No map then; the address field and "use my location" still work.
        if (window.console) window.console.error(problem);
        this.form.querySelector("[data-feedback-map-area]").hidden = true;
        this.map = null;
      }
    }
    tools.hidden = false;
    clear.addEventListener("click", function () { self.clearPlace(); });
    if (navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () { self.locate(); });
    }
    var lat = parseFloat(this.lat.value), long = parseFloat(this.long.value);
    if (isFinite(lat) && isFinite(long) && this.inside(lat, long)) {
      // Values kept from an earlier attempt: show them, without announcing on page load.
      if (this.map) this.showMarker(lat, long);
      this.position.textContent = this.describe(lat, long, this.texts.marker_at);
    } else {
      this.position.textContent = this.texts.marker_none;
    }
  };

  Widget.prototype.locate = function () {
    var self = this;
    var texts = this.texts;
    this.sayPlace(texts.locating);
    navigator.geolocation.getCurrentPosition(function (found) {
      var lat = found.coords.latitude, long = found.coords.longitude;
      if (self.choose(lat, long, texts.location_found) && self.map) {
        self.map.setView([lat, long], Math.max(self.map.getZoom(), 16), { animate: !self.still });
      }
    }, function (problem) {
      self.sayPlace(problem && problem.code === 1 ? texts.location_denied : texts.location_failed);
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  };

  // --- the map ------------------------------------------------------------------------------

  Widget.prototype.setUpMap = function () {
    var self = this;
    var L = window.L;
    var texts = this.texts;
    var config = this.rules.map;
    var area = this.form.querySelector("[data-feedback-map-area]");
    var element = area.querySelector("[data-feedback-map]");
    var note = area.querySelector("[data-feedback-tiles]");
    area.hidden = false;  // before Leaflet measures its element
    var bounds = L.latLngBounds([this.area.south, this.area.west], [this.area.north, this.area.east]);
    var map = L.map(element, {
      center: config.centre,
      zoom: config.zoom,
      keyboard: false,            // the arrow keys move the marker (below), not the map
      zoomControl: false,         // replaced by native buttons named in the page's language
      attributionControl: false,  // added below without Leaflet's English title text
      scrollWheelZoom: false,     // the wheel scrolls the page: the map never traps it
      maxBounds: bounds.pad(0.5),
      zoomAnimation: !this.still,
      fadeAnimation: !this.still,
      markerZoomAnimation: !this.still,
      inertia: !this.still
    });
    this.map = map;
    // A focusable element needs a role that may take focus and a name; "application" also
    // tells screen readers to pass the arrow keys to the map instead of reading on. The
    // visible key help above the map is its description.
    element.setAttribute("role", "application");
    element.setAttribute("aria-label", texts.map_label);
    element.setAttribute("aria-describedby", "feedback-map-help");
    element.tabIndex = 0;

    this.addZoomButtons();
    L.control.attribution({ prefix: '<a href="https://leafletjs.com/">Leaflet</a>' }).addTo(map);
    var tiles = L.tileLayer(config.tiles, { maxZoom: 19, attribution: escapeHtml(config.attribution) });
    this.watchTiles(tiles, note);
    tiles.addTo(map);

    map.on("click", function (event) { self.choose(event.latlng.lat, event.latlng.lng); });
    element.addEventListener("keydown", function (event) { self.onKey(event); });
  };

  /* The + and − of a zoom button, drawn rather than written: the name is the hidden text
     beside it, and a lone sign is not text for a reader (nor for contrast checkers, which
     cannot judge one character). */
  function sign(path) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "24");
    svg.setAttribute("height", "24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var line = document.createElementNS(ns, "path");
    line.setAttribute("d", path);
    line.setAttribute("stroke", "currentColor");
    line.setAttribute("stroke-width", "3");
    line.setAttribute("fill", "none");
    svg.appendChild(line);
    return svg;
  }

  /* Native buttons, not Leaflet's links with role=button: they take Space and Enter, and their
     names come from the site's texts. */
  Widget.prototype.addZoomButtons = function () {
    var L = window.L;
    var map = this.map;
    var texts = this.texts;
    var still = this.still;
    var Zoom = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "ks-feedback__zoom leaflet-control");
        L.DomEvent.disableClickPropagation(box);  // a click on a button places no marker
        var buttons = [[texts.zoom_in, "M4 12h16M12 4v16", 1], [texts.zoom_out, "M4 12h16", -1]].map(function (spec) {
          var button = L.DomUtil.create("button", "ks-feedback__zoom-button", box);
          button.type = "button";
          button.appendChild(sign(spec[1]));
          var name = document.createElement("span");
          name.className = "visually-hidden";
          name.textContent = spec[0];
          button.appendChild(name);
          button.addEventListener("click", function () {
            map.setZoom(map.getZoom() + spec[2], { animate: !still });
          });
          return button;
        });
        // aria-disabled, not disabled: a button that loses focus when disabled would drop the
        // keyboard user's place on the page.
        function update() {
          buttons[0].setAttribute("aria-disabled", String(map.getZoom() >= map.getMaxZoom()));
          buttons[1].setAttribute("aria-disabled", String(map.getZoom() <= map.getMinZoom()));
        }
        map.on("zoomend", update);
        update();
        return box;
      }
    });
    new Zoom().addTo(map);
  };

  /* Map images that cannot load (offline, blocked) leave a grey map; the marker, the keys and
     the address field still work, and the user is told once, in text. Failing means: the first
     batch of images all failed, or none has arrived after TILES_WAIT_MS. */
  Widget.prototype.watchTiles = function (tiles, note) {
    var texts = this.texts;
    var loaded = 0, failed = 0, told = false;
    function tell() {
      if (told || loaded) return;
      told = true;
      note.textContent = texts.tiles_failed;
    }
    tiles.on("tileload", function () { loaded += 1; });
    tiles.on("tileerror", function () { failed += 1; });
    tiles.on("load", function () { if (failed) tell(); });
    setTimeout(tell, TILES_WAIT_MS);
  };

  Widget.prototype.showMarker = function (lat, long) {
    var L = window.L;
    var point = L.latLng(lat, long);
    var text = format(this.texts.marker_at, { lat: lat.toFixed(5), long: long.toFixed(5) });
    if (!this.marker) {
      // Not focusable and not clickable: the map itself takes the keys and the clicks, so the
      // marker adds no Tab stop of its own. Its alt text says where it is.
      this.marker = L.marker(point, { keyboard: false, interactive: false, alt: text }).addTo(this.map);
    } else {
      this.marker.setLatLng(point);
      var icon = this.marker.getElement();
      if (icon) icon.alt = text;
    }
    if (!this.map.getBounds().contains(point)) {
      this.map.panInside(point, { padding: [40, 40], animate: !this.still });
    }
  };

  Widget.prototype.onKey = function (event) {
    var map = this.map;
    // Keys on the zoom buttons and links inside the map are theirs; modified keys are the
    // browser's and the screen reader's.
    if (event.target !== map.getContainer() || event.altKey || event.ctrlKey || event.metaKey) return;
    var moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
    var move = moves[event.key];
    var to;
    if (move) {
      var step = event.shiftKey ? BIG_STEP_PX : STEP_PX;
      // The marker starts from the map's centre when there is none yet.
      var from = map.latLngToContainerPoint(this.marker ? this.marker.getLatLng() : map.getCenter());
      to = map.containerPointToLatLng(from.add([move[0] * step, move[1] * step]));
    } else if (event.key === "Enter") {
      to = map.getCenter();
    } else {
      return;  // Tab and everything else go on as usual: no keyboard trap
    }
    event.preventDefault();  // no page scrolling under the map
    this.choose(to.lat, to.lng);
  };

  // --- checking and sending -------------------------------------------------------------------

  /* The fields checked, in the order of the page: category, description, place, the chosen
     category's questions, contact details. */
  Widget.prototype.checkedFields = function () {
    var fields = this.rules.fields;
    var category = this.chosenCategory();
    var codes = this.rules.categories.map(function (c) { return { value: c.code }; });
    var list = [
      { name: "service_code", type: "radios", label: this.texts.category_legend, required: true, options: codes },
      fields.description,
      fields.address_string
    ];
    if (category) list = list.concat(category.questions);
    return list.concat([fields.name, fields.email, fields.phone]);
  };

  /* lat and long: both or neither, decimal degrees, inside the municipality; reported on the
     address field, where a person can give the place another way. */
  Widget.prototype.checkPlace = function () {
    var lat = this.lat.value.trim(), long = this.long.value.trim();
    if (!lat && !long) return null;
    var self = this;
    function problem(code) {
      return self.problem(self.rules.fields.address_string, code);
    }
    if (!DEGREES.test(lat) || !DEGREES.test(long)) return problem("location_invalid");
    var a = parseFloat(lat), b = parseFloat(long);
    if (a < -90 || a > 90 || b < -180 || b > 180) return problem("location_invalid");
    return this.inside(a, b) ? null : problem("location_outside");
  };

  Widget.prototype.problems = function () {
    var self = this;
    var errors = [];
    this.checkedFields().forEach(function (field) {
      var problem = self.check(field);
      if (problem) errors.push(problem);
      if (field.name === "address_string") {
        var place = self.checkPlace();
        if (place) errors.push(place);
      }
    });
    return errors;
  };

  /* What is sent: the form as it is, without the other categories' answers (hidden with
     JavaScript; the service would ignore them) and without an empty place. */
  Widget.prototype.body = function () {
    var category = this.chosenCategory();
    var asked = (category ? category.questions : []).map(function (q) { return q.name; });
    var body = new URLSearchParams();
    new FormData(this.form).forEach(function (value, name) {
      if (name.indexOf("attribute[") === 0 && asked.indexOf(name) < 0) return;
      if ((name === "lat" || name === "long") && !String(value)) return;
      body.append(name, String(value));
    });
    return body;
  };

  /* The map goes with the form: Leaflet stops listening to the window. */
  Widget.prototype.thank = function () {
    if (this.map) this.map.remove();
    Kit.Form.prototype.thank.call(this);
  };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.ks-feedback__form"), function (form) {
      if (!form.querySelector("script.ks-feedback__rules")) return;
      try {
        new Widget(form);
      } catch (problem) {
        // Left as it is, the widget is the plain form that works without JavaScript.
        if (window.console) window.console.error(problem);
      }
    });
  }

  if (window.fetch && window.FormData && window.URLSearchParams && Array.from && Element.prototype.closest) start();
})();
