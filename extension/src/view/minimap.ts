/**
 * The overview of a graph too large to show whole at a readable size: every
 * box as a speck, the part in view as a frame; pressing or dragging on it
 * brings that part into view. Drawn on a canvas, so a thousand nodes cost one
 * cheap redraw when the view moves.
 */
import type { Layout } from '../layout/types';
import { extent } from './geometry';

const MAX_W = 120;
const MAX_H = 90;
const PAD = 4;

export class Minimap {
  readonly node: HTMLCanvasElement;
  private layout: Layout | undefined;
  private widthOf: (name: string) => number = () => 0;
  private box = { x0: 0, y0: 0, x1: 1, y1: 1 };
  private scale = 1;
  private viewport: { x0: number; y0: number; x1: number; y1: number } | undefined;
  private frame = 0;

  /** `moveTo` centres the main view on a point of the layout. */
  constructor(private readonly moveTo: (x: number, y: number) => void) {
    this.node = document.createElement('canvas');
    this.node.className = 'jp-DagcellsMinimap';
    this.node.setAttribute('aria-hidden', 'true');
    this.node.setAttribute('data-dagcells-minimap', '');
    this.node.title = 'Overview: press or drag to move around the graph';
    this.node.hidden = true;
    const follow = (event: PointerEvent) => {
      const rect = this.node.getBoundingClientRect();
      this.moveTo(
        this.box.x0 + (event.clientX - rect.left - PAD) / this.scale,
        this.box.y0 + (event.clientY - rect.top - PAD) / this.scale
      );
    };
    this.node.addEventListener('pointerdown', event => {
      event.stopPropagation();
      event.preventDefault();
      this.node.setPointerCapture?.(event.pointerId);
      follow(event);
      const move = (e: PointerEvent) => follow(e);
      const up = () => {
        this.node.removeEventListener('pointermove', move);
        this.node.removeEventListener('pointerup', up);
      };
      this.node.addEventListener('pointermove', move);
      this.node.addEventListener('pointerup', up);
    });
  }

  get visible(): boolean {
    return !this.node.hidden;
  }

  set visible(value: boolean) {
    this.node.hidden = !value;
    if (value) {
      this.schedule();
    }
  }

  /** The graph to show. */
  setLayout(layout: Layout, widthOf: (name: string) => number): void {
    this.layout = layout;
    this.widthOf = widthOf;
    this.box = extent(layout.positions, widthOf, layout.nodeHeight);
    const w = Math.max(1, this.box.x1 - this.box.x0);
    const h = Math.max(1, this.box.y1 - this.box.y0);
    this.scale = Math.min((MAX_W - 2 * PAD) / w, (MAX_H - 2 * PAD) / h);
    const width = Math.round(w * this.scale + 2 * PAD);
    const height = Math.round(h * this.scale + 2 * PAD);
    // Setting a canvas's size clears and reallocates it: only when it changed.
    if (this.node.width !== width || this.node.height !== height) {
      this.node.width = width;
      this.node.height = height;
    }
    this.schedule();
  }

  /** The part of the layout in view. */
  setViewport(viewport: { x0: number; y0: number; x1: number; y1: number }): void {
    this.viewport = viewport;
    this.schedule();
  }

  private schedule(): void {
    if (!this.frame && this.visible) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
      });
    }
  }

  private draw(): void {
    const context = this.node.getContext('2d');
    const layout = this.layout;
    if (!context || !layout) {
      return;
    }
    const style = getComputedStyle(this.node);
    const ink = style.getPropertyValue('--jp-ui-font-color2').trim() || '#888';
    const frame = style.getPropertyValue('--jp-brand-color1').trim() || '#1976d2';
    context.clearRect(0, 0, this.node.width, this.node.height);
    context.fillStyle = ink;
    const h = Math.max(1, layout.nodeHeight * this.scale);
    for (const [name, p] of Object.entries(layout.positions)) {
      const w = Math.max(1, this.widthOf(name) * this.scale);
      context.fillRect(PAD + (p.x - this.box.x0) * this.scale - w / 2, PAD + (p.y - this.box.y0) * this.scale - h / 2, w, h);
    }
    if (this.viewport) {
      const v = this.viewport;
      context.strokeStyle = frame;
      context.lineWidth = 2;
      context.strokeRect(
        PAD + (v.x0 - this.box.x0) * this.scale,
        PAD + (v.y0 - this.box.y0) * this.scale,
        (v.x1 - v.x0) * this.scale,
        (v.y1 - v.y0) * this.scale
      );
    }
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
  }
}
