/**
 * The layout of the loops chart of report.html (SPEC §11, part 3): every
 * band is one returning stake (or the sum of a loop's stakes not drawn one by
 * one) and runs as one unbroken ribbon through four columns: the investor,
 * the investee it invested in, the company that paid the money back (only
 * when the route is indirect; a direct band passes through an invisible
 * lane), and the investor again, where the money came back as revenue.
 *
 * Widths are to scale (the sum of all bands is FLOW_HEIGHT pixels). Bands of
 * one loop lie side by side, so a loop reads as one bundle; nodes are ordered
 * by weight (investors) and by the weighted mean position of their bands
 * (the others), which keeps crossings few. Labels at the end are spread so
 * they never overlap, with a leader line where one had to move.
 *
 * Pure and deterministic: numbers in, coordinates (rounded to 1/100 px) out;
 * the renderer (html.ts) escapes the text. Our own code rather than
 * d3-sankey: d3-sankey lays out links between pairs of nodes, so a stake's
 * three hops would be three unrelated links, stacked in a different order at
 * every node; here one stake is one ribbon the eye can follow from the
 * investment to the revenue it came back as.
 */

export interface FlowBand {
  readonly investor: string;
  readonly investee: string;
  /** The company that paid the investor; null when the investee paid it (route direct). */
  readonly payer: string | null;
  /** Positive; used for the width only (never shown). */
  readonly weight: number;
  /** The text at the band's end; null for a loop's pale band of flows not drawn one by one. */
  readonly label: string | null;
}

export interface LaidNode {
  readonly column: number;
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly height: number;
}

export interface LaidRibbon {
  /** Index of the band in the input. */
  readonly band: number;
  readonly d: string;
  readonly width: number;
  /** Colour index: the investor's rank. */
  readonly colour: number;
}

export interface LaidLabel {
  readonly x: number;
  /** Baseline. */
  readonly y: number;
  readonly text: string;
  readonly anchor: 'start' | 'middle' | 'end';
  readonly kind: 'node' | 'flow' | 'column';
  /** A line from the band's end to a label that had to move. */
  readonly leader: readonly [number, number, number, number] | null;
}

export interface FlowLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly LaidNode[];
  readonly ribbons: readonly LaidRibbon[];
  readonly labels: readonly LaidLabel[];
  /** Investors in colour order. */
  readonly investors: readonly string[];
}

export const FLOW_HEIGHT = 480;
const WIDTH = 1000;
const NODE_WIDTH = 12;
const PAD = 24;
const TOP = 44;
const LEFT = 120;
const COLUMN_GAP = 180;
const LINE = 13;
const LABEL_GAP = 16;
export const COLUMN_TITLES = ['investor', 'investee', 'payer (indirect route)', 'back to the investor'] as const;

interface Node {
  readonly column: number;
  readonly name: string;
  readonly dummy: boolean;
  weight: number;
  /** Sum of weight × neighbour position, for the ordering. */
  pull: number;
  y: number;
  height: number;
  readonly bands: number[];
}

function round(x: number): number {
  const r = Math.round(x * 100) / 100;
  return r === 0 ? 0 : r;
}

