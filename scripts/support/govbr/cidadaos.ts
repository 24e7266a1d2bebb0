/**
 * Demo citizens of the Gov.br simulator (development only). Every CPF has valid check digits and belongs to nobody
 * on purpose; two of them have a master record in the demo data (scripts/seed-demo.ts), one also a Keycloak account.
 */
interface SeloDoCidadao {
  readonly id: string;
  /** When Gov.br granted or last updated the seal (ISO-8601 with offset, as the id_token says). */
  readonly atualizadoEm: string;
}

export interface CidadaoGovbr {
  /** 11 digits: the `sub` and `preferred_username`. */
  readonly cpf: string;
  readonly senha: string;
  readonly nome: string;
  readonly nomeSocial?: string;
  /** Sent only when verified (`emailVerificado`), as Gov.br does. */
  readonly email?: string;
  readonly emailVerificado?: boolean;
  readonly telefone?: string;
  readonly telefoneVerificado?: boolean;
  readonly amr: readonly string[];
  readonly selos: readonly SeloDoCidadao[];
  /** Company logins (PJ certificate): `cnpj` and `cnpj_certificate_name` in the tokens. */
  readonly cnpj?: { readonly numero: string; readonly nome: string };
}

/** The dev password of every demo citizen; LUM_DEMO_GOVBR_PASSWORD overrides it. */
export const SENHA_DEMO_GOVBR = 'Govbr@2026';

export function cidadaosDemo(senha: string = SENHA_DEMO_GOVBR): CidadaoGovbr[] {
  return [
    {
      cpf: '24816326480', senha, nome: 'Pedro Henrique Souza', email: 'pedro.souza@exemplo.com.br', emailVerificado: true,
      telefone: '11912345678', telefoneVerificado: false, amr: ['passwd'],
      selos: [{ id: '201', atualizadoEm: '2024-02-01T10:00:00.000-0300' }],
    },
    {
      // prata, with a master record in the demo data → level 3
      cpf: '39053344705', senha, nome: 'José Carlos de Oliveira', email: 'jose.oliveira@exemplo.com.br', emailVerificado: true,
      telefone: '11987654321', telefoneVerificado: true, amr: ['passwd', 'mfa', 'otp'],
      selos: [{ id: '201', atualizadoEm: '2024-03-10T09:15:22.104-0300' }, { id: '401', atualizadoEm: '2025-11-02T18:40:05.871-0300' }],
    },
    {
      // prata, no master record → level 2
      cpf: '35711131796', senha, nome: 'Luana Martins Rocha', nomeSocial: 'Luana Rocha', email: 'luana.rocha@exemplo.com.br', emailVerificado: true,
      amr: ['bank', 'bank341'],
      selos: [{ id: '201', atualizadoEm: '2023-06-20T14:02:11.000-0300' }, { id: '610', atualizadoEm: '2025-01-15T08:30:00.000-0300' }],
    },
    {
      // ouro, with a master record → level 3 (the seals are recorded and shown; they count toward 4/5 only by policy)
      cpf: '15350946056', senha, nome: 'Francisca Lima Pereira', email: 'francisca.pereira@exemplo.com.br', emailVerificado: true,
      telefone: '11955554444', telefoneVerificado: true, amr: ['x509', 'x509_token'],
      selos: [
        { id: '201', atualizadoEm: '2022-08-01T11:00:00.000-0300' }, { id: '401', atualizadoEm: '2023-04-04T16:20:00.000-0300' },
        { id: '701', atualizadoEm: '2024-10-06T09:00:00.000-0300' }, { id: '801', atualizadoEm: '2025-07-21T13:45:00.000-0300' },
      ],
    },
    {
      // prata, same CPF as the demo citizen who registered in Keycloak: the first gov.br login offers to link the accounts
      cpf: '52998224725', senha, nome: 'Maria Aparecida dos Santos', email: 'maria.santos@exemplo.sp.gov.br', emailVerificado: true,
      amr: ['app', 'app_qrcode'],
      selos: [{ id: '201', atualizadoEm: '2024-01-05T10:10:10.000-0300' }, { id: '605', atualizadoEm: '2025-03-03T12:00:00.000-0300' }],
    },
    {
      // bronze, signed in with a company (PJ) certificate; e-mail not verified (not sent)
      cpf: '46123098713', senha, nome: 'Rafael Augusto Nogueira', email: 'rafael@exemplo.com.br', emailVerificado: false,
      amr: ['x509', 'x509_token'], cnpj: { numero: '11222333000181', nome: 'NOGUEIRA SERVICOS LTDA' },
      selos: [{ id: '201', atualizadoEm: '2024-05-05T09:00:00.000-0300' }],
    },
  ];
}
