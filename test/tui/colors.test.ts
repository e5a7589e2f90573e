// Colour depth: decided by the console (NO_COLOR, TERM, COLORTERM,
// FORCE_COLOR), not by ink or CI; with no colour the screen still says
// every state in words and marks the selection with `>` and reverse video.
import test from 'ava';
import { detectColorMode, detectUnicode } from '../../src/tui/theme.js';
import { ConsoleHarness } from './harness/console-harness.js';
import { demoCluster, NOW } from './harness/fixtures.js';

test('the colour mode from the environment', (t) => {
  t.is(detectColorMode({ TERM: 'xterm-256color', NO_COLOR: '1' }), 'none');
  t.is(detectColorMode({ TERM: 'xterm-256color', NO_COLOR: '' }), '256', 'an empty NO_COLOR does not count');
  t.is(detectColorMode({ TERM: 'dumb' }), 'none');
  t.is(detectColorMode({ TERM: 'xterm' }), '16');
  t.is(detectColorMode({ TERM: 'xterm', COLORTERM: 'truecolor' }), '256');
  t.is(detectColorMode({ TERM: 'tmux-256color', FORCE_COLOR: '1' }), '16');
  t.is(detectColorMode({ TERM: 'xterm', FORCE_COLOR: '0' }), 'none');
  t.is(detectColorMode({ TERM: 'xterm', CI: 'true' }), '16', 'CI changes nothing');
  t.true(detectUnicode({ LANG: 'en_US.UTF-8' }));
  t.false(detectUnicode({ LANG: 'C' }));
  t.true(detectUnicode({ LANG: 'C', LC_ALL: 'C.utf8' }));
});

async function frame(color: 'none' | '16' | '256'): Promise<ConsoleHarness> {
  const h = await ConsoleHarness.start({ source: demoCluster().source(), nowMs: NOW, color });
  await h.waitFor((s) => s.includes('worker3') && s.includes('Leader'));
  return h;
}

// The first console in this process loads ink at 256 colours (chalk's depth is set once per process).
test.serial('256 colours, 16 colours, none', async (t) => {
  const h256 = await frame('256');
  t.teardown(() => h256.close());
  t.regex(h256.stdout.raw, /\x1b\[38;5;\d+m/, '256-colour codes');
  await h256.quit();
  const h16 = await frame('16');
  t.teardown(() => h16.close());
  t.regex(h16.stdout.raw, /\x1b\[(3[1-7]|9[0-7])m/, 'basic colour codes');
  t.notRegex(h16.stdout.raw, /\x1b\[38;5;/);
  await h16.quit();
  const none = await frame('none');
  t.teardown(() => none.close());
  t.is(none.term.colours, 0, 'NO_COLOR: no colour code at all');
  t.regex(none.screen(), /worker3\s+Down/, 'the state in words');
  t.regex(none.term.marked(2), /^\[> /, 'the selection as a > marker in reverse video');
  await none.quit();
});
