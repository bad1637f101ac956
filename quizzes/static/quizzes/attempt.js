// Attempt page enhancements: autosave, a countdown and a status line. The page works without them:
// "Save answers" and "Submit" are plain form posts, and the server alone decides what counts.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  const status = document.querySelector("[data-autosave-status]");
  const say = (text) => { if (status) status.textContent = text; };
  const clock = (date) => date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  let dirty = false;
  let saving = false;
  let stopped = false;

  async function save() {
    if (!dirty || saving || stopped) return;
    saving = true;
    dirty = false;
    try {
      const response = await fetch(form.dataset.autosave, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)), // the same fields the "Save answers" button posts
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const result = await response.json();
      if (result.saved) {
        say(`Saved ${clock(new Date())}`);
      } else {
        say(result.error || "Your answers could not be saved.");
      }
    } catch (error) {
      dirty = true; // try again at the next tick
      say("Not saved: check your connection. Your answers are kept on this page.");
    } finally {
      saving = false;
    }
  }

  form.addEventListener("change", () => { dirty = true; save(); });
  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("submit", () => { stopped = true; });
  setInterval(save, 20000);

  const timer = document.querySelector("[data-timer]");
  if (!timer || !form.dataset.deadline) return;
  // Count against the server's clock: the page says what time the server thought it was.
  const skew = Date.parse(form.dataset.now) - Date.now();
  const deadline = Date.parse(form.dataset.deadline);
  const output = timer.querySelector("[data-timer-left]");
  const warned = new Set();
  timer.hidden = false;

  function tick() {
    const left = Math.max(0, Math.round((deadline - (Date.now() + skew)) / 1000));
    const minutes = Math.floor(left / 60);
    output.textContent = `${minutes}:${String(left % 60).padStart(2, "0")}`;
    for (const mark of [5, 1]) {
      if (left <= mark * 60 && left > 0 && !warned.has(mark)) {
        warned.add(mark);
        say(`${mark} minute${mark === 1 ? "" : "s"} left.`);
      }
    }
    if (left === 0 && !stopped) {
      stopped = true;
      say("Time is up: submitting your answers.");
      form.submit();
      return;
    }
    if (left > 0) setTimeout(tick, 1000);
  }
  tick();
});
