import { UrlInput } from '../fields/controls.js';
import { always, asText } from './shared.js';
import type { CellProps, ClientFieldType } from './types.js';

/** A link that opens the address (one typed without a scheme is taken as https). */
function UrlCell({ value }: CellProps) {
  const href = /^https?:\/\//i.test(String(value)) ? String(value) : `https://${String(value)}`;
  return (
    <a href={href} target="_blank" rel="noreferrer">
      {String(value)}
    </a>
  );
}

export const url: ClientFieldType = {
  id: 'url',
  nameKey: 'designer.type.url',
  valueKind: 'text',
  readOnly: false,
  defaultable: true,
  control: UrlInput,
  format: asText,
  cell: UrlCell,
  sample: always('https://example.com'),
};
