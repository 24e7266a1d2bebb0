/**
 * The tests' SMTP sink: Keycloak of this test slot sends its e-mails to 127.0.0.1:KC_TEST.smtpPort
 * (LUM_SMTP_HOST/LUM_SMTP_PORT of keycloakEnv()); this catches them, parsed with mailparser.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { iniciarSmtpSink, type SmtpSink } from '../../scripts/support/mail-sink.js';
import { KC_TEST } from './keycloak.js';

export interface EmailRecebido {
  para: string[];
  mensagem: ParsedMail;
}

export class CaixaDeEntrada {
  readonly recebidos: EmailRecebido[] = [];
  private esperando: (() => void)[] = [];

  constructor(private readonly sink: SmtpSink) {}

  receber(e: EmailRecebido): void {
    this.recebidos.push(e);
    for (const acordar of this.esperando.splice(0)) acordar();
  }

  /** The first message (received before or after the call) sent to `destinatario`; fails after `timeoutMs`. */
  async esperarPara(destinatario: string, timeoutMs = 20_000): Promise<EmailRecebido> {
    const limite = Date.now() + timeoutMs;
    for (;;) {
      const achado = this.recebidos.find((e) => e.para.some((p) => p.toLowerCase() === destinatario.toLowerCase()));
      if (achado) return achado;
      const resta = limite - Date.now();
      if (resta <= 0) {
        throw new Error(`no e-mail to ${destinatario} within ${timeoutMs} ms (received: ${this.recebidos.map((e) => e.para.join(',')).join('; ') || 'none'})`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, resta);
        this.esperando.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  parar(): Promise<void> {
    return this.sink.parar();
  }
}

export async function abrirCaixaDeEntrada(porta: number = KC_TEST.smtpPort): Promise<CaixaDeEntrada> {
  // eslint-disable-next-line prefer-const -- the callback below reads it before the one assignment (mail arriving while the sink starts waits in `pendentes`); a const would still be in its temporal dead zone there
  let caixa: CaixaDeEntrada | undefined;
  const pendentes: EmailRecebido[] = [];
  const sink = await iniciarSmtpSink({
    porta,
    aoReceber: async (m) => {
      const e = { para: m.para, mensagem: await simpleParser(m.bruta) };
      if (caixa) caixa.receber(e);
      else pendentes.push(e);
    },
  });
  caixa = new CaixaDeEntrada(sink);
  for (const e of pendentes) caixa.receber(e);
  return caixa;
}
