// The console's shell: sign-in with an API key (sessionStorage only), the caller's role, hash routing.
import { api, ApiError, canWrite, session } from "./api.js";
import { status } from "./ui.js";
import { hideCard } from "./profile-card.js";
import * as mapView from "./views/map.js";
import * as influencersView from "./views/influencers.js";
import * as brandsView from "./views/brands.js";
import * as trustView from "./views/trust.js";
import * as segmentsView from "./views/segments.js";

const VIEWS = { map: mapView, influencers: influencersView, brands: brandsView, trust: trustView, segments: segmentsView };
let current = null;

async function signIn(key) {
  session.key = key;
  try {
    session.caller = await api.get("/v1/me");
  } catch (error) {
    session.key = null;
    session.caller = null;
    throw error;
  }
}

function showSignedIn(signedIn) {
  document.getElementById("sign-in").hidden = signedIn;
  document.getElementById("nav").hidden = !signedIn;
  document.getElementById("who").hidden = !signedIn;
  if (signedIn) {
    document.getElementById("who-name").textContent = session.caller.name;
    document.getElementById("who-role").textContent = session.caller.role;
    document.body.dataset.role = session.caller.role;
    // write actions are shown only to keys that may take them (the server refuses them anyway)
    for (const element of document.querySelectorAll(".write-action")) element.hidden = !canWrite();
  } else {
    delete document.body.dataset.role;
    document.getElementById("view").replaceChildren();
  }
}

async function route() {
  hideCard();
  if (!session.caller) return;
  const [name, ...rest] = (location.hash.replace(/^#\/?/, "") || "map").split("/");
  const view = VIEWS[name] || mapView;
  for (const link of document.querySelectorAll("#nav a")) link.classList.toggle("active", link.dataset.view === name);
  if (current?.leave) current.leave();
  current = view;
  const root = document.getElementById("view");
  root.replaceChildren();
  status("");
  try {
    await view.render(root, rest.map(decodeURIComponent));
  } catch (error) {
    status(error instanceof ApiError && error.code === "no_analysis_run"
      ? "No analysis run yet: run one (rapport analyze, or the Run analysis button with a write key)."
      : `Error: ${error.message}`);
  }
}

async function startAnalysis() {
  const button = document.getElementById("run-analysis");
  button.disabled = true;
  try {
    let run = await api.post("/v1/analysis/runs", {});
    while (run.state === "queued" || run.state === "running") {
      status(`Analysis ${run.id}: ${run.stage || run.state} ${(run.progress * 100).toFixed(0)} %`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      run = await api.get(`/v1/analysis/runs/${encodeURIComponent(run.id)}`);
    }
    if (run.state === "succeeded") await route(); // redraws the page from the new run (and clears the line)
    status(run.state === "succeeded" ? `Analysis ${run.id} finished: the page shows its results.`
      : `Analysis failed: ${run.error}`);
  } catch (error) {
    status(`Error: ${error.message}`);
  } finally {
    button.disabled = false;
  }
}

async function start() {
  document.getElementById("sign-in-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = document.getElementById("api-key");
    const message = document.getElementById("sign-in-error");
    message.hidden = true;
    try {
      await signIn(input.value.trim());
      input.value = "";
      showSignedIn(true);
      await route();
    } catch (error) {
      message.textContent = error.status === 401 ? "This API key is not valid." : `Sign-in failed: ${error.message}`;
      message.hidden = false;
    }
  });
  document.getElementById("sign-out").addEventListener("click", () => {
    session.key = null;
    session.caller = null;
    showSignedIn(false);
    hideCard();
  });
  document.getElementById("run-analysis").addEventListener("click", startAnalysis);
  window.addEventListener("hashchange", route);
  if (session.key) {
    try {
      await signIn(session.key);
    } catch { /* stale key: ask again */ }
  }
  showSignedIn(Boolean(session.caller));
  if (session.caller) await route();
  document.body.dataset.ready = "1";
}

start();
