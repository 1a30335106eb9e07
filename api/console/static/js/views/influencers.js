// Influencer board: GET /v1/influencers?explain=true, filtered by brand, community and platform, paged
// by next_cursor; each row's "why" opens the score's explanation (its top sources and their shares).
import { api } from "../api.js";
import { showCard } from "../profile-card.js";
import { fmt, h, pct, select, status, who } from "../ui.js";

const PAGE = 25;
// the list holds customers (the API's default); the stored rank counts every account, the brands' own too
const RANK_TITLE = "Rank among all accounts, brand accounts, staff and placeholders included; # is the place in this list";

export async function render(root) {
  const [brands, communities] = await Promise.all([
    api.get("/v1/brands"),
    api.get("/v1/communities", { top: 0, limit: 200 }),
  ]);
  const form = h("form", { class: "filters", "data-testid": "influencer-filters" },
    h("label", {}, "Brand", select("brand", [["", "all (global influence)"], ...brands.items.map((b) => [b.id, b.name || b.id])], "")),
    h("label", {}, "Community", select("community", [["", "all"], ...communities.items.map((c) => [c.id, `${c.id} (${c.size})`])], "")),
    h("label", {}, "Platform", select("platform", [["", "all"], ["twitter", "twitter"], ["instagram", "instagram"], ["mastodon", "mastodon"]], "")),
    h("button", { type: "submit", class: "primary" }, "Apply"));
  const table = h("table", { "data-testid": "influencers" });
  const more = h("button", { type: "button", hidden: true }, "More");
  root.append(h("h1", {}, "Influencers"), form, table, h("p", {}, more));
  let cursor = null;
  let filters = {};
  const brandNames = Object.fromEntries(brands.items.map((b) => [b.id, b.name || b.id]));  // ids read as names

  async function load(reset) {
    if (reset) {
      cursor = null;
      table.replaceChildren(h("thead", {}, h("tr", {},
        h("th", { class: "num" }, "#"),
        h("th", { class: "num", title: RANK_TITLE }, filters.brand ? "Brand rank" : "Overall rank"), h("th", {}, "Profile"), h("th", {}, "Platform"), h("th", { class: "num" }, "Community"),
        h("th", { class: "num" }, filters.brand ? `Influence for ${brandNames[filters.brand] || filters.brand}` : "Influence"),
        h("th", { class: "num", title: "Two-hop audience: profiles that follow or engage with this one, or with one who does" }, "Audience (2 hops)"), h("th", {}, "Explanation"))), h("tbody"));
    }
    status("Loading influencers…");
    const page = await api.get("/v1/influencers", { ...filters, limit: PAGE, cursor, explain: true });
    const body = table.querySelector("tbody");
    const shown = body.querySelectorAll("tr[data-profile]").length;  // rows of the earlier pages ("More")
    page.items.forEach((item, index) => body.append(...rows(item, Boolean(filters.brand), shown + index + 1)));
    if (!body.children.length) body.append(h("tr", {}, h("td", { colspan: 8, class: "muted" }, "No influencer matches these filters.")));
    cursor = page.next_cursor || null;
    more.hidden = !cursor;
    status("");
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    filters = Object.fromEntries([...data.entries()].filter(([, value]) => value !== ""));
    await load(true);
  });
  more.addEventListener("click", () => load(false));
  await load(true);
}

function rows(item, byBrand, position) {
  const detail = h("tr", { class: "detail", hidden: true }, h("td", { colspan: 8 }, explanation(item)));
  const row = h("tr", { dataset: { profile: item.id } },
    h("td", { class: "num", "data-testid": "position" }, String(position)),
    h("td", { class: "num", "data-testid": "rank", title: RANK_TITLE }, fmt(item.rank)),
    h("td", {}, h("a", { href: "#", onclick: (event) => { event.preventDefault(); showCard(item.id); } }, who(item))),
    h("td", {}, item.platform || "–"),
    h("td", { class: "num" }, fmt(item.community)),
    h("td", { class: "num", "data-testid": "score" }, fmt(byBrand ? item.brand_score : item.influence)),
    h("td", { class: "num" }, fmt(item.reach)),
    h("td", {}, h("button", { type: "button", "data-testid": "why", onclick: () => { detail.hidden = !detail.hidden; } }, "Why?")));
  return [row, detail];
}

function explanation(item) {
  const e = item.explanation;
  if (!e) return h("span", { class: "muted" }, "No explanation.");
  const head = e.kind === "personalized_pagerank"
    ? `Brand-personalised PageRank ${fmt(e.brand_score)} (rank ${fmt(e.brand_rank)} for this brand; global influence ${fmt(e.global_influence)}, rank ${fmt(e.global_rank)}). It is made of:`
    : `PageRank ${fmt(e.global_influence)} (rank ${fmt(e.global_rank)}). It is made of:`;
  // the parts of the score: the top in-neighbours, every other in-neighbour, and the random restart
  const part = (label, contribution, share) => h("li", { "data-testid": "part" },
    `${label}: ${fmt(contribution)} (${pct(share)} of the score)`);
  const score = e.score ?? 0;
  return h("div", { "data-testid": "explanation" }, h("p", {}, head),
    h("ul", {},
      e.top_sources.map((source) => part(`${who(source)} (${source.platform || "?"}), who engages with it`,
        source.contribution ?? source.share * score, source.share)),
      e.other_sources_share ? part("every other profile engaging with it", e.other_sources_share * score, e.other_sources_share) : "",
      e.teleport_share ? part(e.kind === "personalized_pagerank" ? "the restart at the brand's own accounts" : "the random restart (the same for every profile)",
        e.teleport_share * score, e.teleport_share) : ""));
}
