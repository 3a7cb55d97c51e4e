/** The API's shapes, as ../shared/API.md and README describe them. */
export interface User {
  id: string;
  name: string;
  email: string;
}

export interface Me {
  user: User;
  workspaces: { id: string; name: string; role: 'owner' | 'admin' | 'editor' | 'viewer' }[];
}

export interface Choice {
  id: string;
  name: string;
  color: string;
}

export interface Field {
  id: string;
  name: string;
  type: string;
  options: Record<string, unknown>;
  required: boolean;
  unique: boolean;
  description: string;
  defaultValue: unknown;
  result?: { type: string; options: Record<string, unknown>; list?: boolean };
  error?: string;
}

export interface Sheet {
  id: string;
  name: string;
  primaryFieldId: string | null;
  fields: Field[];
}

export interface RecordJson {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  fields: Record<string, unknown>;
}

export interface Page {
  records: RecordJson[];
  nextCursor: string | null;
  total?: number;
}

export interface ViewConfig {
  filter?: unknown;
  sort?: string;
  search?: string;
  hiddenFields?: string[];
  fieldOrder?: string[];
  fieldWidths?: Record<string, number>;
  rowHeight?: 'short' | 'medium' | 'tall' | 'extra';
  groupBy?: string;
  cardFields?: string[];
  sumField?: string;
}

export interface View {
  id: string;
  name: string;
  type: 'grid' | 'kanban';
  config: ViewConfig;
  version: number;
}

export interface HistoryItem {
  at: string;
  by: User | null;
  action: 'create' | 'update' | 'delete' | 'restore';
  changes: Record<string, { from: unknown; to: unknown }>;
}

export interface LinkRef {
  id: string;
  title: string;
}

export interface Member extends User {
  role: string;
}
