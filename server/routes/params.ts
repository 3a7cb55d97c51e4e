import { z } from 'zod';

/** Path parameters of workspace routes; sheet and field accept an id or an exact name. */
export const wsParams = z.object({ ws: z.string() });
export const sheetParams = wsParams.extend({ sheet: z.string() });
export const fieldParams = sheetParams.extend({ field: z.string() });
export const recordParams = sheetParams.extend({ record: z.string() });

export const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');
