// What a key press produces besides a new state: effects for the IO edge
// (run an action against the manager, quit, hand the terminal to the
// dashboard), and the read-only view of the rows the handler needs.
import type { Action } from './actions.js';
import { confirmQuestion, pendingText } from './actions.js';
import type { IndexView } from './cluster-index.js';
import type { TableFrame, TextFrame, UiState } from './ui-state.js';

export type Effect = { readonly kind: 'action'; readonly action: Action } | { readonly kind: 'quit' } | { readonly kind: 'dashboard' };

export interface KeyContext {
  readonly index: IndexView;
  /** The ids of a table's rows as shown (sorted, filtered). */
  tableRows(frame: TableFrame): readonly string[];
  /** How many lines a text view has. */
  textLines(frame: TextFrame): number;
  /** Log lines received so far by the logs view (what pausing holds back from). */
  logCount(): number;
}

export interface KeyResult {
  readonly state: UiState;
  readonly effects: readonly Effect[];
}

export const none = (state: UiState): KeyResult => ({ state, effects: [] });

/** Run an action now. */
export function run(s: UiState, action: Action): KeyResult {
  return { state: { ...s, mode: { kind: 'normal' }, status: { tone: 'pending', text: pendingText(action) } }, effects: [{ kind: 'action', action }] };
}

/** Start an action: ask first when it is destructive (the safe answer selected). */
export function begin(s: UiState, action: Action): KeyResult {
  const question = confirmQuestion(action);
  if (question !== undefined) return none({ ...s, mode: { kind: 'confirm', action, question, choice: 'no' } });
  return run(s, action);
}
