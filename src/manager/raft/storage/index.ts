// Durable (LMDB) and in-memory implementations of RaftStorage (types.ts).
export { LmdbRaftStorage } from './lmdb-raft-storage.js';
export type { LmdbRaftStorageOptions } from './lmdb-layout.js';
export { MemoryRaftStorage } from './memory-raft-storage.js';
export type { MemoryDurability, MemoryRaftStorageOptions } from './memory-raft-storage.js';
