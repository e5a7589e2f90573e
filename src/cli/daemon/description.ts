// What a node tells the managers about itself (docker node inspect's Description).
import { arch, cpus, hostname as osHostname, totalmem } from 'node:os';
import type { NodeDescriptionReport } from '../../agent/dispatcher-session.js';

export const SHOAL_VERSION = '0.1.0';

/** Go's GOARCH-style names as Docker reports them (`uname -m` for x86). */
function platformArch(): string {
  const a = arch();
  return a === 'x64' ? 'x86_64' : a === 'arm64' ? 'aarch64' : a;
}

export function describeNode(hostname: string | undefined, engineVersion: string, engineLabels: Record<string, string> = {}): NodeDescriptionReport {
  return {
    Hostname: hostname ?? osHostname(),
    Platform: { Architecture: platformArch(), OS: process.platform },
    Resources: { NanoCPUs: cpus().length * 1e9, MemoryBytes: totalmem() },
    Engine: { EngineVersion: engineVersion, Labels: engineLabels },
  };
}
