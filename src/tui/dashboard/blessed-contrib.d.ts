// The part of blessed-contrib (no published types) the dashboard uses.
declare module 'blessed-contrib' {
  import type { Widgets } from 'blessed';

  interface LineSeries {
    title: string;
    x: string[];
    y: number[];
    style?: { line?: string };
  }

  interface LineWidget extends Widgets.BoxElement {
    setData(data: LineSeries[]): void;
  }

  interface BarWidget extends Widgets.BoxElement {
    setData(data: { titles: string[]; data: number[] }): void;
  }

  interface LogWidget extends Widgets.BoxElement {
    log(line: string): void;
  }

  type Factory<W> = (options: Record<string, unknown>) => W;

  interface Grid {
    set<W>(row: number, col: number, rowSpan: number, colSpan: number, factory: Factory<W>, options: Record<string, unknown>): W;
  }

  interface GridOptions {
    rows: number;
    cols: number;
    screen: Widgets.Screen;
    color?: string;
    hideBorder?: boolean;
  }

  const contrib: { grid: new (options: GridOptions) => Grid; line: Factory<LineWidget>; bar: Factory<BarWidget>; log: Factory<LogWidget> };
  export default contrib;
  export type { BarWidget, Grid, LineSeries, LineWidget, LogWidget };
}
