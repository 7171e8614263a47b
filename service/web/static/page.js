/* POW Exchange Log: shows what happened inside a gap while its mark is hovered or focused.
   Everything it shows is already in the page (one <template> per mark, and the table);
   without this script each mark is a link to its row of the table. */
(function () {
  "use strict";

  var MARKS = ".gap-mark, .current-gap";
  var chart = document.querySelector("[data-gaps-chart]");
  var panel = document.getElementById("gap-panel");
  if (!chart || !panel) {
    return;
  }
  var marks = Array.prototype.slice.call(chart.querySelectorAll(MARKS));
  var active = null;

  function show(mark) {
    if (mark === active) {
      return;
    }
    var template = document.getElementById("detail-" + mark.getAttribute("data-key"));
    if (!template) {
      return;
    }
    if (active) {
      active.classList.remove("is-active");
    }
    active = mark;
    mark.classList.add("is-active");
    panel.replaceChildren(template.content.cloneNode(true));
    panel.setAttribute("data-from", mark.getAttribute("data-from"));
    panel.hidden = false;
  }

  function hide() {
    if (active) {
      active.classList.remove("is-active");
    }
    active = null;
    panel.hidden = true;
  }

  function markOf(event) {
    return event.target.closest ? event.target.closest(MARKS) : null;
  }

  chart.addEventListener("mouseover", function (event) {
    var mark = markOf(event);
    if (mark) {
      show(mark);
    }
  });
  chart.addEventListener("focusin", function (event) {
    var mark = markOf(event);
    if (mark) {
      show(mark);
    }
  });
  // Left and right move between marks; Escape closes the details.
  chart.addEventListener("keydown", function (event) {
    var mark = markOf(event);
    if (!mark) {
      return;
    }
    var step = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
    if (step) {
      var next = marks[marks.indexOf(mark) + step];
      if (next) {
        next.focus();
      }
      event.preventDefault();
    } else if (event.key === "Escape") {
      hide();
    }
  });
})();
