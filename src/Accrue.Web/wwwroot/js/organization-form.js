// Organization form: shows the tax the chosen country implies (the server renders it too, for the
// page as loaded and without JavaScript). Each <option> carries its text in data-tax.
document.querySelectorAll("select[data-tax-target]").forEach((select) => {
  const target = document.getElementById(select.dataset.taxTarget);
  if (!target) return;
  select.addEventListener("change", () => {
    target.textContent = select.selectedOptions[0]?.dataset.tax ?? "";
  });
});
