() => {
  // An outline entry opens its clause in the clause view: the hidden #pb-nav box carries "doc_id clause"
  // to the server (sent by a click on the hidden #pb-nav-go), which selects the document and clause; the
  // view is then scrolled into sight.
  document.addEventListener("click", (event) => {
    const link = event.target.closest(".pb-outline a.pb-go");
    if (!link) return;
    const doc = link.closest("[data-doc]");
    const box = document.querySelector("#pb-nav textarea, #pb-nav input");
    if (!doc || !box) return;
    event.preventDefault();
    box.value = doc.dataset.doc + " " + link.dataset.clause;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    document.getElementById("pb-nav-go")?.click();
  });
}
