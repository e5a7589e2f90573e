// The store's tables and the indexes each keeps. Objects are plain data with
// Docker's PascalCase keys; the store only relies on ID and Version.
export const TABLES = ['nodes', 'services', 'tasks', 'networks', 'secrets', 'configs', 'clusters'] as const;
export type TableName = (typeof TABLES)[number];

export function isTableName(value: unknown): value is TableName {
  return typeof value === 'string' && (TABLES as readonly string[]).includes(value);
}

/** What every stored object has. Version.Index is the Raft index that last wrote it. */
export interface StoredObject {
  readonly ID: string;
  readonly Version: { readonly Index: number };
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
}

type IndexFn = (obj: StoredObject) => string | undefined;

interface TableDef {
  /** Secondary indexes: name -> key extractor (undefined = not indexed). */
  readonly indexes: Readonly<Record<string, IndexFn>>;
  /** Indexes whose keys must be unique within the table (e.g. a service's name). */
  readonly unique: readonly string[];
}

function field(obj: StoredObject, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const specName: IndexFn = (o) => str(field(o, 'Spec', 'Name'));

export const TABLE_DEFS: Readonly<Record<TableName, TableDef>> = {
  nodes: {
    indexes: { hostname: (o) => str(field(o, 'Description', 'Hostname')), name: specName },
    unique: [],
  },
  services: { indexes: { name: specName }, unique: ['name'] },
  tasks: {
    indexes: {
      service: (o) => str(field(o, 'ServiceID')),
      node: (o) => str(field(o, 'NodeID')),
      // A slot is (service, slot number) for replicated tasks and (service, node) for global ones.
      slot: (o) => {
        const service = str(field(o, 'ServiceID'));
        if (service === undefined) return undefined;
        const slot = field(o, 'Slot');
        if (typeof slot === 'number' && slot > 0) return `${service}/${slot}`;
        const node = str(field(o, 'NodeID'));
        return node === undefined ? undefined : `${service}/node:${node}`;
      },
    },
    unique: [],
  },
  networks: { indexes: { name: specName }, unique: ['name'] },
  secrets: { indexes: { name: specName }, unique: ['name'] },
  configs: { indexes: { name: specName }, unique: ['name'] },
  clusters: { indexes: { name: specName }, unique: ['name'] },
};
