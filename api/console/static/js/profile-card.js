// The profile card: GET /v1/profiles/{id} shown beside any view (map node, board row, path node).
import { api } from "./api.js";
import { clip, communityColour, day, errorBox, fmt, h, plural, who } from "./ui.js";

export function hideCard() {
  const card = document.getElementById("card");
  card.hidden = true;
  card.replaceChildren();
}

export async function showCard(profileId) {
  const card = document.getElementById("card");
  card.hidden = false;
  card.replaceChildren(h("p", { class: "muted" }, `Loading ${profileId}…`));
  let profile;
  try {
    profile = await api.get(`/v1/profiles/${encodeURIComponent(profileId)}`, { weeks: 12, conversations: 3 });
  } catch (error) {
    card.replaceChildren(errorBox(error));
    return;
  }
  const scores = profile.scores || {};
  card.replaceChildren(
    h("button", { type: "button", class: "close", onclick: hideCard, "aria-label": "close" }, "×"),
    h("h2", { "data-testid": "card-handle" }, who(profile)),
    h("p", { class: "muted" }, `${profile.id} · ${profile.platform || "?"}`),
    h("dl", {},
      h("dt", {}, "Influence"), h("dd", { "data-testid": "card-influence" }, fmt(scores.influence)),
      h("dt", {}, "Influence rank"), h("dd", { "data-testid": "card-rank" }, fmt(scores.influence_rank)),
      h("dt", {}, "Community"), h("dd", {}, h("span", { class: "swatch", "data-colour": communityColour(scores.community) }), fmt(scores.community)),
      h("dt", { title: "profiles that follow or engage with this one, or with one who does" }, "Audience (2 hops)"), h("dd", {}, fmt(scores.reach)),
      h("dt", {}, "Brokerage"), h("dd", {}, fmt(scores.brokerage)),
      h("dt", {}, "Followers"), h("dd", {}, fmt(profile.followers)),
      h("dt", {}, "Customers"), h("dd", {}, profile.customer_ids.join(", ") || "–"),
    ),
    h("h3", {}, "Brands"),
    profile.brands.length
      ? h("ul", {}, profile.brands.map((brand) => h("li", {},
        `${brand.name || brand.brand}: ${plural(brand.posts_about, "post")}`,
        brand.posts_mean_sentiment !== null && brand.posts_mean_sentiment !== undefined ? `, mean sentiment ${fmt(brand.posts_mean_sentiment, 2)}` : "",
        brand.advocate_rank ? `, advocate #${brand.advocate_rank}` : "",
        brand.detractor_rank ? `, detractor #${brand.detractor_rank}` : "")))
      : h("p", { class: "muted" }, "No brand activity."),
    h("h3", {}, "Recent conversations"),
    profile.recent_conversations.length
      ? h("ul", {}, profile.recent_conversations.map((c) => h("li", { "data-testid": "conversation", title: c.id },
        c.root_text ? `“${clip(c.root_text, 80)}”: ` : `${c.id}: `, `${plural(c.size, "post")}, last ${day(c.last_post_at)}`)))
      : h("p", { class: "muted" }, "None."),
  );
  for (const swatch of card.querySelectorAll(".swatch")) swatch.style.background = swatch.dataset.colour;
}
