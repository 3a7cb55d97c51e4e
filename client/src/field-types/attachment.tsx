import { Attachments } from '../fields/Attachments.js';
import type { CellProps, ClientFieldType } from './types.js';

/** Files as chips, each opening the file. */
function FilesCell({ value }: CellProps) {
  return (
    <span className="chips">
      {(value as { id: string; name: string; url: string }[]).map((f) => (
        <a key={f.id} className="chip" href={f.url} target="_blank" rel="noreferrer">
          📎 {f.name}
        </a>
      ))}
    </span>
  );
}

export const attachment: ClientFieldType = {
  id: 'attachment',
  nameKey: 'designer.type.attachment',
  valueKind: 'attachments',
  readOnly: false,
  control: Attachments,
  format: (value) => (Array.isArray(value) ? (value as { name: string }[]).map((f) => f.name).join(', ') : ''),
  cell: FilesCell,
  toValueInput: (value) => ((value as (string | { id: string })[] | null) ?? []).map((v) => (typeof v === 'string' ? v : v.id)),
  sample: () => null,
};
