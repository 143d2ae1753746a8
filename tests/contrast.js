// WCAG 2.2 contrast of every visible text on the page (1.4.3, AA): the text colour against the backgrounds
// painted beneath it, composited as the browser paints them (semi-transparent layers blended, element
// opacity applied). Returns the texts below 4.5:1 (3:1 for large text: 24px, or 18.66px bold).
// Called as a selenium script: arguments[0] is a CSS selector for the part of the page to check.
const root = document.querySelector(arguments[0] || "body");
function parse(value) {
  const m = value.match(/rgba?\(([^)]+)\)/);
  if (!m) return [0, 0, 0, 0];
  const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function over(top, bottom) {  // `top` painted over an opaque `bottom`
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
}
function background(el) {
  const layers = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.backgroundImage && style.backgroundImage !== "none") layers.push([255, 255, 255, 0]);
    const colour = parse(style.backgroundColor);
    if (colour[3] > 0) layers.push(colour);
    if (colour[3] >= 1) break;
  }
  let painted = [255, 255, 255, 1];
  for (let i = layers.length - 1; i >= 0; i--) painted = over(layers[i], painted);
  return painted;
}
function luminance(c) {
  const [r, g, b] = c.slice(0, 3).map((v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function opacity(el) {
  let value = 1;
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    value *= Number(getComputedStyle(node).opacity);
  }
  return value;
}
const failures = [];
const seen = new Set();
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
for (let text = walker.nextNode(); text; text = walker.nextNode()) {
  const words = text.nodeValue.trim();
  const el = text.parentElement;
  if (!words || !el || seen.has(el)) continue;
  seen.add(el);
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  if (style.visibility !== "visible" || box.width === 0 || box.height === 0 || el.closest("[hidden], script, style, svg")) continue;
  if (el.closest("[aria-hidden='true']") || el.closest("details:not([open]) > :not(summary)")) continue;
  const bg = background(el);
  let fg = parse(style.color);
  fg = over([fg[0], fg[1], fg[2], fg[3] * opacity(el)], bg);
  const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
  const ratio = (l1 + 0.05) / (l2 + 0.05);
  const size = parseFloat(style.fontSize);
  const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
  const needed = large ? 3 : 4.5;
  if (ratio + 1e-6 < needed) {
    failures.push({
      text: words.slice(0, 60),
      ratio: Math.round(ratio * 100) / 100,
      needed,
      color: style.color,
      background: "rgb(" + bg.slice(0, 3).map(Math.round).join(",") + ")",
      where: (el.id ? "#" + el.id : el.tagName.toLowerCase()) + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""),
    });
  }
}
return failures;
