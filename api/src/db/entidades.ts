import { Auditoria } from '../auditoria/auditoria.entity.js';
import { ConhecimentoConta, VerificacaoConhecimento } from '../conhecimento/conhecimento.entity.js';
import { Conta } from '../contas/conta.entity.js';
import { Evidencia } from '../contas/evidencia.entity.js';
import { EventoKeycloak } from '../eventos-keycloak/evento-keycloak.entity.js';
import { Pessoa } from '../pessoas/pessoa.entity.js';
import { PessoaJuridica } from '../pessoas/pessoa-juridica.entity.js';
import { Revisao } from '../entrada-unica/revisao.entity.js';
import { ValorCampo } from '../entrada-unica/valor-campo.entity.js';

/** Every TypeORM entity, listed explicitly (no glob). */
export const ENTIDADES = [Pessoa, Conta, Evidencia, EventoKeycloak, Auditoria, PessoaJuridica, ValorCampo, Revisao, VerificacaoConhecimento, ConhecimentoConta];
