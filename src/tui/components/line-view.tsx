// One screen line: its segments as ink Text, coloured by the theme.
import { Text } from 'ink';
import { memo } from 'react';
import type { Line } from '../state/cells.js';
import type { Theme } from '../theme.js';

export interface LineViewProps {
  readonly line: Line;
  readonly theme: Theme;
}

function sameLine(a: LineViewProps, b: LineViewProps): boolean {
  if (a.theme !== b.theme || a.line.length !== b.line.length) return false;
  return a.line.every((s, i) => {
    const t = b.line[i];
    return t !== undefined && s.text === t.text && s.tone === t.tone && s.inverse === t.inverse && s.bold === t.bold;
  });
}

export const LineView = memo(function LineView({ line, theme }: LineViewProps) {
  return (
    <Text wrap="truncate">
      {line.map((s, i) => {
        const color = theme.color(s.tone);
        return (
          <Text key={i} {...(color !== undefined ? { color } : {})} inverse={s.inverse === true} bold={s.bold === true}>
            {s.text}
          </Text>
        );
      })}
    </Text>
  );
}, sameLine);
