// Small DOM helpers shared by the views (no framework: elements built with h()).
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

const SVG_NS = "http://www.w3.org/2000/svg";
export function s(tag, attrs = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function status(text) { document.getElementById("status").textContent = text || ""; }

export function fmt(value, digits = 4) {
  if (value === null || value === undefined) return "–";
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return value.toPrecision(digits).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
}

export function plural(count, word) { return `${fmt(count)} ${word}${count === 1 ? "" : "s"}`; }

export function pct(value) { return value === null || value === undefined ? "–" : `${(value * 100).toFixed(1)} %`; }

export function day(epochMs) { return epochMs ? new Date(epochMs).toISOString().slice(0, 10) : "–"; }

export function hour(epochMs) { return epochMs ? `${new Date(epochMs).toISOString().slice(0, 16).replace("T", " ")} UTC` : "–"; }

// the first ``length`` characters of ``text`` (whole code points), with an ellipsis when cut
export function clip(text, length) {
  const points = Array.from(text);
  return points.length > length ? `${points.slice(0, length - 1).join("")}…` : text;
}

// "@ada (instagram)": the platform too, since one handle on two platforms is two people
export function who(profile) {
  if (!profile.handle) return profile.id;
  return profile.platform ? `@${profile.handle} (${profile.platform})` : `@${profile.handle}`;
}

// Community colours: a fixed palette by community id (same colour for the same id in every view).
const PALETTE = ["#2f6fde", "#e0672b", "#1f8a4c", "#b03fa8", "#c79a12", "#12a3b5", "#7a5cff", "#d2405f",
  "#5b8c2a", "#8a5a3c", "#3d4f9f", "#e08fb0"];
export function communityColour(id) {
  if (id === null || id === undefined || id < 0) return "#98a2b3";
  return PALETTE[id % PALETTE.length];
}

export function errorBox(error) { return h("p", { class: "error", "data-testid": "error" }, error.message || String(error)); }

export function select(name, options, value, attrs = {}) {
  return h("select", { name, ...attrs },
    options.map(([optionValue, label]) => h("option", { value: optionValue, selected: String(optionValue) === String(value ?? "") }, label)));
}

export function downloadBlob(blob, filename) {
  const link = h("a", { href: URL.createObjectURL(blob), download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
