// Community map: one node per community (GET /v1/community-map), opening into one community's most
// influential members (GET /v1/community-map/{id}). Layouts come from the server; this view draws.
import { api } from "../api.js";
import { GraphCanvas } from "../graph-canvas.js";
import { showCard } from "../profile-card.js";
import { communityColour, fmt, h, status, who } from "../ui.js";

const LABELLED = 10; // top influencers (or communities) that get a label
let canvas = null;

export function leave() {
  canvas?.destroy();
  canvas = null;
  window.rapportMap = null;
}

function radius(value, largest, min, max) {
  return min + (max - min) * Math.sqrt(Math.max(0, value) / Math.max(largest, 1e-12));
}

export async function render(root, [communityId]) {
  const started = performance.now();
  document.body.dataset.mapReady = "";
  const wrap = h("div", { class: "map-wrap" });
  const side = h("div", { class: "panel" });
  root.append(h("h1", {}, communityId === undefined ? "Community map" : `Community ${communityId}`),
    h("div", { class: "split" }, wrap, side));
  canvas = new GraphCanvas(wrap, {
    onClick: (node) => (node.community !== undefined ? (location.hash = `#/map/${node.community}`) : showCard(node.id)),
  });
  window.rapportMap = canvas;
  wrap.append(h("div", { class: "map-tools" },
    h("button", { type: "button", onclick: () => canvas.zoomBy(1.4), "aria-label": "zoom in" }, "+"),
    h("button", { type: "button", onclick: () => canvas.zoomBy(1 / 1.4), "aria-label": "zoom out" }, "−"),
    h("button", { type: "button", onclick: () => canvas.fit() }, "Fit"),
    communityId === undefined ? null : h("a", { href: "#/map" }, h("button", { type: "button" }, "← all communities"))));
  status("Loading the map…");
  if (communityId === undefined) await renderOverview(side);
  else await renderCommunity(side, Number(communityId));
  status("");
  requestAnimationFrame(() => {
    document.body.dataset.mapReady = "1";
    document.body.dataset.mapReadyMs = String(Math.round(performance.now() - started));
    document.body.dataset.mapReadyAt = String(Math.round(performance.now())); // ms since navigation
  });
}

async function renderOverview(side) {
  const map = await api.get("/v1/community-map", { limit: 200 });
  const largest = Math.max(...map.nodes.map((node) => node.influence), 0);
  const labelled = new Set([...map.nodes].sort((a, b) => b.influence - a.influence).slice(0, LABELLED).map((n) => n.id));
  canvas.setGraph({
    nodes: map.nodes.map((node) => ({
      id: node.id, community: node.id, x: node.x, y: node.y, colour: communityColour(node.id),
      r: radius(node.influence, largest, 6, 34),
      label: labelled.has(node.id) ? `C${node.id}${node.top_members[0] ? ` · ${who(node.top_members[0])}` : ""}` : null,
    })),
    edges: map.edges,
  });
  side.append(
    h("p", {}, `${fmt(map.communities_total)} communities`,
      map.communities_total > map.nodes.length ? ` (largest ${map.nodes.length} shown)` : "",
      `; modularity ${fmt(map.run.modularity, 3)}. Node size: the community's summed influence; `,
      "lines: engagement between communities. Click a community to open it."),
    h("ul", { class: "legend", "data-testid": "legend" }, map.nodes.map((node) => h("li", { dataset: { community: node.id } },
      h("span", { class: "swatch", dataset: { colour: communityColour(node.id) } }),
      h("a", { href: `#/map/${node.id}` }, `Community ${node.id}`),
      ` · `, h("span", { "data-testid": "community-size" }, fmt(node.size)), " profiles · influence ",
      fmt(node.influence, 3),
      node.top_members.length ? h("div", { class: "muted" }, node.top_members.map(who).join(", ")) : null))),
  );
  paintSwatches(side);
}

async function renderCommunity(side, communityId) {
  const view = await api.get(`/v1/community-map/${communityId}`, { limit: 200 });
  const largest = Math.max(...view.nodes.map((node) => node.influence || 0), 0);
  const colour = communityColour(communityId);
  canvas.setGraph({
    nodes: view.nodes.map((node, index) => ({
      id: node.id, x: node.x, y: node.y, colour, r: radius(node.influence || 0, largest, 3, 22),
      label: index < LABELLED ? who(node) : null,
    })),
    edges: view.edges,
  });
  side.append(
    h("p", {}, `${fmt(view.size)} profiles; the ${view.nodes.length} most influential customers are drawn `,
      `(brands' own accounts, staff and placeholders are counted in the size, not drawn), `,
      `with the ${fmt(view.edges.length)} engagement links among them. Click a profile for its card.`),
    h("h2", {}, "Top influencers"),
    h("ol", { class: "legend", "data-testid": "members" }, view.nodes.slice(0, 25).map((node) => h("li", {},
      h("a", { href: "#", dataset: { profile: node.id }, onclick: (event) => { event.preventDefault(); showCard(node.id); } }, who(node)),
      ` · rank `, fmt(node.rank), ` · influence `, fmt(node.influence, 3)))),
  );
}

function paintSwatches(root) {
  for (const swatch of root.querySelectorAll(".swatch")) swatch.style.background = swatch.dataset.colour;
}
