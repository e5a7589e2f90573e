// ink decides at import time whether it runs in CI (is-in-ci reads CI and
// CONTINUOUS_INTEGRATION) and then only prints the last frame on exit;
// chalk decides its colour depth at import time too (and turns colour off
// under CI). The console must behave the same in a real terminal whatever
// those variables say, so ink is imported only through `loadInk`, with the
// CI variables hidden and FORCE_COLOR set to the console's own choice, and
// the environment restored right after (child processes see it unchanged).
// Importing ink anywhere before this defeats it: the console's modules that
// import ink are only ever loaded through here. React is loaded in its
// production build (NODE_ENV, read when react loads) unless the caller
// chose otherwise: the development build's checks cost more than the rest
// of a frame.
import type { ColorMode } from './theme.js';
import { chalkLevel } from './theme.js';

const HIDDEN = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

export async function loadInk<T>(mode: ColorMode, load: () => Promise<T>): Promise<T> {
  const env = process.env;
  const saved = new Map<string, string | undefined>([...HIDDEN, 'FORCE_COLOR', 'NODE_ENV'].map((k) => [k, env[k]]));
  for (const k of HIDDEN) delete env[k];
  env['FORCE_COLOR'] = chalkLevel(mode);
  env['NODE_ENV'] ??= 'production';
  try {
    return await load();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
  }
}
