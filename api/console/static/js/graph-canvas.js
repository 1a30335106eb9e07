// A small Canvas 2D network renderer: positions come laid out from the server (in [-1, 1]²), so this
// only draws, pans (drag), zooms (wheel, buttons) and hit-tests clicks. Redraws only when something
// changed, at most once per animation frame. A view never holds more than ~1000 nodes (the API caps it).
export class GraphCanvas {
  constructor(container, { onClick } = {}) {
    this.container = container;
    this.canvas = document.createElement("canvas");
    this.canvas.setAttribute("data-testid", "map-canvas");
    container.append(this.canvas);
    this.context = this.canvas.getContext("2d");
    this.onClick = onClick;
    this.nodes = [];
    this.edges = [];
    this.scale = 1;
    this.tx = 0;
    this.ty = 0;
    this.pending = false;
    this.drawn = 0;
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.bindEvents();
    this.resize();
  }

  destroy() { this.resizeObserver.disconnect(); this.canvas.remove(); }

  setGraph({ nodes, edges }) {
    this.nodes = nodes;
    const byId = new Map(nodes.map((node) => [node.id, node]));
    const heaviest = Math.max(1e-12, ...edges.map((edge) => edge.weight));
    const buckets = [[], [], [], []];
    for (const edge of edges) {
      const a = byId.get(edge.source);
      const b = byId.get(edge.target);
      if (!a || !b) continue;
      const level = Math.min(3, Math.floor(Math.sqrt(edge.weight / heaviest) * 4));
      buckets[level].push([a, b]);
    }
    this.edgeBuckets = buckets;
    this.fit();
  }

  resize() {
    const ratio = window.devicePixelRatio || 1;
    const { width, height } = this.container.getBoundingClientRect();
    this.width = Math.max(1, width);
    this.height = Math.max(1, height);
    this.canvas.width = Math.round(this.width * ratio);
    this.canvas.height = Math.round(this.height * ratio);
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.fit();
  }

  fit() {
    const margin = 40;
    this.scale = Math.max(1, Math.min(this.width, this.height) / 2 - margin);
    this.tx = this.width / 2;
    this.ty = this.height / 2;
    this.request();
  }

  toScreen(node) { return [node.x * this.scale + this.tx, node.y * this.scale + this.ty]; }

  /** Page coordinates of a node's centre (used by the end-to-end tests and the bench). */
  screenPosition(id) {
    const node = this.nodes.find((candidate) => String(candidate.id) === String(id));
    if (!node) return null;
    const rect = this.canvas.getBoundingClientRect();
    const [x, y] = this.toScreen(node);
    return { x: rect.left + x, y: rect.top + y };
  }

  zoomBy(factor, cx = this.width / 2, cy = this.height / 2) {
    const next = Math.min(Math.max(this.scale * factor, 20), 200_000);
    const applied = next / this.scale;
    this.tx = cx - (cx - this.tx) * applied;
    this.ty = cy - (cy - this.ty) * applied;
    this.scale = next;
    this.request();
  }

  panBy(dx, dy) { this.tx += dx; this.ty += dy; this.request(); }

  request() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.draw(); });
  }

  draw() {
    const context = this.context;
    context.clearRect(0, 0, this.width, this.height);
    const widths = [0.6, 1.4, 2.6, 4.5];
    context.strokeStyle = "rgba(80, 90, 110, 0.28)";
    (this.edgeBuckets || []).forEach((bucket, level) => {
      if (!bucket.length) return;
      context.lineWidth = widths[level];
      context.beginPath();
      for (const [a, b] of bucket) {
        const [ax, ay] = this.toScreen(a);
        const [bx, by] = this.toScreen(b);
        context.moveTo(ax, ay);
        context.lineTo(bx, by);
      }
      context.stroke();
    });
    for (const node of this.nodes) {
      const [x, y] = this.toScreen(node);
      if (x < -50 || y < -50 || x > this.width + 50 || y > this.height + 50) continue;
      context.beginPath();
      context.arc(x, y, node.r, 0, Math.PI * 2);
      context.fillStyle = node.colour;
      context.fill();
      context.lineWidth = node.selected ? 3 : 1;
      context.strokeStyle = node.selected ? "#111" : "#fff";
      context.stroke();
    }
    context.font = "12px system-ui, sans-serif";
    context.textBaseline = "middle";
    for (const node of this.nodes) {
      if (!node.label) continue;
      const [x, y] = this.toScreen(node);
      context.lineWidth = 3;
      context.strokeStyle = "rgba(255,255,255,0.9)";
      context.strokeText(node.label, x + node.r + 3, y);
      context.fillStyle = "#1d2330";
      context.fillText(node.label, x + node.r + 3, y);
    }
    this.drawn += 1;
    this.canvas.dataset.frames = String(this.drawn);
  }

  nodeAt(x, y) {
    let best = null;
    let bestDistance = Infinity;
    for (const node of this.nodes) {
      const [nx, ny] = this.toScreen(node);
      const distance = Math.hypot(nx - x, ny - y);
      if (distance <= node.r + 4 && distance < bestDistance) { best = node; bestDistance = distance; }
    }
    return best;
  }

  bindEvents() {
    const canvas = this.canvas;
    let drag = null;
    canvas.addEventListener("wheel", (event) => {
      event.preventDefault();
      const rect = canvas.getBoundingClientRect();
      this.zoomBy(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
    }, { passive: false });
    canvas.addEventListener("pointerdown", (event) => {
      drag = { x: event.clientX, y: event.clientY, startX: event.clientX, startY: event.clientY };
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drag) return;
      this.panBy(event.clientX - drag.x, event.clientY - drag.y);
      drag.x = event.clientX;
      drag.y = event.clientY;
    });
    canvas.addEventListener("pointerup", (event) => {
      if (!drag) return;
      const moved = Math.hypot(event.clientX - drag.startX, event.clientY - drag.startY);
      drag = null;
      if (moved < 4 && this.onClick) {
        const rect = canvas.getBoundingClientRect();
        const node = this.nodeAt(event.clientX - rect.left, event.clientY - rect.top);
        if (node) {
          for (const other of this.nodes) other.selected = other === node;
          this.request();
          this.onClick(node);
        }
      }
    });
  }
}
