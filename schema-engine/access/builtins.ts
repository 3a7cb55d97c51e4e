import type { BuiltInRole } from '../db.js';
import type { SheetAccess } from './model.js';

export const EVERYTHING: SheetAccess = { read: 'all', create: true, update: 'all', delete: 'all' };
export const READ_ONLY: SheetAccess = { read: 'all', create: false, update: 'none', delete: 'none' };
export const NOTHING: SheetAccess = { read: 'none', create: false, update: 'none', delete: 'none' };

export interface BuiltInDefinition {
  readonly key: BuiltInRole;
  readonly name: string;
  readonly design: boolean;
  readonly members: boolean;
  readonly otherSheets: SheetAccess;
}

/** Every workspace has these four, created with it; they cannot be changed or deleted. */
export const BUILT_IN_ROLES: readonly BuiltInDefinition[] = [
  { key: 'owner', name: 'owner', design: true, members: true, otherSheets: EVERYTHING },
  { key: 'admin', name: 'admin', design: true, members: true, otherSheets: EVERYTHING },
  { key: 'editor', name: 'editor', design: false, members: false, otherSheets: EVERYTHING },
  { key: 'viewer', name: 'viewer', design: false, members: false, otherSheets: READ_ONLY },
];
