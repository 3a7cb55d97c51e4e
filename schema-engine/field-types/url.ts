import { z } from 'zod';
import { textLike } from './shared/text-like.js';

// Like Airtable, "example.com/page" is accepted as well as a full http(s) URL.
const URL_PATTERN = '^(https?://)?[^\\s/.]+(\\.[^\\s/.]+)+(:[0-9]+)?([/?#][^\\s]*)?$';

export const url = textLike({
  id: 'url',
  options: z.object({}).strict(),
  maxLength: 2048,
  schema: { pattern: URL_PATTERN },
  convertPattern: URL_PATTERN,
  trim: true,
  invalidMessage: 'must be a web address such as https://example.com',
});
