import { z } from 'zod';
import { textLike } from './shared/text-like.js';

export const longText = textLike({
  id: 'long_text',
  options: z.object({ rich: z.boolean().optional() }).strict(),
  maxLength: 1_000_000,
});
