/**
 * The pages open now that hold unsaved changes (a record form, the form designer, the document editor), and whether a
 * navigation would lose them. Pure: the provider in leave-guard.tsx asks it before the router, the back button or the
 * browser leaves the page.
 */
export interface GuardEntry {
  /** Holds changes that are not saved. */
  dirty: boolean;
  /** The user chose to leave (or the changes were just saved): no question until the changes are gone and back. */
  released: boolean;
  /** Paths the editor stays on (a query change, its own other address): going there loses nothing. */
  stays(path: string): boolean;
}

export class LeaveGuards {
  private readonly entries = new Set<GuardEntry>();

  /** Registers an editor; the answer unregisters it (when it unmounts). */
  add(entry: GuardEntry): () => void {
    this.entries.add(entry);
    return () => void this.entries.delete(entry);
  }

  /**
   * Whether going to `path` loses unsaved changes; with no path, whether the page itself going away does (a reload,
   * closing the tab, signing out).
   */
  blocks(path?: string): boolean {
    for (const entry of this.entries) if (entry.dirty && !entry.released && (path === undefined || !entry.stays(path))) return true;
    return false;
  }

  /** The user chose to leave: the editors open now no longer ask. */
  releaseAll(): void {
    for (const entry of this.entries) entry.released = true;
  }
}

/** The path part of an in-app address ("/w/1/s/2?view=3" → "/w/1/s/2"). */
export function pathOf(to: string): string {
  const end = to.search(/[?#]/);
  return end < 0 ? to : to.slice(0, end);
}

/**
 * History entries the app writes carry their position, so a back or forward step the user cancels can be undone by
 * the same distance (history.go), keeping the forward history as it was.
 */
const INDEX = 'crmHistoryIndex';

export function historyIndex(state: unknown): number | undefined {
  const value = state && typeof state === 'object' ? (state as Record<string, unknown>)[INDEX] : undefined;
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** The state with its position added (a state that is no object is kept under `value`). */
export function withHistoryIndex(state: unknown, index: number): Record<string, unknown> {
  const base = state === null || state === undefined ? {} : typeof state === 'object' && !Array.isArray(state) ? (state as Record<string, unknown>) : { value: state };
  return { ...base, [INDEX]: index };
}

/** How far a popstate moved (negative: back), when both ends are known. */
export function historyDelta(from: number, state: unknown): number | undefined {
  const to = historyIndex(state);
  return to === undefined ? undefined : to - from;
}
