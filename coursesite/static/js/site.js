// Small progressive enhancements. Every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Self-check questions: show the feedback for the chosen option at once.
  document.querySelectorAll("[data-self-check]").forEach((section) => {
    const live = section.querySelector(".self-check__live");
    section.querySelectorAll("input[type=radio]").forEach((input) => {
      input.addEventListener("change", () => {
        section.querySelectorAll(".self-check__feedback").forEach((p) => (p.hidden = true));
        const option = input.closest(".self-check__option");
        const feedback = option.querySelector(".self-check__feedback");
        feedback.hidden = false;
        if (live) live.textContent = feedback.textContent;
      });
    });
  });
});
