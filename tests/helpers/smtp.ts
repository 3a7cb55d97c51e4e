import type { Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** MAIL FROM and RCPT TO as the server got them. */
  envelope: { from: string; to: string[] };
  /** The user that signed in, when the server asks for auth. */
  user: string | undefined;
  mail: ParsedMail;
}

/**
 * What the server does with the next messages: takes them; answers 451 (try later) or 550 (rejected) after reading
 * them; or reads one and hangs up without answering (the client cannot tell whether it was taken: it was).
 */
export type SmtpMode = 'accept' | 'temporary' | 'permanent' | 'hangup';

export interface TestSmtpServer {
  /** smtp://[user:pass@]127.0.0.1:<port> */
  url: string;
  port: number;
  mode: SmtpMode;
  /** Every message read to its end, in order (those refused with 451 or 550 not included). */
  received: ReceivedMail[];
  /** Stops listening: connections to the port are refused. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Waits until `count` messages have arrived; answers them. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server, by nodemailer's author) on 127.0.0.1, a random port, plain text, optional auth. */
export async function startSmtpServer(options: { auth?: { user: string; pass: string } } = {}): Promise<TestSmtpServer> {
  const { auth } = options;
  const received: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  let server: SMTPServer | undefined;
  let port = 0;

  const state: TestSmtpServer = {
    url: '',
    port: 0,
    mode: 'accept',
    received,
    async down() {
      const closing = server;
      server = undefined;
      if (!closing) return;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    async up() {
      server = create();
      const listening = server;
      await new Promise<void>((resolve, reject) => {
        listening.server.once('error', reject);
        listening.listen(port, '127.0.0.1', () => resolve());
      });
      port = (listening.server.address() as { port: number }).port;
    },
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`${received.length} of ${count} mails arrived in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return received;
    },
    close: () => state.down(),
  };

  function create(): SMTPServer {
    const smtp = new SMTPServer({
      logger: false,
      // Plain text on loopback: no STARTTLS (its built-in certificate is self-signed), auth allowed without TLS.
      disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      allowInsecureAuth: true,
      authOptional: !auth,
      closeTimeout: 500,
      onAuth(login, _session, callback) {
        if (login.username === auth?.user && login.password === auth?.pass) callback(null, { user: login.username });
        else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const mode = state.mode;
          if (mode === 'temporary') return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          if (mode === 'permanent') return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          const user = session.user as string | undefined;
          void simpleParser(Buffer.concat(chunks)).then((mail) => {
            received.push({ envelope, user, mail });
            if (mode === 'hangup') for (const socket of sockets) socket.destroy();
            else callback(null, 'Queued');
          });
        });
      },
    });
    smtp.server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return smtp;
  }

  await state.up();
  state.port = port;
  state.url = `smtp://${auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : ''}127.0.0.1:${port}`;
  return state;
}
