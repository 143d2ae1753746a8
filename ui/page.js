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

  // The chrome in the language of the switch (see ui/chrome.py): of a "中文 · English" text, the part asked
  // for; for 繁體 the Chinese part in Traditional characters. Answers, quotes and clause texts are skipped.
  const TRADITIONAL = __TRADITIONAL__;
  const HAN = /[\u3400-\u9fff]/;
  const LATIN = /[A-Za-z]/;
  const SKIP = "#pb-chat [data-testid='bot'], #pb-chat [data-testid='user'], .pb-quote, .pb-side p, td, .pb-label, .pb-title, .pb-units li, #pb-staff-lines, #pb-terms";
  const originals = new WeakMap();  // node → its text as the page wrote it
  const shown = new WeakMap();  // node → the text this script last put there
  let language = "auto";
  const hant = (text) => Array.from(text, (c) => TRADITIONAL[c] || c).join("");
  function part(text) {
    const tail = text.endsWith(" · ") ? " · " : "";  // "中文 · English · " before a link
    const pieces = text.slice(0, text.length - tail.length).split(" · ");
    if (pieces.length !== 2) return null;
    const [zh, en] = pieces;
    if (!HAN.test(zh) || HAN.test(en) || !LATIN.test(en.trim())) return null;
    if (language === "en") return (zh.match(/^\s*/)[0]) + en + tail;
    const chinese = zh.replace(/\s+$/, "") + (en.match(/\s*$/)[0]) + tail;
    return language === "zh-Hant" ? hant(chinese) : chinese;
  }
  function apply(node) {
    const current = node.nodeValue;
    if (shown.get(node) !== current) originals.set(node, current);
    const original = originals.get(node);
    // A pair (<x class="pb-pair"><span lang="zh">…</span><span lang="en">…</span></x>) shows one half by CSS;
    // its Chinese half is only written in the characters asked for.
    const paired = node.parentElement?.closest(".pb-pair > [lang=zh]");
    const wanted = paired
      ? (language === "zh-Hant" ? hant(original) : original)
      : language === "auto" ? original : part(original) ?? original;
    if (wanted !== current) {
      shown.set(node, wanted);
      node.nodeValue = wanted;
    } else {
      shown.set(node, current);
    }
  }
  const ATTRIBUTES = ["placeholder", "aria-label", "title"];
  function applyAttributes(el) {
    for (const name of ATTRIBUTES) {
      const value = el.getAttribute(name);
      if (!value) continue;
      const key = "pbOriginal" + name.replace("-", "");
      if (el.dataset[key + "Shown"] !== value) el.dataset[key] = value;
      const wanted = language === "auto" ? el.dataset[key] : part(el.dataset[key]) ?? el.dataset[key];
      el.dataset[key + "Shown"] = wanted;
      if (wanted !== value) el.setAttribute(name, wanted);
    }
  }
  function walk(root) {
    if (root.nodeType !== 1 && root.nodeType !== 3) return;  // comments Svelte leaves behind
    const start = root.nodeType === 3 ? root.parentElement : root;
    if (!start || start.closest(SKIP)) return;
    if (root.nodeType === 3) return apply(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT, {
      acceptNode: (n) => (n.nodeType === 1 && n.matches(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let n = walker.currentNode; n; n = walker.nextNode()) {
      if (n.nodeType === 3 && (originals.has(n) || n.nodeValue.includes(" · ") || n.parentElement?.closest(".pb-pair"))) apply(n);
      else if (n.nodeType === 1) applyAttributes(n);
    }
  }
  window.policybotChrome = (value) => {
    language = value || "auto";
    document.documentElement.lang = { en: "en", "zh-Hant": "zh-Hant", zh: "zh-Hans" }[language] || "zh";
    document.documentElement.dataset.chrome = language;
    walk(document.body);
  };
  new MutationObserver((records) => {
    if (language === "auto") return;
    for (const record of records) {
      if (record.type === "characterData") {
        if (shown.get(record.target) !== record.target.nodeValue && record.target.nodeValue.includes(" · ")) walk(record.target);
      } else {
        record.addedNodes.forEach((n) => walk(n));
        if (record.type === "attributes") applyAttributes(record.target);
      }
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES });
}
