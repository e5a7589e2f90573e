// The pure Raft core: everything a driver, a transport or a simulator needs.
export { RaftNode } from './raft-node.js';
export type { RaftConfig } from './config.js';
export { validateConfig } from './config.js';
export type { Ready, ReadState, SoftState } from './ready.js';
export type { DropReason, Dropped, ProposeResult, ReadIndexResult, TransferResult } from './results.js';
export type { FollowerProgress, Status } from './status.js';
export type { RoleKind } from './roles.js';
export type { ProgressStateKind } from './progress.js';
export type { ConfChange, ConfChangeType } from './conf-change.js';
export { ConfChangeDecodeError, decodeConfChange, encodeConfChange } from './conf-change.js';
export type * from './messages.js';
export { MESSAGE_TYPES } from './messages.js';
