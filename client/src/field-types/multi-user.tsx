import { useState } from 'react';
import { useMembers } from '../api/queries.js';
import type { User } from '../api/types.js';
import { Combobox } from '../fields/Combobox.js';
import type { ControlProps } from '../fields/controls.js';
import { memberNamed } from '../fields/cell-text.js';
import { splitList } from '../../../schema-engine/imports/values.js';
import { useI18n } from '../i18n/i18n.js';
import type { CellProps, ClientFieldType } from './types.js';

const usersOf = (value: unknown): User[] => (Array.isArray(value) ? (value as User[]).filter((u) => u && typeof u === 'object') : []);

/** Several members: chips of the chosen (each removable), and a search that adds one more. */
function MultiUserPicker(p: ControlProps) {
  const { t } = useI18n();
  const members = useMembers(p.workspaceId).data ?? [];
  const chosen = usersOf(p.value);
  const [typed, setTyped] = useState('');
  const query = typed.trim().toLowerCase();
  const found = members.filter(
    (m) => m.active !== false && !chosen.some((c) => c.id === m.id) && (!query || m.name.toLowerCase().includes(query) || m.email.toLowerCase().includes(query)),
  );
  const set = (next: User[]) => p.onChange(next.length ? next : null);
  return (
    <span className="multi-user">
      {chosen.length > 0 && (
        <span className="chips">
          {chosen.map((u) => (
            <span key={u.id} className="chip chip-gray">
              {u.name}
              <button type="button" className="chip-remove" aria-label={t('user.remove', { name: u.name })} onClick={() => set(chosen.filter((c) => c.id !== u.id))}>
                ×
              </button>
            </span>
          ))}
        </span>
      )}
      <Combobox
        id={p.id}
        label={p.field.name}
        placeholder={p.placeholder ?? t('user.search')}
        invalid={p.invalid}
        autoFocus={p.autoFocus}
        text={typed}
        onText={setTyped}
        choices={found.map((m) => ({ key: m.id, label: `${m.name} (${m.email})` }))}
        emptyText={t('grid.empty')}
        openOnFocus
        onClose={() => setTyped('')}
        onPick={(c) => {
          setTyped('');
          const m = members.find((x) => x.id === c.key);
          if (m) set([...chosen, { id: m.id, name: m.name, email: m.email }]);
        }}
      />
    </span>
  );
}

function UsersCell({ value }: CellProps) {
  return (
    <span className="chips">
      {usersOf(Array.isArray(value) ? value.flat() : value).map((u, i) => (
        <span key={`${u.id}-${i}`} className="chip chip-gray">
          {u.name}
        </span>
      ))}
    </span>
  );
}

export const multiUser: ClientFieldType = {
  id: 'multi_user',
  nameKey: 'designer.type.multi_user',
  valueKind: 'users',
  readOnly: false,
  control: MultiUserPicker,
  format: (value) => (Array.isArray(value) ? usersOf(value).map((u) => u.name).join(', ') : value && typeof value === 'object' ? (value as User).name : ''),
  cell: UsersCell,
  toValueInput: (value) => (Array.isArray(value) ? value.map((u) => (u && typeof u === 'object' ? (u as User).id : u)) : value),
  // Names (one member has) or emails, comma-separated; every one must be a member.
  pasteText: (text, _field, context) => {
    const found = splitList(text).map((part) => memberNamed(context.members, part));
    return found.some((m) => !m) ? { problem: 'notUser' } : { value: [...new Set(found.map((m) => m!.id))] };
  },
  copyText: (value) => usersOf(value).map((u) => u.email).join(', '),
  sample: () => null,
};
