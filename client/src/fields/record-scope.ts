import { createContext, useContext } from 'react';

/** The record a value is shown for (grid row, record page): what a button cell needs to press itself. */
export interface RecordScopeValue {
  ws: string;
  sheet: string;
  record: string;
  /** The caller may change the record (a button takes that right). */
  canUpdate: boolean;
}

export const RecordScope = createContext<RecordScopeValue | null>(null);

export const useRecordScope = () => useContext(RecordScope);
