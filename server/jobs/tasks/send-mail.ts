import { z } from 'zod';
import { deliverMail } from '../../mail/deliver.js';
import { defineTask } from '../task.js';

/** Sends one mail row by SMTP (server/mail/deliver.ts says what is guaranteed). */
export const sendMail = defineTask({
  payload: z.object({ mailId: z.string().min(1) }),
  run: ({ mailId }, { engine, mailer }, job) => deliverMail(engine.db, mailer, mailId, job),
});
