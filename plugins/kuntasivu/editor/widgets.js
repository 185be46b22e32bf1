/*
 * Kuntasivu's own Decap CMS widget, loaded after decap-cms.js in admin/ (editor/admin.py).
 *
 * "kuntasivu-same-text": a text that may be one plain string for every language of a bilingual
 * site, or one string per language (content/model.py SAME_IN_ALL_LANGUAGES: a contact's name,
 * opening hours). Files hold both forms:
 *     name: Helena Saarinen
 *     name: {fi: Kirjasto, sv: Biblioteket}
 * Decap's object widget cannot open the first form (it calls .set on the string), so this widget
 * shows one input per language, fills each from the plain string, and writes a plain string
 * again whenever every language says the same; the file then stays as staff wrote it.
 *
 * Plain ES5 with Decap's own globals (window.h is React.createElement, window.createClass), so
 * no build step and nothing third-party in our code.
 */
(function () {
  "use strict";

  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;
  if (!CMS || !h || !createClass) {
    return; // decap-cms.js did not load; Decap's own page already says so
  }

  function textIn(value, lang) {
    if (value === null || value === undefined) {
      return "";
    }
    if (typeof value === "string") {
      return value;
    }
    // Decap gives a map read from the file as an Immutable Map, and our own onChange value as an object.
    var text = typeof value.get === "function" ? value.get(lang) : value[lang];
    return text === null || text === undefined ? "" : String(text);
  }

  function toArray(list) {
    return list && typeof list.toJS === "function" ? list.toJS() : list || [];
  }

  function toObject(map) {
    return map && typeof map.toJS === "function" ? map.toJS() : map || {};
  }

  function combine(texts, languages) {
    var first = texts[languages[0]];
    var same = languages.every(function (lang) {
      return texts[lang] === first;
    });
    if (same) {
      return first; // one text serves every language, as the file wrote it
    }
    var out = {};
    languages.forEach(function (lang) {
      if (texts[lang] !== "") {
        out[lang] = texts[lang];
      }
    });
    return out;
  }

  // Decap's own inputs sit borderless in the field's box; one box with two inputs needs each input's
  // edge visible (WCAG 1.4.11: #767676 is 4.5:1 on white) and a focus ring that Decap's styles keep.
  var INPUT_STYLE = {
    width: "100%",
    boxSizing: "border-box",
    padding: "8px",
    font: "inherit",
    border: "1px solid #767676",
    borderRadius: "4px",
    background: "#ffffff",
    color: "#1e2532",
  };
  var FOCUS_STYLE = { outline: "3px solid #3a69c7", outlineOffset: "1px" };

  function merged(base, extra) {
    var out = {};
    Object.keys(base).forEach(function (key) {
      out[key] = base[key];
    });
    Object.keys(extra || {}).forEach(function (key) {
      out[key] = extra[key];
    });
    return out;
  }

  var SameTextControl = createClass({
    getInitialState: function () {
      return { focused: null };
    },

    languages: function () {
      return toArray(this.props.field.get("languages"));
    },

    texts: function () {
      var value = this.props.value;
      var texts = {};
      this.languages().forEach(function (lang) {
        texts[lang] = textIn(value, lang);
      });
      return texts;
    },

    change: function (lang, text) {
      var texts = this.texts();
      texts[lang] = text;
      this.props.onChange(combine(texts, this.languages()));
    },

    // Decap asks before saving: a text given in some languages only would fail the build.
    isValid: function () {
      var texts = this.texts();
      var languages = this.languages();
      var given = languages.filter(function (lang) {
        return texts[lang].trim() !== "";
      });
      if (given.length === 0 || given.length === languages.length) {
        return true; // empty: Decap's own required check speaks for required fields
      }
      // parentIds: Decap marks the (collapsed) list items around the field as holding an error.
      return {
        error: {
          type: "CUSTOM",
          parentIds: this.props.parentIds,
          message: String(this.props.field.get("missing_language_message")),
        },
      };
    },

    render: function () {
      var self = this;
      var props = this.props;
      var labels = toObject(props.field.get("language_labels"));
      var texts = this.texts();
      return h(
        "div",
        { className: props.classNameWrapper },
        this.languages().map(function (lang, index) {
          // Decap's label for the field points at forID: the first language's input.
          var id = index === 0 ? props.forID : props.forID + "-" + lang;
          return h(
            "p",
            { key: lang, style: { margin: index === 0 ? "0" : "12px 0 0" } },
            // The page is in Decap's interface language; a language's name is in that language.
            h("label", { htmlFor: id, lang: lang, style: { display: "block", fontWeight: "600" } }, labels[lang] || lang),
            h("input", {
              id: id,
              type: "text",
              lang: lang,
              value: texts[lang],
              style: merged(INPUT_STYLE, self.state.focused === lang ? FOCUS_STYLE : null),
              onChange: function (event) {
                self.change(lang, event.target.value);
              },
              onFocus: function () {
                self.setState({ focused: lang });
                props.setActiveStyle();
              },
              onBlur: function () {
                self.setState({ focused: null });
                props.setInactiveStyle();
              },
            })
          );
        })
      );
    },
  });

  var SameTextPreview = createClass({
    render: function () {
      var languages = toArray(this.props.field.get("languages"));
      var value = this.props.value;
      return h(
        "p",
        {},
        languages
          .map(function (lang) {
            return textIn(value, lang);
          })
          .filter(function (text, index, all) {
            return text !== "" && all.indexOf(text) === index;
          })
          .join(" / ")
      );
    },
  });

  CMS.registerWidget("kuntasivu-same-text", SameTextControl, SameTextPreview);
})();
