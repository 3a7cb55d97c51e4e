import { z } from 'zod';
import { textLike } from './shared/text-like.js';

export const text = textLike({ id: 'text', options: z.object({}).strict(), maxLength: 10_000 });
