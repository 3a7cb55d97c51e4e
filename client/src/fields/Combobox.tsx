import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { placePopup, type PopupPlace } from './popup-position.js';

export interface Choice {
  key: string;
  label: string;
}

interface Props {
  /** The input's id (a form's label points at it). */
  id?: string | undefined;
  label: string;
  placeholder?: string | undefined;
  invalid?: boolean | undefined;
  autoFocus?: boolean | undefined;
  /** What the input shows. */
  text: string;
  onText(text: string): void;
  choices: readonly Choice[];
  /** Shown in the open list when there is nothing to choose (null: the list stays closed). */
  emptyText: string | null;
  /** The list opens as the input is focused, offering everything (people), rather than once something is typed. */
  openOnFocus?: boolean | undefined;
  onPick(choice: Choice): void;
  onClose?: (() => void) | undefined;
  inputRef?: RefObject<HTMLInputElement | null> | undefined;
}

const LIST_HEIGHT = 240;

/**
 * A text input offering choices in a list under it (or above it near the screen's bottom), drawn in a layer of its own
 * so that no scrolling container (the grid) clips it and no later row covers it. The focus stays in the input:
 * typing filters, ArrowUp/ArrowDown move, Enter picks, Escape closes the list without a change (a second Escape is
 * left to the editor around it). Clicks on the list do not take the focus, so the editor around is not left.
 */
export function Combobox({ id, label, placeholder, invalid, autoFocus, text, onText, choices, emptyText, openOnFocus, onPick, onClose, inputRef }: Props) {
  const listId = useId();
  const ownRef = useRef<HTMLInputElement>(null);
  const input = inputRef ?? ownRef;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  useEffect(() => setActive(0), [choices]);
  const shown = open && (choices.length > 0 || emptyText !== null);
  const close = () => {
    setOpen(false);
    onClose?.();
  };
  const pick = (choice: Choice) => {
    setOpen(false);
    onPick(choice);
  };
  const keys = (e: KeyboardEvent<HTMLInputElement>) => {
    const own = () => {
      e.preventDefault();
      e.stopPropagation();
    };
    if (e.key === 'ArrowDown') {
      own();
      if (!open) setOpen(true);
      else setActive((a) => Math.min(choices.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      own();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter' && shown && choices[active]) {
      own();
      pick(choices[active]);
    } else if (e.key === 'Escape' && shown) {
      own();
      close();
    } else if (e.key === 'Tab') setOpen(false);
  };
  return (
    <>
      <input
        ref={input}
        id={id}
        className="input"
        role="combobox"
        aria-label={label}
        aria-expanded={shown}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown && choices[active] ? `${listId}-${active}` : undefined}
        aria-invalid={invalid || undefined}
        autoFocus={autoFocus}
        autoComplete="off"
        placeholder={placeholder ?? label}
        value={text}
        onChange={(e) => {
          onText(e.target.value);
          setOpen(e.target.value !== '' || !!openOnFocus);
        }}
        onFocus={() => openOnFocus && setOpen(true)}
        onClick={() => setOpen(true)}
        onKeyDown={keys}
        onBlur={() => open && close()}
      />
      {shown && (
        <PopupList anchor={input} id={listId}>
          {choices.map((c, i) => (
            <li
              key={c.key}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(c)}
            >
              {c.label}
            </li>
          ))}
          {choices.length === 0 && emptyText !== null && <li className="hint">{emptyText}</li>}
        </PopupList>
      )}
    </>
  );
}

/**
 * The list, in the page's top layer (the dialog it is in, or the body), placed from its anchor's box on screen and
 * placed again as anything scrolls or the window is resized.
 */
function PopupList({ anchor, id, children }: { anchor: RefObject<HTMLInputElement | null>; id: string; children: React.ReactNode }) {
  const list = useRef<HTMLUListElement>(null);
  const [place, setPlace] = useState<PopupPlace | null>(null);
  const host = anchor.current?.closest<HTMLElement>('[role=dialog]') ?? document.body;
  useLayoutEffect(() => {
    const update = () => {
      const input = anchor.current?.getBoundingClientRect();
      if (!input) return;
      // In a grid, the list belongs to the whole cell (and to the editor where it grows out of the cell).
      const cell = anchor.current?.closest('[role=gridcell]')?.getBoundingClientRect() ?? input;
      const top = Math.min(cell.top, input.top);
      const left = Math.min(cell.left, input.left);
      const a = { top, left, width: Math.max(cell.right, input.right) - left, height: Math.max(cell.bottom, input.bottom) - top };
      const wanted = Math.min(LIST_HEIGHT, list.current?.scrollHeight ?? LIST_HEIGHT);
      setPlace(placePopup(a, { width: window.innerWidth, height: window.innerHeight }, { height: wanted, minWidth: 200 }));
    };
    update();
    window.addEventListener('scroll', update, true);
    window.addEventListener('resize', update);
    return () => {
      window.removeEventListener('scroll', update, true);
      window.removeEventListener('resize', update);
    };
  }, [anchor, children]);
  // A dialog that is transformed places fixed boxes relative to itself: the list is moved by what it is off.
  const [shift, setShift] = useState({ x: 0, y: 0 });
  useLayoutEffect(() => {
    const box = list.current?.getBoundingClientRect();
    if (!box || !place) return;
    const dx = place.left - box.left;
    const dy = place.top - box.top;
    if (Math.abs(dx) > 0.5 || Math.abs(dy) > 0.5) setShift((s) => ({ x: s.x + dx, y: s.y + dy }));
  }, [place]);
  return createPortal(
    <ul
      ref={list}
      id={id}
      role="listbox"
      className="link-results popup-list"
      style={place ? { top: place.top + shift.y, left: place.left + shift.x, width: place.width, maxHeight: place.maxHeight } : { visibility: 'hidden', top: 0, left: 0 }}
    >
      {children}
    </ul>,
    host,
  );
}
