// Brand page: share of voice (GET /v1/brands), weekly sentiment (GET /v1/brands/{id}/sentiment) as a
// chart, advocates and detractors with their evidence posts, and alerts where the server has them.
import { api } from "../api.js";
import { showCard } from "../profile-card.js";
import { day, fmt, h, hour, pct, plural, s, select, status, who } from "../ui.js";

export async function render(root, [brandId]) {
  const brands = await api.get("/v1/brands");
  if (!brands.items.length) {
    root.append(h("h1", {}, "Brands"), h("p", { class: "muted" }, "No brand in the store yet."));
    return;
  }
  const chosen = brands.items.find((b) => b.id === brandId) || brands.items[0];
  const picker = select("brand", brands.items.map((b) => [b.id, b.name || b.id]), chosen.id, { "data-testid": "brand-picker" });
  picker.addEventListener("change", () => { location.hash = `#/brands/${encodeURIComponent(picker.value)}`; });
  root.append(h("h1", {}, "Brand: ", h("span", { "data-testid": "brand-name" }, chosen.name || chosen.id)),
    h("form", { class: "filters" }, h("label", {}, "Brand", picker)));
  if (brandId && chosen.id !== brandId) {  // a stale or mistyped link: say so rather than show another brand
    root.append(h("p", { class: "error", "data-testid": "unknown-brand" },
      `No brand "${brandId}" in the store: showing ${chosen.name || chosen.id} instead.`));
  }

  const voice = h("table", { "data-testid": "share-of-voice" },
    h("thead", {}, h("tr", {}, h("th", {}, "Brand"), h("th", { class: "num" }, "Posts"), h("th", { class: "num" }, "Share of voice"), h("th", {}, ""))),
    h("tbody", {}, brands.items.map((b) => {
      const bar = h("span", { class: "bar" });
      bar.style.width = `${Math.round(b.share_of_voice * 240)}px`;
      return h("tr", { dataset: { brand: b.id } }, h("td", {}, b.id === chosen.id ? h("strong", {}, b.name || b.id) : b.name || b.id),
        h("td", { class: "num" }, fmt(b.posts)), h("td", { class: "num", "data-testid": "sov" }, pct(b.share_of_voice)), h("td", {}, bar));
    })));
  const chart = h("div", { class: "panel", "data-testid": "sentiment-chart" });
  const alerts = h("div", { class: "panel", "data-testid": "alerts" });
  const advocates = h("div", { "data-testid": "advocates" });
  const detractors = h("div", { "data-testid": "detractors" });
  root.append(h("div", { class: "cols" },
    h("div", {}, h("h2", {}, "Share of voice (all posts about brands)"), voice),
    h("div", {}, h("h2", {}, "Weekly sentiment"), chart)),
  h("h2", {}, "Alerts"), alerts,
  h("div", { class: "cols" }, h("div", {}, h("h2", {}, "Advocates"), advocates), h("div", {}, h("h2", {}, "Detractors"), detractors)));

  status("Loading the brand…");
  const id = encodeURIComponent(chosen.id);
  const [sentiment] = await Promise.all([
    api.get(`/v1/brands/${id}/sentiment`, { weeks: 12 }),
    stanceList(advocates, id, "advocates", "advocate"),
    stanceList(detractors, id, "detractors", "detractor"),
  ]);
  chart.append(sentimentChart(sentiment.weeks));
  await showAlerts(alerts, id);
  status("");
}

async function showAlerts(box, id) {
  try {
    const answer = await api.get(`/v1/brands/${id}/alerts`);
    const alerts = answer.alerts || [];
    const method = h("p", { class: "muted" }, `Negative-sentiment spikes per ${answer.granularity}: ${answer.method}, `
      + `alpha ${answer.alpha}; ${plural(answer.negative_posts, "negative post")} about the brand in all.`);
    if (!alerts.length) {
      box.append(h("p", { "data-testid": "no-alert" }, "No negative-sentiment spike for this brand."), method);
      return;
    }
    box.append(h("ul", {}, alerts.map((alert) => h("li", { "data-testid": "alert", dataset: { start: alert.start } },
      h("strong", {}, `Spike from ${hour(alert.start)}`),
      ` (${plural(alert.buckets, answer.granularity)}): ${plural(alert.observed, "negative post")} against `
        + `${fmt(alert.expected, 2)} expected (control limit ${alert.upper_control_limit}, p = ${alert.p_value.toExponential(1)})`,
      h("details", {}, h("summary", {}, `the ${plural(alert.posts.length, "post")}`),
        h("ul", { class: "posts" }, alert.posts.map((post) => h("li", {},
          h("span", { class: "neg" }, fmt(post.sentiment, 2)), ` ${hour(post.created_at)} `, h("a", { href: "#", onclick: (event) => { event.preventDefault(); showCard(post.author); } },
            post.author_handle ? `@${post.author_handle}` : post.author), `: “${post.text}”`))))))),
    method);
  } catch (error) {
    box.append(h("p", { class: "muted" }, error.status === 404
      ? "Alerts are not available on this server (no /v1/brands/{id}/alerts)."
      : `Alerts could not be read: ${error.message}`));
  }
}

