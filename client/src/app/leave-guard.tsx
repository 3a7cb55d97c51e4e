import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Router } from 'wouter';
import type { AroundNavHandler } from 'wouter';
import { ConfirmLeaveDialog } from './ConfirmLeaveDialog.js';
import { historyDelta, historyIndex, LeaveGuards, pathOf, withHistoryIndex, type GuardEntry } from './leave-guards.js';

interface LeaveContext {
  guards: LeaveGuards;
  /** Shows the app's question; answers whether the user chose to leave. */
  ask(): Promise<boolean>;
}

const Context = createContext<LeaveContext | null>(null);

/**
 * The popstate listener must run before the router's (which renders the page the step goes to): listeners on window
 * run in the order they were added, whatever their phase, and the router adds its own when it first renders. So
 * one is added here, as the app's modules load, and hands the event to the provider mounted now.
 */
let popStateHandler: ((event: PopStateEvent) => void) | null = null;
if (typeof window !== 'undefined') window.addEventListener('popstate', (event) => popStateHandler?.(event));

/**
 * One place that keeps unsaved changes from being lost when the user leaves the page: every in-app navigation (links
 * and navigate(), through the router's aroundNav), the browser's back and forward buttons (popstate, undone when the
 * user stays) and closing or reloading the tab (beforeunload, the browser's own prompt). Editors say they hold
 * changes with useLeaveGuard.
 */
export function LeaveGuardProvider({ children }: { children: ReactNode }) {
  const guards = useMemo(() => new LeaveGuards(), []);
  const [asking, setAsking] = useState(false);
  const answer = useRef<((leave: boolean) => void) | null>(null);
  /** This page's place in the session history, and the steps of our own the popstate listener lets pass. */
  const position = useRef(0);
  const expected = useRef<'restore' | 'leave' | null>(null);
  /** Where the page is, to return to after a back step through an entry without a position. */
  const here = useRef(location.href);

  const ask = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        // A second question (the back button pressed again) answers the first one "stay".
        answer.current?.(false);
        answer.current = (leave) => {
          answer.current = null;
          if (leave) guards.releaseAll();
          resolve(leave);
        };
        setAsking(true);
      }),
    [guards],
  );
  const reply = (leave: boolean) => {
    setAsking(false);
    answer.current?.(leave);
  };

  const aroundNav = useCallback<AroundNavHandler>(
    (navigate, to, options) => {
      const go = () => {
        const next = options?.replace ? position.current : position.current + 1;
        navigate(to, { ...options, state: withHistoryIndex(options?.state, next) });
        position.current = next;
      };
      if (!guards.blocks(pathOf(to))) return go();
      void ask().then((leave) => leave && go());
    },
    [guards, ask],
  );

  useEffect(() => {
    const known = historyIndex(history.state);
    if (known === undefined) history.replaceState(withHistoryIndex(history.state, position.current), '');
    else position.current = known;

    const onPopState = (event: PopStateEvent) => {
      if (expected.current === 'restore') {
        expected.current = null;
        event.stopImmediatePropagation();
        return;
      }
      const delta = historyDelta(position.current, event.state);
      if (expected.current === 'leave' || !guards.blocks(location.pathname)) {
        expected.current = null;
        position.current = historyIndex(event.state) ?? position.current + (delta ?? 0);
        return;
      }
      event.stopImmediatePropagation();
      // Back to the page being left: the same distance the other way, or (an entry we did not write) pushed anew.
      if (delta) {
        expected.current = 'restore';
        history.go(-delta);
      } else {
        history.pushState(withHistoryIndex(null, position.current + 1), '', here.current);
        position.current += 1;
      }
      void ask().then((leave) => {
        if (!leave) return;
        expected.current = 'leave';
        history.go(delta ?? -1);
      });
    };
    // The browser's own prompt: a page may not show its own while closing or reloading.
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!guards.blocks()) return;
      event.preventDefault();
      event.returnValue = '';
    };
    popStateHandler = onPopState;
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      popStateHandler = null;
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [guards, ask]);

  useEffect(() => {
    const track = () => {
      if (expected.current !== 'restore') here.current = location.href;
    };
    for (const type of ['pushState', 'replaceState', 'popstate']) window.addEventListener(type, track);
    return () => {
      for (const type of ['pushState', 'replaceState', 'popstate']) window.removeEventListener(type, track);
    };
  }, []);

  const value = useMemo(() => ({ guards, ask }), [guards, ask]);
  return (
    <Context.Provider value={value}>
      <Router aroundNav={aroundNav}>{children}</Router>
      {asking && <ConfirmLeaveDialog onStay={() => reply(false)} onLeave={() => reply(true)} />}
    </Context.Provider>
  );
}

function useLeaveContext(): LeaveContext {
  const value = useContext(Context);
  if (!value) throw new Error('useLeaveGuard outside LeaveGuardProvider');
  return value;
}

/**
 * Says that this editor holds unsaved changes while `dirty`: leaving it for another page asks first. `stays` names
 * other paths it stays on (by default only the one it was opened at; a query change never asks). `release()` lets the
 * next navigation through without asking (after a save that leaves the page, or a delete).
 */
export function useLeaveGuard(dirty: boolean, stays?: (path: string) => boolean): { release(): void } {
  const { guards } = useLeaveContext();
  const entry = useRef<GuardEntry | null>(null);
  const staysRef = useRef(stays);
  staysRef.current = stays;
  if (!entry.current) {
    const home = location.pathname;
    entry.current = { dirty, released: false, stays: (path) => path === home || staysRef.current?.(path) === true };
  }
  useLayoutEffect(() => {
    const current = entry.current!;
    current.dirty = dirty;
    // Once the changes are saved or undone, new ones are guarded again.
    if (!dirty) current.released = false;
  });
  useEffect(() => guards.add(entry.current!), [guards]);
  return useMemo(() => ({ release: () => void (entry.current!.released = true) }), []);
}

/** For actions that leave the page without a navigation (signing out): asks first when changes would be lost. */
export function useConfirmLeave(): () => Promise<boolean> {
  const { guards, ask } = useLeaveContext();
  return useCallback(async () => !guards.blocks() || (await ask()), [guards, ask]);
}

/** For a page whose record is gone (deleted): its editors' changes have nowhere to go, the next navigation asks nothing. */
export function useReleaseLeave(): () => void {
  const { guards } = useLeaveContext();
  return useCallback(() => guards.releaseAll(), [guards]);
}
