// The console's only way to the server: the public /v1 API, with the key kept in sessionStorage.
const KEY_NAME = "rapport.apiKey";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problemText(status, problem));
    this.status = status;
    this.code = problem?.code;
  }
}

// "the request is invalid" alone tells a marketer nothing: name each field and what is wrong with it
// (a 422's errors[]: {location: ["body", "filter", "brand"], message}), as the API sends them.
function problemText(status, problem) {
  const detail = problem?.detail || `HTTP ${status}`;
  const issues = (problem?.errors || []).map((issue) => {
    const where = (issue.location || []).filter((part) => !["body", "query", "path"].includes(part));
    const message = String(issue.message || "").replace(/^Value error, /, "");
    return where.length ? `${where.join(".")}: ${message}` : message;
  }).filter(Boolean);
  return issues.length ? `${detail}: ${issues.join("; ")}` : detail;
}

export const session = {
  get key() { return sessionStorage.getItem(KEY_NAME); },
  set key(value) {
    if (value) sessionStorage.setItem(KEY_NAME, value);
    else sessionStorage.removeItem(KEY_NAME);
  },
  caller: null, // GET /v1/me: {name, role, can_write, can_admin}
};

function url(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== "") query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

async function request(method, path, { params, body, raw } = {}) {
  const headers = { Authorization: `Bearer ${session.key}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url(path, params), {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

export const api = {
  get: (path, params) => request("GET", path, { params }),
  post: (path, body, params) => request("POST", path, { body, params }),
  del: (path) => request("DELETE", path),
  raw: (path, params) => request("GET", path, { params, raw: true }),
};

export function canWrite() { return Boolean(session.caller?.can_write); }