// A post's part of its author's stance score: score = weight × influence_factor × Σ contributions
// (docs/signals.md), so the listed posts' parts add up to the score when all of them are listed.
function part(item, post) {
  return (item.weight ?? 1) * (item.influence_factor ?? 1) * post.contribution;
}

function signed(value) {
  return `${value >= 0 ? "+" : "−"}${fmt(Math.abs(value), 3)}`;
}

// Ten at a time, "More" for the next ten (the API's cursor): a brand may have a hundred advocates.
async function stanceList(box, id, kind, role) {
  let cursor = null;
  let table = null;
  const more = h("button", { type: "button", hidden: true, "data-testid": `${kind}-more` }, "More");
  async function load() {
    const page = await api.get(`/v1/brands/${id}/${kind}`, { limit: 10, cursor });
    if (table === null) {
      table = stanceTable(page.items, role);
      box.append(table, h("p", {}, more));
    } else {
      table.querySelector("tbody").append(...page.items.map(stanceRow));
    }
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }
  more.addEventListener("click", load);
  await load();
}

function stanceTable(items, role) {
  if (!items.length) return h("p", { class: "muted" }, `No ${role} in the current run.`);
  return h("table", {},
    h("thead", {}, h("tr", {}, h("th", { class: "num" }, "#"), h("th", {}, "Profile"),
      h("th", { class: "num" }, "Score"), h("th", { class: "num" }, "Mean sentiment"), h("th", {}, "Evidence"))),
    h("tbody", {}, items.map(stanceRow)));
}

function stanceRow(item) {
  const evidence = (item) => h("details", {}, h("summary", {}, plural(item.evidence.length, "post")),
    h("ul", { class: "posts" }, item.evidence.map((post) => h("li", {},
      h("span", { class: post.sentiment >= 0 ? "pos" : "neg" }, fmt(post.sentiment, 2)),
      ` ${day(post.created_at)} “${post.text || post.id}”`,
      post.contribution !== null && post.contribution !== undefined
        ? h("span", { class: "muted", "data-testid": "evidence-part" }, ` (${signed(part(item, post))} of the score ${fmt(item.score)})`)
        : ""))));
  return h("tr", { dataset: { profile: item.id } },
    h("td", { class: "num" }, fmt(item.rank)),
    h("td", {}, h("a", { href: "#", onclick: (event) => { event.preventDefault(); showCard(item.id); } }, who(item))),
    h("td", { class: "num", "data-testid": "stance-score" }, fmt(item.score)),
    h("td", { class: "num" }, h("span", { class: item.mean_sentiment >= 0 ? "pos" : "neg" }, fmt(item.mean_sentiment, 2))),
    h("td", {}, evidence(item)));
}

function sentimentChart(weeks) {
  if (!weeks.length) return h("p", { class: "muted" }, "No scored post about this brand in the last 12 weeks.");
  const width = 560;
  const height = 220;
  const pad = { left: 40, right: 10, top: 12, bottom: 34 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const step = innerW / weeks.length;
  const y = (value) => pad.top + (1 - (value + 1) / 2) * innerH;
  const maxPosts = Math.max(...weeks.map((w) => w.posts));
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "aria-label": "weekly mean sentiment" });
  for (const tick of [-1, -0.5, 0, 0.5, 1]) {
    svg.append(s("line", { x1: pad.left, x2: width - pad.right, y1: y(tick), y2: y(tick), stroke: tick === 0 ? "#98a2b3" : "#eceef2" }),
      s("text", { x: pad.left - 6, y: y(tick) + 4, "text-anchor": "end", "font-size": 10, fill: "#667085" }, tick.toFixed(1)));
  }
  weeks.forEach((week, index) => {
    const barHeight = (week.posts / maxPosts) * innerH * 0.35;
    const x = pad.left + index * step;
    svg.append(s("rect", { x: x + step * 0.2, width: step * 0.6, y: pad.top + innerH - barHeight, height: barHeight, fill: "#dfe7f6" },
      s("title", {}, `${plural(week.posts, "post")} (${week.positive} positive, ${week.negative} negative)`)));
    if (index % Math.ceil(weeks.length / 6) === 0) {
      svg.append(s("text", { x: x + step / 2, y: height - 12, "text-anchor": "middle", "font-size": 10, fill: "#667085" }, day(week.week_start).slice(5)));
    }
  });
  const points = weeks.map((week, index) => `${pad.left + (index + 0.5) * step},${y(week.mean_sentiment)}`).join(" ");
  svg.append(s("polyline", { points, fill: "none", stroke: "#2f6fde", "stroke-width": 2 }));
  weeks.forEach((week, index) => svg.append(s("circle", {
    cx: pad.left + (index + 0.5) * step, cy: y(week.mean_sentiment), r: 3.5, fill: week.mean_sentiment >= 0 ? "#1f8a4c" : "#c2362f",
    "data-week": week.week_start, "data-mean": week.mean_sentiment,
  }, s("title", {}, `week of ${day(week.week_start)}: mean ${week.mean_sentiment.toFixed(3)} over ${plural(week.posts, "post")}`))));
  return h("div", {}, svg, h("p", { class: "muted" }, "Line: mean sentiment of the week's posts about the brand (−1 … 1); bars: posts that week."));
}