function byName(a: Node, b: Node): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function layoutFlows(bands: readonly FlowBand[]): FlowLayout {
  const total = bands.reduce((s, b) => s + b.weight, 0);
  const columns: Map<string, Node>[] = [new Map(), new Map(), new Map(), new Map()];
  const nodeOf = (column: number, name: string, dummy: boolean): Node => {
    const map = columns[column] as Map<string, Node>;
    const key = dummy ? `\u0001${name}` : name;
    let node = map.get(key);
    if (node === undefined) map.set(key, (node = { column, name, dummy, weight: 0, pull: 0, y: 0, height: 0, bands: [] }));
    return node;
  };
  // path[b][c]: band b's node in column c.
  const path: Node[][] = bands.map((b, i) => {
    const nodes = [
      nodeOf(0, b.investor, false),
      nodeOf(1, b.investee, false),
      b.payer === null ? nodeOf(2, `${b.investee}\u0000${b.investor}`, true) : nodeOf(2, b.payer, false),
      nodeOf(3, b.investor, false),
    ];
    for (const n of nodes) {
      n.weight += b.weight;
      n.bands.push(i);
      n.height = (n.weight / total) * FLOW_HEIGHT;
    }
    return nodes;
  });

  const ordered: Node[][] = [[], [], [], []];
  // Investors by weight, heaviest first; the same order on the right.
  ordered[0] = [...(columns[0] as Map<string, Node>).values()].sort((a, b) => b.weight - a.weight || byName(a, b));
  ordered[3] = ordered[0].map((n) => (columns[3] as Map<string, Node>).get(n.name) as Node);
  const stack = (nodes: Node[]): void => {
    let y = 0;
    for (const n of nodes) {
      n.y = y;
      y += n.height + PAD;
    }
  };
  const centre = (n: Node): number => n.y + n.height / 2;
  const byPull = (nodes: Iterable<Node>): Node[] =>
    [...nodes].sort((a, b) => a.pull / a.weight - b.pull / b.weight || b.weight - a.weight || byName(a, b));
  stack(ordered[0]);
  stack(ordered[3]);
  bands.forEach((b, i) => {
    const p = path[i] as Node[];
    (p[1] as Node).pull += b.weight * centre(p[0] as Node);
  });
  ordered[1] = byPull((columns[1] as Map<string, Node>).values());
  stack(ordered[1]);
  bands.forEach((b, i) => {
    const p = path[i] as Node[];
    (p[2] as Node).pull += (b.weight * (centre(p[1] as Node) + centre(p[3] as Node))) / 2;
  });
  ordered[2] = byPull((columns[2] as Map<string, Node>).values());
  stack(ordered[2]);

  // Centre every column on the tallest.
  const heights = ordered.map((nodes) => nodes.reduce((s, n) => s + n.height, 0) + PAD * Math.max(0, nodes.length - 1));
  const tallest = Math.max(...heights);
  ordered.forEach((nodes, c) => {
    const shift = TOP + (tallest - (heights[c] as number)) / 2;
    for (const n of nodes) n.y += shift;
  });

  // Slots: where each band leaves (out) and enters (in) each node.
  const out: number[][] = bands.map(() => [0, 0, 0, 0]);
  const into: number[][] = bands.map(() => [0, 0, 0, 0]);
  const widthOf = (i: number): number => ((bands[i] as FlowBand).weight / total) * FLOW_HEIGHT;
  for (let c = 0; c < 4; c++) {
    for (const node of ordered[c] as Node[]) {
      if (c > 0) {
        const order = [...node.bands].sort((a, b) => (out[a] as number[])[c - 1]! - (out[b] as number[])[c - 1]! || a - b);
        let y = node.y;
        for (const i of order) {
          (into[i] as number[])[c] = y + widthOf(i) / 2;
          y += widthOf(i);
        }
      }
      if (c < 3) {
        const next = (i: number): number => ((path[i] as Node[])[c + 1] as Node).y;
        const here = (i: number): number => (c > 0 ? (into[i] as number[])[c]! : 0);
        const order = node.dummy
          ? [...node.bands].sort((a, b) => here(a) - here(b) || a - b)
          : [...node.bands].sort((a, b) => next(a) - next(b) || here(a) - here(b) || a - b);
        let y = node.y;
        for (const i of order) {
          (out[i] as number[])[c] = y + widthOf(i) / 2;
          y += widthOf(i);
        }
      }
    }
  }

  const xOf = (c: number): number => LEFT + c * COLUMN_GAP;
  const colour = new Map(ordered[0].map((n, k) => [n.name, k]));
  const ribbons: LaidRibbon[] = bands.map((b, i) => {
    const o = out[i] as number[];
    const n = into[i] as number[];
    // Pieces joined once: a flat string (tens of thousands of ribbons kept as trees of `+=` pieces took ~2 KB each).
    const d: (string | number)[] = ['M', round(xOf(0) + NODE_WIDTH), ' ', round(o[0] as number)];
    for (let c = 1; c < 4; c++) {
      const x0 = xOf(c - 1) + NODE_WIDTH;
      const x1 = xOf(c);
      const mid = (x0 + x1) / 2;
      d.push('C', round(mid), ' ', round(o[c - 1] as number), ' ', round(mid), ' ', round(n[c] as number), ' ', round(x1), ' ', round(n[c] as number));
      if (c < 3) d.push('L', round(x1 + NODE_WIDTH), ' ', round(o[c] as number));
    }
    return { band: i, d: d.join(''), width: round(widthOf(i)), colour: colour.get(b.investor) as number };
  });

  const nodes: LaidNode[] = [];
  const labels: LaidLabel[] = COLUMN_TITLES.map((text, c) => ({
    x: round(xOf(c) + NODE_WIDTH / 2),
    y: 14,
    text,
    anchor: c === 0 ? 'start' : c === 3 ? 'end' : 'middle',
    kind: 'column',
    leader: null,
  }));
  // Titles at the edges lean inwards so they stay inside the picture.
  labels[0] = { ...(labels[0] as LaidLabel), x: round(xOf(0) - 70) };
  labels[3] = { ...(labels[3] as LaidLabel), x: round(xOf(3) + NODE_WIDTH), anchor: 'middle' };
  ordered.forEach((column, c) => {
    for (const n of column) {
      if (n.dummy) continue;
      nodes.push({ column: c, name: n.name, x: round(xOf(c)), y: round(n.y), height: round(Math.max(n.height, 1)) });
      labels.push(
        c === 0
          ? { x: round(xOf(0) - 6), y: round(centre(n) + 4), text: n.name, anchor: 'end', kind: 'node', leader: null }
          : c === 3
            ? { x: round(xOf(c) + NODE_WIDTH), y: round(n.y - 5), text: n.name, anchor: 'end', kind: 'node', leader: null }
            : { x: round(xOf(c) + NODE_WIDTH / 2), y: round(n.y - 5), text: n.name, anchor: 'middle', kind: 'node', leader: null },
      );
    }
  });

  // Flow labels at the right, spread apart: overlapping labels form a cluster centred on their bands.
  const wanted = bands
    .map((b, i) => ({ i, text: b.label, at: (into[i] as number[])[3] as number }))
    .filter((l): l is { i: number; text: string; at: number } => l.text !== null)
    .sort((a, b) => a.at - b.at || a.i - b.i);
  const clusters: { first: number; count: number; sum: number; top: number }[] = [];
  const minTop = TOP - 4;
  wanted.forEach((l, k) => {
    let cluster = { first: k, count: 1, sum: l.at, top: Math.max(minTop, l.at) };
    for (;;) {
      const previous = clusters[clusters.length - 1];
      if (previous === undefined || previous.top + previous.count * LINE <= cluster.top) break;
      clusters.pop();
      const count = previous.count + cluster.count;
      const sum = previous.sum + cluster.sum;
      cluster = { first: previous.first, count, sum, top: Math.max(minTop, sum / count - ((count - 1) * LINE) / 2) };
    }
    clusters.push(cluster);
  });
  const labelX = xOf(3) + NODE_WIDTH + LABEL_GAP;
  let bottom = TOP + tallest;
  for (const cluster of clusters) {
    for (let j = 0; j < cluster.count; j++) {
      const l = wanted[cluster.first + j] as { i: number; text: string; at: number };
      const at = cluster.top + j * LINE;
      const moved = Math.abs(at - l.at) > 0.5;
      labels.push({
        x: round(labelX),
        y: round(at + 4),
        text: l.text,
        anchor: 'start',
        kind: 'flow',
        leader: moved ? [round(xOf(3) + NODE_WIDTH + 1), round(l.at), round(labelX - 2), round(at)] : null,
      });
      bottom = Math.max(bottom, at + LINE);
    }
  }
  return { width: WIDTH, height: Math.ceil(bottom + 12), nodes, ribbons, labels, investors: ordered[0].map((n) => n.name) };
}
