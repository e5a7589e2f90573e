// The console's root component: draws the controller's lines and passes
// keys and terminal size back to it. All decisions are in the controller
// and the pure core; this only connects them to ink.
//
// The frame fills the terminal exactly, so ink takes its fullscreen path:
// each frame is one synchronized write of clear-screen plus the lines
// (ink.js "isFullscreen"). ink 6.8's incrementalRendering would rewrite
// only changed lines, but for frames shorter than the terminal it moves
// the cursor one row too few and the screen drifts (seen in tmux), so the
// console does not use it.
import { Box, useInput, useStdout } from 'ink';
import { useEffect, useSyncExternalStore } from 'react';
import type { ConsoleController } from '../controller.js';
import { keysFromInk } from '../state/key.js';
import type { Theme } from '../theme.js';
import { LineView } from './line-view.js';

export interface ConsoleScreenProps {
  readonly controller: ConsoleController;
  readonly theme: Theme;
}

export function ConsoleScreen({ controller, theme }: ConsoleScreenProps) {
  useSyncExternalStore(controller.subscribe, controller.getVersion);
  const { stdout } = useStdout();
  useEffect(() => {
    const resized = (): void => controller.resize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [controller, stdout]);
  useInput((input, key) => {
    for (const k of keysFromInk(input, key)) controller.key(k);
  });
  const lines = controller.screen();
  return (
    <Box flexDirection="column" width={controller.state.size.columns} height={lines.length}>
      {lines.map((line, i) => (
        <LineView key={i} line={line} theme={theme} />
      ))}
    </Box>
  );
}
