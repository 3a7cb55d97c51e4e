import { z } from 'zod';
import { textLike } from './shared/text-like.js';

// Digits with the usual separators, an optional leading + and an extension: "+886 2 2345-6789 ext. 12".
const PHONE = '^\\+?[0-9 ().\\-/]{3,30}((ext\\.?|x|#) ?[0-9]{1,6})?$';

export const phone = textLike({
  id: 'phone',
  options: z.object({}).strict(),
  maxLength: 40,
  schema: { pattern: PHONE },
  convertPattern: PHONE,
  trim: true,
  invalidMessage: 'must be a phone number (digits, spaces, + - ( ) and an optional extension)',
});
