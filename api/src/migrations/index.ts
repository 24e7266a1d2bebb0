/**
 * Every migration, in order. Listed explicitly (no glob) so the same list works under tsc output, jest and tsx.
 * Add new files at the end; never edit one that has shipped.
 */
import { CriaPessoa1763900000000 } from './1763900000000-CriaPessoa.js';
import { CriaConta1763900001000 } from './1763900001000-CriaConta.js';
import { CriaEvidencia1763900002000 } from './1763900002000-CriaEvidencia.js';
import { CriaEventoKeycloak1763900003000 } from './1763900003000-CriaEventoKeycloak.js';
import { CriaAuditoria1763900004000 } from './1763900004000-CriaAuditoria.js';
import { AuditoriaSomenteInsercao1763900005000 } from './1763900005000-AuditoriaSomenteInsercao.js';
import { AuditoriaEncadeada1763900006000 } from './1763900006000-AuditoriaEncadeada.js';
import { CriaCmbd1763909000000 } from './1763909000000-CriaCmbd.js';
import { AuditoriaSeloAssincrono1763910000000 } from './1763910000000-AuditoriaSeloAssincrono.js';
import { CadastroBaseCompleto1763912000000 } from './1763912000000-CadastroBaseCompleto.js';
import { CargaLote1764900000000 } from './1764900000000-CargaLote.js';
import { ChaveBuscaAscii1765000000000 } from './1765000000000-ChaveBuscaAscii.js';
import { VerificacaoConhecimento1765100000000 } from './1765100000000-VerificacaoConhecimento.js';
import { SincronizacaoConfiavel1765200000000 } from './1765200000000-SincronizacaoConfiavel.js';
import { EvidenciaCpfAfirmado1765300000000 } from './1765300000000-EvidenciaCpfAfirmado.js';
import { SaidaMotivoLastro1765350000000 } from './1765350000000-SaidaMotivoLastro.js';
import { SalaDeEspera1765400000000 } from './1765400000000-SalaDeEspera.js';
import { AcessosDoCidadao1765500000000 } from './1765500000000-AcessosDoCidadao.js';
import { HistoricoConsentimento1765500001000 } from './1765500001000-HistoricoConsentimento.js';
import { NotificacaoLida1765500002000 } from './1765500002000-NotificacaoLida.js';
import { AgendamentoDescomplica1765700000000 } from './1765700000000-AgendamentoDescomplica.js';
import { SaidaMotivoPerfil1765900000000 } from './1765900000000-SaidaMotivoPerfil.js';
import { CargaModeloVinculo1766000000000 } from './1766000000000-CargaModeloVinculo.js';
import { CargaChavesTratamentosAgnomes1766100000000 } from './1766100000000-CargaChavesTratamentosAgnomes.js';
import { CargaCpfDoResponsavel1766200000000 } from './1766200000000-CargaCpfDoResponsavel.js';
import { ConversasCidadao1765800000000 } from './1765800000000-ConversasCidadao.js';
import { AcessosComConversas1765800001000 } from './1765800001000-AcessosComConversas.js';

export const MIGRACOES = [
  CriaPessoa1763900000000,
  CriaConta1763900001000,
  CriaEvidencia1763900002000,
  CriaEventoKeycloak1763900003000,
  CriaAuditoria1763900004000,
  AuditoriaSomenteInsercao1763900005000,
  AuditoriaEncadeada1763900006000,
  CriaCmbd1763909000000,
  AuditoriaSeloAssincrono1763910000000,
  CadastroBaseCompleto1763912000000,
  CargaLote1764900000000,
  ChaveBuscaAscii1765000000000,
  VerificacaoConhecimento1765100000000,
  SincronizacaoConfiavel1765200000000,
  EvidenciaCpfAfirmado1765300000000,
  SaidaMotivoLastro1765350000000,
  SalaDeEspera1765400000000,
  AcessosDoCidadao1765500000000,
  HistoricoConsentimento1765500001000,
  NotificacaoLida1765500002000,
  AgendamentoDescomplica1765700000000,
  ConversasCidadao1765800000000,
  AcessosComConversas1765800001000,
  SaidaMotivoPerfil1765900000000,
  CargaModeloVinculo1766000000000,
  CargaChavesTratamentosAgnomes1766100000000,
  CargaCpfDoResponsavel1766200000000,
];
