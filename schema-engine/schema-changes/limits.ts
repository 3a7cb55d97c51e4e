/** At most this many fields per sheet (PostgreSQL allows 1,600 columns; type changes keep old ones in the trash). */
export const MAX_FIELDS = 500;
