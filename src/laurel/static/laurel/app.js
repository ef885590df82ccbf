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
