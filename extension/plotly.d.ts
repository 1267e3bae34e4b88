/** The part of plotly.js the renderer uses (the dist-min bundle ships no typings of its own). */
declare module 'plotly.js-dist-min' {
  const Plotly: {
    react(root: HTMLElement, data: unknown[], layout: unknown, config?: unknown): Promise<HTMLElement>;
    purge(root: HTMLElement): void;
    Plots: { resize(root: HTMLElement): void };
  };
  export default Plotly;
}
