// A designed form's limits, apart from the zod schemas so the designer in the browser shares them without zod.
export const MAX_COLUMNS = 4;
export const MAX_ELEMENTS = 500;
export const MAX_TABS = 20;
export const MAX_SECTIONS = 100;
