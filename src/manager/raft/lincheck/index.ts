// shoal's linearizability checker: Wing & Gong's search with Lowe's cache, as
// in Porcupine, for client histories of the Raft simulator, real clusters and
// the Jepsen / Porcupine reference histories.
export type { ClientId, CompletedOperation, History, Operation, PendingOperation } from './operation.js';
export { isPending, precedes } from './operation.js';
export type { Illegal, Model } from './model.js';
export { ILLEGAL } from './model.js';
export type { BudgetLimits, ExhaustedReason } from './budget.js';
export type { CheckOptions, CheckResult, CheckStats, Failure, PartitionLinearization, Verdict } from './check.js';
export { checkHistory } from './check.js';
export type { ExplainOptions } from './explain.js';
export { describeOperation, explainFailure, explainResult } from './explain.js';
export type { RegisterInput, RegisterOutput, RegisterValue } from './register-model.js';
export { registerModel } from './register-model.js';
export type { AppendKvInput, AppendKvOutput } from './append-kv-model.js';
export { appendKvModel } from './append-kv-model.js';
export type { KvInput, KvOutput } from './kv-model.js';
export { kvModel } from './kv-model.js';
export type { KvState } from './kv-state.js';
export type { ParseResult } from './parse-result.js';
export type { RegisterHistory } from './parse-jepsen-etcd.js';
export { parseJepsenEtcdLog } from './parse-jepsen-etcd.js';
export type { AppendKvHistory } from './parse-kv-edn.js';
export { parseKvEdn } from './parse-kv-edn.js';
export type { KvHistory } from './kv-json-lines.js';
export { formatKvJsonLines, parseKvJsonLines } from './kv-json-lines.js';
export type { HistoryFormat, TextCheck } from './check-text.js';
export { checkText, detectFormat } from './check-text.js';
