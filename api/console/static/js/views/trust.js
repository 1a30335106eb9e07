// Trust paths: GET /v1/trust-paths from a brand (any of its own accounts) or a profile to a profile, each
// of the top-k paths drawn with every edge's trust (rating / 10) and where that trust came from.
import { api } from "../api.js";
import { showCard } from "../profile-card.js";
import { fmt, h, s, status } from "../ui.js";

export async function render(root, [source = "", target = ""]) {
  const [suggestions, brands] = await Promise.all([api.get("/v1/influencers", { limit: 200 }), api.get("/v1/brands")]);
  const list = h("datalist", { id: "profile-ids" }, suggestions.items.map((item) => h("option", { value: item.id }, item.handle || "")));
  // a brand id starts the paths at any of the brand's own accounts ("a warm introduction from our brand")
  const sources = h("datalist", { id: "source-ids" },
    brands.items.map((brand) => h("option", { value: brand.id }, `${brand.name || brand.id} (brand)`)),
    suggestions.items.map((item) => h("option", { value: item.id }, item.handle || "")));
  const form = h("form", { class: "filters", "data-testid": "trust-form" },
    h("label", {}, "From (brand or profile id)", h("input", { name: "source", list: "source-ids", value: source, required: true })),
    h("label", {}, "To (profile id or @handle)", h("input", { name: "target", list: "profile-ids", value: target, required: true })),
    h("label", {}, "Paths (k)", h("input", { name: "k", type: "number", min: 1, max: 10, value: 3 })),
    h("label", {}, "Max hops", h("input", { name: "max_hops", type: "number", min: 1, max: 6, value: 4 })),
    h("button", { type: "submit", class: "primary" }, "Find paths"));
  const results = h("div", { "data-testid": "trust-results" });
  root.append(h("h1", {}, "Trust paths"), list, sources, form, results);
  // "@ada" or "ada" as typed by a marketer: the profile of that handle among the suggestions, if one
  const byHandle = new Map(suggestions.items.filter((item) => item.handle).map((item) => [item.handle.toLowerCase(), item.id]));
  const resolve = (text) => byHandle.get(text.trim().replace(/^@/, "").toLowerCase()) || text.trim();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    data.source = resolve(data.source);
    data.target = resolve(data.target);
    if (data.source === data.target) {
      results.replaceChildren(h("p", { class: "error", "data-testid": "error" }, "From and To are the same profile: pick two."));
      return;
    }
    history.replaceState(null, "", `#/trust/${encodeURIComponent(data.source)}/${encodeURIComponent(data.target)}`);
    await find(results, data);
  });
  if (source && target) await find(results, { source, target, k: 3, max_hops: 4 });
}

async function find(results, query) {
  results.replaceChildren();
  status("Finding trust paths…");
  try {
    const answer = await api.get("/v1/trust-paths", query);
    status("");
    if (!answer.paths.length) {
      results.append(h("p", { class: "muted" }, "No trusted path within the hop limit (distrust is never crossed)."));
      return;
    }
    answer.paths.forEach((path, index) => results.append(
      h("h2", {}, `Path ${index + 1}: trust `, h("span", { "data-testid": "path-trust" }, fmt(path.trust)), ` over ${path.hops} hops`),
      drawPath(path)));
  } catch (error) {
    status("");
    results.append(h("p", { class: "error", "data-testid": "error" }, error.message));
  }
}

function drawPath(path) {
  const gap = 210;
  const width = 60 + gap * (path.nodes.length - 1) + 60;
  const height = 120;
  const svg = s("svg", { class: "path-svg", viewBox: `0 0 ${width} ${height}`, "data-testid": "path" });
  svg.append(s("defs", {}, s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 12, markerHeight: 12, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" },
    s("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#667085" }))));
  const x = (index) => 60 + index * gap;
  path.edges.forEach((edge, index) => {
    const origin = edge.origin === "implicit"
      ? `implicit: ${edge.positive_interactions || 0} positive`
        + (edge.negative_interactions ? `, ${edge.negative_interactions} negative` : "")
      : `rating: ${fmt(edge.rating, 3)}/10`;
    svg.append(
      s("line", { x1: x(index) + 14, y1: 60, x2: x(index + 1) - 16, y2: 60, stroke: "#667085", "stroke-width": 1 + edge.trust * 4, "marker-end": "url(#arrow)" }),
      s("text", { x: (x(index) + x(index + 1)) / 2, y: 48, "text-anchor": "middle", "font-size": 12, "data-testid": "edge-trust" }, `trust ${fmt(edge.trust, 3)}`),
      s("text", { x: (x(index) + x(index + 1)) / 2, y: 80, "text-anchor": "middle", "font-size": 11, fill: "#667085", "data-testid": "edge-origin" },
        origin));
  });
  path.nodes.forEach((node, index) => {
    const group = s("g", { class: "path-node", "data-profile": node });
    group.append(s("circle", { cx: x(index), cy: 60, r: 12, fill: index === 0 || index === path.nodes.length - 1 ? "#2f6fde" : "#98a2b3" }),
      s("text", { x: x(index), y: 100, "text-anchor": "middle", "font-size": 11 },
        path.handles?.[index] ? `@${path.handles[index]}` : node),
      s("title", {}, node));
    group.addEventListener("click", () => showCard(node));
    svg.append(group);
  });
  return svg;
}
