// Segments and outreach: build a filter, preview it (POST /v1/segments/preview), save it (write role),
// download saved segments as CSV or NDJSON, and plan an outreach list (POST /v1/outreach/plan).
import { api, canWrite } from "../api.js";
import { showCard } from "../profile-card.js";
import { downloadBlob, errorBox, fmt, h, select, status, who } from "../ui.js";

const NUMBER_FIELDS = new Set(["community", "min_influence", "sentiment_min", "sentiment_max", "active_within_days", "k", "simulations"]);

function formValues(form) {
  const values = {};
  for (const [name, value] of new FormData(form).entries()) {
    if (value === "") continue;
    values[name] = NUMBER_FIELDS.has(name) ? Number(value) : value;
  }
  return values;
}

export async function render(root) {
  const [brands, communities] = await Promise.all([api.get("/v1/brands"), api.get("/v1/communities", { top: 0, limit: 200 })]);
  const brandOptions = brands.items.map((b) => [b.id, b.name || b.id]);
  const communityOptions = communities.items.map((c) => [c.id, `${c.id} (${c.size})`]);
  const writable = canWrite();

  const filter = h("form", { class: "filters", "data-testid": "segment-form" },
    h("label", {}, "Brand", select("brand", [["", "any"], ...brandOptions], "")),
    h("label", {}, "Role", select("role", [["", "influencer / any"], ["advocate", "advocate"], ["detractor", "detractor"]], "")),
    h("label", {}, "Community", select("community", [["", "any"], ...communityOptions], "")),
    h("label", {}, "Platform", select("platform", [["", "any"], ["twitter", "twitter"], ["instagram", "instagram"], ["mastodon", "mastodon"]], "")),
    h("label", {}, "Min influence", h("input", { name: "min_influence", type: "number", step: "any", min: 0 })),
    h("label", {}, "Sentiment ≥", h("input", { name: "sentiment_min", type: "number", step: "any", min: -1, max: 1 })),
    h("label", {}, "Sentiment ≤", h("input", { name: "sentiment_max", type: "number", step: "any", min: -1, max: 1 })),
    h("label", {}, "Active within days", h("input", { name: "active_within_days", type: "number", min: 1 })),
    h("button", { type: "submit", class: "primary", "data-testid": "preview" }, "Preview"));
  const save = h("form", { class: "filters write-action", "data-testid": "save-form", hidden: !writable },
    h("label", {}, "Segment name", h("input", { name: "name", required: true, maxlength: 200 })),
    h("label", {}, "Description", h("input", { name: "description", maxlength: 2000 })),
    h("button", { type: "submit", class: "primary", "data-testid": "save-segment", disabled: !writable }, "Save segment"));
  const preview = h("div", { "data-testid": "segment-preview" });
  const saveResult = h("div", { "data-testid": "save-result" });
  const saved = h("div", { "data-testid": "saved-segments" });
  const plan = h("form", { class: "filters", "data-testid": "outreach-form" },
    h("label", {}, "Brand", select("brand", brandOptions, brandOptions[0]?.[0])),
    h("label", {}, "Contacts (k)", h("input", { name: "k", type: "number", min: 1, max: 100, value: 5, required: true })),
    h("label", {}, "Model", select("model", [["ic", "independent cascade"], ["lt", "linear threshold"]], "ic")),
    h("label", {}, "Only community", select("community", [["", "any"], ...communityOptions], "")),
    h("label", {}, "Simulations", h("input", { name: "simulations", type: "number", min: 100, max: 5000, value: 1000 })),
    h("button", { type: "submit", class: "primary", "data-testid": "plan" }, "Plan outreach"));
  const planned = h("div", { "data-testid": "outreach-plan" });
  root.append(h("h1", {}, "Segments"), filter, preview,
    writable ? save : h("p", { class: "muted", "data-testid": "read-only-note" }, "Your key is read-only: you can preview and download segments; saving needs the write role."),
    saveResult,
    h("h2", {}, "Saved segments"), saved,
    h("h1", {}, "Outreach plan"), plan, planned);

  filter.addEventListener("submit", async (event) => {
    event.preventDefault();
    preview.replaceChildren();
    const values = formValues(filter);
    if (values.sentiment_min !== undefined && values.sentiment_max !== undefined && values.sentiment_min > values.sentiment_max) {
      preview.append(h("p", { class: "error", "data-testid": "range-warning" },
        "“Sentiment ≥” is above “Sentiment ≤”: no member can match both."));
    }
    status("Previewing…");
    try {
      const answer = await api.post("/v1/segments/preview", values, { limit: 20 });
      preview.append(h("p", {}, `${answer.items.length}${answer.more ? "+" : ""} members`, answer.more ? " (first 20 shown)" : ""), memberTable(answer.items));
    } catch (error) { preview.append(errorBox(error)); }
    status("");
  });
  save.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!canWrite()) return;
    const { name, description = "" } = formValues(save);
    try {
      await api.post("/v1/segments", { name, description, filter: formValues(filter) });
      saveResult.replaceChildren(h("p", {}, `Saved segment ${name}.`));
      save.reset();
      await listSaved(saved);
    } catch (error) { saveResult.replaceChildren(errorBox(error)); }  // next to the form, not in the status line
  });
  plan.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = formValues(plan);
    const body = { brand: values.brand, k: values.k, model: values.model, simulations: values.simulations ?? 1000 };
    if (values.community !== undefined) body.candidates = { community: values.community };
    planned.replaceChildren();
    status("Planning (simulating cascades)…");
    try { planned.append(planTable(await api.post("/v1/outreach/plan", body))); } catch (error) { planned.append(errorBox(error)); }
    status("");
  });
  await listSaved(saved);
}

