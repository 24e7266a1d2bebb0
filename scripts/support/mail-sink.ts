/**
 * A local SMTP sink for development and tests: accepts every message on a loopback port (no TLS, no auth) and hands
 * it over raw. Nothing is relayed anywhere.
 *
 * As a program (for `npm start`): `node dist/scripts/support/mail-sink.js` listens on 127.0.0.1:$LUM_SMTP_PORT
 * (default 2525, the realm's default smtpServer port), stores each message as an .eml file under
 * $LUM_MAIL_DIR (default .run/mail/) and logs one line per message: time, recipients, subject, file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface MensagemRecebida {
  /** Envelope sender and recipients (what the SMTP client said, not the headers). */
  de: string;
  para: string[];
  /** The message as received (RFC 5322, with headers). */
  bruta: Buffer;
  recebidaEm: Date;
}

export interface SmtpSink {
  host: string;
  porta: number;
  parar(): Promise<void>;
}

export async function iniciarSmtpSink(opts: {
  porta: number;
  host?: string;
  aoReceber: (m: MensagemRecebida) => void | Promise<void>;
}): Promise<SmtpSink> {
  const host = opts.host ?? '127.0.0.1';
  const servidor = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    banner: 'Login Unico Municipal - caixa de correio local (nada e encaminhado)',
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      const partes: Buffer[] = [];
      stream.on('data', (c: Buffer) => partes.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        const env = session.envelope;
        const mensagem: MensagemRecebida = {
          de: env.mailFrom ? env.mailFrom.address : '',
          para: env.rcptTo.map((r) => r.address),
          bruta: Buffer.concat(partes),
          recebidaEm: new Date(),
        };
        Promise.resolve(opts.aoReceber(mensagem)).then(() => callback(), (err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    servidor.once('error', reject);
    servidor.listen(opts.porta, host, () => {
      servidor.off('error', reject);
      resolve();
    });
  });
  servidor.on('error', (err) => process.stderr.write(`[mail-sink] ${err.message}\n`));
  return {
    host,
    porta: opts.porta,
    parar: () => new Promise<void>((resolve) => servidor.close(() => resolve())),
  };
}

/** The program: store every message under `dir` as <time>-<n>.eml and log a line. */
async function main(): Promise<void> {
  const porta = Number(process.env.LUM_SMTP_PORT ?? '2525');
  const host = process.env.LUM_SMTP_HOST ?? '127.0.0.1';
  const dir = path.resolve(process.env.LUM_MAIL_DIR ?? '.run/mail');
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const sink = await iniciarSmtpSink({
    porta,
    host,
    aoReceber: async (m) => {
      n += 1;
      const arquivo = path.join(dir, `${m.recebidaEm.toISOString().replace(/[:.]/g, '-')}-${n}.eml`);
      writeFileSync(arquivo, m.bruta);
      const assunto = (await simpleParser(m.bruta)).subject ?? '(sem assunto)';
      process.stdout.write(`[mail-sink] ${m.recebidaEm.toISOString()} para ${m.para.join(', ')}: "${assunto}" → ${path.relative(process.cwd(), arquivo)}\n`);
    },
  });
  process.stdout.write(`[mail-sink] ouvindo em smtp://${sink.host}:${sink.porta}; mensagens em ${dir}\n`);
  const parar = () => void sink.parar().then(() => process.exit(0));
  process.once('SIGTERM', parar);
  process.once('SIGINT', parar);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`[mail-sink] ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
