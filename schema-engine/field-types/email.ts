import { z } from 'zod';
import { textLike } from './shared/text-like.js';

export const email = textLike({
  id: 'email',
  options: z.object({}).strict(),
  maxLength: 320,
  schema: { format: 'email' },
  convertPattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
  trim: true,
  invalidMessage: 'must be an email address such as name@example.com',
});