function memberTable(items) {
  if (!items.length) return h("p", { class: "muted" }, "Nobody matches.");
  return h("table", {}, h("thead", {}, h("tr", {}, h("th", { class: "num" }, "#"), h("th", {}, "Profile"), h("th", {}, "Customer"),
    h("th", { class: "num" }, "Score"), h("th", { class: "num" }, "Community"), h("th", {}, "Why"))),
  h("tbody", {}, items.map((m, index) => h("tr", { dataset: { profile: m.profile_id } },
    h("td", { class: "num" }, index + 1),
    h("td", {}, h("a", { href: "#", onclick: (event) => { event.preventDefault(); showCard(m.profile_id); } }, m.handle ? `@${m.handle}` : m.profile_id)),
    h("td", {}, m.customer_id || "–"), h("td", { class: "num", "data-testid": "member-score" }, fmt(m.score)),
    h("td", { class: "num" }, fmt(m.community)), h("td", {}, m.reason)))));
}

// A saved filter as a marketer reads it ("brand northwind · role advocate"), not as JSON.
function filterText(filter) {
  const parts = Object.entries(filter).filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => `${name.replace(/_/g, " ")} ${Array.isArray(value) ? value.join(", ") : value}`);
  return parts.length ? parts.join(" · ") : "every scored customer";
}

async function listSaved(box) {
  const segments = await api.get("/v1/segments", { limit: 100 });
  box.replaceChildren(segments.items.length ? h("table", {},
    h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Description"), h("th", {}, "Filter"), h("th", {}, "Download"), h("th", {}, ""))),
    h("tbody", {}, segments.items.map((segment) => h("tr", { dataset: { segment: segment.name } },
      h("td", {}, segment.name), h("td", {}, segment.description || ""), h("td", { "data-testid": "segment-filter" }, filterText(segment.filter)),
      h("td", {},
        h("button", { type: "button", "data-testid": "download-csv", onclick: () => download(segment.name, "csv") }, "CSV"), " ",
        h("button", { type: "button", "data-testid": "download-ndjson", onclick: () => download(segment.name, "ndjson") }, "NDJSON")),
      h("td", {}, canWrite() ? h("button", { type: "button", class: "write-action", "data-testid": "delete-segment", onclick: async () => {
        // a CRM may pull this segment every day: deleting it is not undone by a click elsewhere
        if (!window.confirm(`Delete the segment "${segment.name}"? A CRM pulling it will get "not found".`)) return;
        await api.del(`/v1/segments/${encodeURIComponent(segment.name)}`);
        await listSaved(box);
      } }, "Delete") : null)))))
    : h("p", { class: "muted" }, "No saved segment yet."));
}

async function download(name, format) {
  status(`Downloading ${name} (${format})…`);
  try {
    const response = await api.raw(`/v1/segments/${encodeURIComponent(name)}/members`, { format });
    downloadBlob(await response.blob(), `${name}.${format === "csv" ? "csv" : "ndjson"}`);
    status("");
  } catch (error) { status(`Error: ${error.message}`); }
}

// the selection's own estimates (its gains add up to its total); the independent estimate re-simulates the
// same contacts, so its mean differs from the selection's total by sampling error
const SELECTION_TITLE = "estimated by the selection method itself (CELF's cascades or IMM's RR sets); the gains add up to the total";

function planTable(plan) {
  const spread = plan.expected_spread;
  return h("div", {},
    h("p", { "data-testid": "plan-summary" },
      `Expected reach of these ${plan.contacts.length} contacts: `, h("strong", { "data-testid": "plan-mean" }, fmt(spread.mean, 4)),
      ` profiles (95 % interval `, h("span", { "data-testid": "plan-ci" }, `${fmt(spread.ci_low, 4)} – ${fmt(spread.ci_high, 4)}`),
      `, ${fmt(spread.simulations)} simulations); ${plan.model.toUpperCase()} model, ${plan.method}, ${fmt(plan.candidates)} eligible candidates.`),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", { class: "num" }, "Order"), h("th", {}, "Contact"), h("th", { class: "num" }, "Community"),
      h("th", { class: "num", title: SELECTION_TITLE }, "Adds (selection)"), h("th", { class: "num", title: SELECTION_TITLE }, "Total (selection)"),
      h("th", { title: "the first contacts up to this one, re-simulated independently of the selection" }, "Total, independent estimate (95 % interval)"),
      h("th", {}, "Reaches"))),
    h("tbody", {}, plan.contacts.map((contact) => h("tr", { dataset: { profile: contact.profile.id } },
      h("td", { class: "num" }, contact.order),
      h("td", {}, h("a", { href: "#", onclick: (event) => { event.preventDefault(); showCard(contact.profile.id); } }, who(contact.profile))),
      h("td", { class: "num" }, fmt(contact.profile.community)),
      h("td", { class: "num", "data-testid": "gain" }, fmt(contact.marginal_gain, 4)),
      h("td", { class: "num" }, fmt(contact.cumulative_spread, 4)),
      h("td", { "data-testid": "estimate" }, contact.cumulative_estimate
        ? `${fmt(contact.cumulative_estimate.mean, 4)} (${fmt(contact.cumulative_estimate.ci_low, 4)} – ${fmt(contact.cumulative_estimate.ci_high, 4)})` : "–"),
      h("td", {}, contact.reached.slice(0, 3).map(who).join(", ")))))));
}
