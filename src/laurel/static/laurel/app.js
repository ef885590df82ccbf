// Laurel — small progressive enhancements; the pages work without JavaScript.
(function () {
  function countChars(text) {
    // As the office counts: every character except whitespace (spaces, line breaks, 全角空格).
    return text.replace(/\s/g, "").length;
  }

  function attachCounter(area) {
    if (area.dataset.counterReady) return;
    area.dataset.counterReady = "1";
    var max = parseInt(area.dataset.countMax, 10);
    var counter = document.createElement("p");
    counter.className = "counter";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    function update() {
      var n = countChars(area.value);
      counter.textContent = "已输入 " + n + " 字 / 上限 " + max + " 字" + (n > max ? "（超出 " + (n - max) + " 字）" : "");
      counter.classList.toggle("over", n > max);
    }
    area.addEventListener("input", update);
    update();
  }

  function enhance(root) {
    root.querySelectorAll("textarea[data-count-max]").forEach(attachCounter);
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.dataset.confirmReady) return;
      form.dataset.confirmReady = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
    // "添加一行" of a Django formset: a copy of its empty form (<template id="<prefix>-empty">)
    // appended to the table, numbered by TOTAL_FORMS — the row appears in place, nothing saved.
    root.querySelectorAll("button[data-add-row]").forEach(function (button) {
      if (button.dataset.addRowReady) return;
      button.dataset.addRowReady = "1";
      button.addEventListener("click", function () {
        var prefix = button.dataset.addRow;
        var template = document.getElementById(prefix + "-empty");
        var total = document.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
        var table = button.parentNode.querySelector("table.formset tbody");
        if (!template || !total || !table) return;
        var index = parseInt(total.value, 10) || 0;
        var html = template.innerHTML.split("__prefix__").join(String(index));
        var body = document.createElement("tbody");
        body.innerHTML = html;
        while (body.firstChild) table.appendChild(body.firstChild);
        total.value = String(index + 1);
        var first = table.lastElementChild && table.lastElementChild.querySelector("input");
        if (first) first.focus();
      });
    });
    // A selector that changes the page (the campaign of a per-campaign page).
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      if (select.dataset.autosubmitReady) return;
      select.dataset.autosubmitReady = "1";
      select.addEventListener("change", function () { select.form.requestSubmit(); });
    });
    // One button of a form that does something irreversible (保存并上报, 报领导小组复审).
    root.querySelectorAll("button[data-confirm]").forEach(function (button) {
      if (button.dataset.confirmReady) return;
      button.dataset.confirmReady = "1";
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.dataset.confirm)) event.preventDefault();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
