/**
 * The compiled catalogue as open data: CSV with the manual's column names (UTF-8, RFC 4180, comma, CRLF) and a
 * DCAT-style JSON-LD catalogue; and the reverse (CSV → entries) for the import that proves the round trip.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { chave, NAO_SE_APLICA_MAPA, type BaseDados } from './base.dominio.js';

/** One published entry: the manual's fields (the link to the central record stays internal). */
export type ItemPublicado = Omit<BaseDados, 'possuiDadosPessoais' | 'fonteCarga' | 'situacaoMigracao' | 'cronogramaMigracao'> & { id: string; orgao: string };

export function itemPublicado(b: BaseDados & { id: string; orgao: string }): ItemPublicado {
  return {
    id: b.id, orgao: b.orgao, sigla: b.sigla, secaoResponsavel: b.secaoResponsavel, codigoProdam: b.codigoProdam, titulo: b.titulo,
    categoriaTematica: b.categoriaTematica, palavrasChave: b.palavrasChave, resumo: b.resumo, historico: b.historico,
    serieHistorica: b.serieHistorica, periodicidade: b.periodicidade, procedencia: b.procedencia, extensaoGeografica: b.extensaoGeografica,
    nivelDesagregacao: b.nivelDesagregacao, situacao: b.situacao, inativaDesde: b.inativaDesde, sigilo: b.sigilo,
    sigiloBaseLegal: b.sigiloBaseLegal, formasDisponibilizacao: b.formasDisponibilizacao, enderecoAcesso: b.enderecoAcesso,
    tipoArmazenamento: b.tipoArmazenamento, sgbd: b.sgbd, formato: b.formato, extensaoArquivo: b.extensaoArquivo,
    ambienteProducao: b.ambienteProducao, tiposRepresentacao: b.tiposRepresentacao, escala: b.escala,
    sistemaReferencia: b.sistemaReferencia, baseCartografica: b.baseCartografica,
  };
}

const SEPARADOR_LISTA = '; ';
const dataBr = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const dataIso = (br: string) => `${br.slice(6, 10)}-${br.slice(3, 5)}-${br.slice(0, 2)}`;

interface Coluna {
  nome: string;
  de(i: ItemPublicado): string;
  /** Writes the CSV value back into an API entry. */
  para(v: string, e: Record<string, unknown>): void;
}
const simples = (nome: string, campo: keyof ItemPublicado): Coluna => ({
  nome,
  de: (i) => String(i[campo]),
  para: (v, e) => {
    e[campo] = v;
  },
});
const listaCol = (nome: string, campo: keyof ItemPublicado): Coluna => ({
  nome,
  de: (i) => (i[campo] as string[]).join(SEPARADOR_LISTA),
  para: (v, e) => {
    e[campo] = v.split(';').map((x) => x.trim()).filter(Boolean);
  },
});

/** The manual's column names, in the manual's order ("Descrição dos Campos"). */
export const COLUNAS_CSV: readonly Coluna[] = [
  simples('Órgão ou Entidade', 'orgao'),
  simples('Sigla', 'sigla'),
  simples('Seção Responsável', 'secaoResponsavel'),
  simples('Código / Nome PRODAM', 'codigoProdam'),
  simples('Título da Base', 'titulo'),
  simples('Categoria Temática', 'categoriaTematica'),
  listaCol('Palavras-chave', 'palavrasChave'),
  simples('Resumo', 'resumo'),
  simples('Histórico', 'historico'),
  simples('Série histórica', 'serieHistorica'),
  simples('Periodicidade', 'periodicidade'),
  simples('Procedência de Dados', 'procedencia'),
  simples('Extensão Geográfica', 'extensaoGeografica'),
  simples('Nível de Desagregação', 'nivelDesagregacao'),
  {
    nome: 'Situação do Processo',
    de: (i) => (i.situacao === 'INATIVA' ? `INATIVA - Desde: ${dataBr(i.inativaDesde!)}` : 'ATIVA'),
    para: (v, e) => {
      const m = /^INATIVA\s*-\s*Desde:\s*(\d{2}\/\d{2}\/\d{4})$/i.exec(v.trim());
      if (m) {
        e['situacao'] = 'INATIVA';
        e['inativaDesde'] = dataIso(m[1]);
      } else e['situacao'] = v.trim();
    },
  },
  {
    nome: 'Existe(m), nesta base de dados, informação(ões) classificada(s) em algum grau de sigilo?',
    de: (i) => (i.sigilo ? `SIM - ${i.sigiloBaseLegal}` : 'NÃO'),
    para: (v, e) => {
      const m = /^SIM\s*(?:-\s*(.*))?$/is.exec(v.trim());
      if (m) {
        e['sigilo'] = true;
        e['sigiloBaseLegal'] = m[1]?.trim() || null;
      } else if (chave(v) === 'nao') e['sigilo'] = false;
      else e['sigilo'] = v;
    },
  },
  listaCol('Forma(s) de disponibilização', 'formasDisponibilizacao'),
  simples('Endereço e procedimentos para acesso', 'enderecoAcesso'),
  simples('Tipo de Armazenamento', 'tipoArmazenamento'),
  simples('Sistema Gerenciador de Banco de Dados', 'sgbd'),
  simples('Formato do arquivo', 'formato'),
  simples('Extensão do arquivo', 'extensaoArquivo'),
  simples('Ambiente de produção e versão', 'ambienteProducao'),
  listaCol('Tipo(s) de representação', 'tiposRepresentacao'),
  simples('Escala', 'escala'),
  simples('Sistemas de referência', 'sistemaReferencia'),
  simples('Base cartográfica utilizada', 'baseCartografica'),
];

export function paraCsv(itens: readonly ItemPublicado[]): string {
  return stringify(
    itens.map((i) => COLUNAS_CSV.map((c) => c.de(i))),
    { header: true, columns: COLUNAS_CSV.map((c) => c.nome), record_delimiter: 'windows', quoted_match: /[";\n\r]/ },
  );
}

/**
 * Published CSV → API entries (with `orgao`, so the import can register the organ). Header must carry exactly the
 * manual's columns (any order); a BOM is tolerated. Throws DadosInvalidos naming the line.
 */
export function deCsv(texto: string): Record<string, unknown>[] {
  let registros: Record<string, string>[];
  try {
    registros = parse<Record<string, string>>(texto, { columns: true, bom: true, skip_empty_lines: true, trim: false, relax_column_count: false });
  } catch (err) {
    throw new DadosInvalidos([{ path: 'csv', message: `CSV malformado: ${(err as Error).message}` }]);
  }
  const esperadas = new Set(COLUNAS_CSV.map((c) => c.nome));
  const presentes = registros[0] ? Object.keys(registros[0]) : [];
  const faltam = [...esperadas].filter((c) => !presentes.includes(c));
  const sobram = presentes.filter((c) => !esperadas.has(c));
  if (registros.length > 0 && (faltam.length || sobram.length)) {
    throw new DadosInvalidos([
      ...faltam.map((c) => ({ path: 'csv', message: `Coluna ausente: ${c}` })),
      ...sobram.map((c) => ({ path: 'csv', message: `Coluna desconhecida: ${c}` })),
    ]);
  }
  return registros.map((r) => {
    const e: Record<string, unknown> = {};
    for (const c of COLUNAS_CSV) c.para(r[c.nome] ?? '', e);
    return e;
  });
}

export interface OrgaoResumo {
  sigla: string;
  nome: string;
}

/** DCAT-AP-style catalogue (W3C DCAT 2 terms) for the compiled catalogue of a campaign. */
export function paraJsonLd(p: { campanha: string; publicadaEm: string; itens: readonly ItemPublicado[]; naoParticipantes: readonly OrgaoResumo[]; participantes: readonly OrgaoResumo[]; baseUrl: string }): object {
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      cmbd: `${p.baseUrl}/dados-abertos/cmbd/vocabulario#`,
    },
    '@id': `${p.baseUrl}/dados-abertos/cmbd/${p.campanha}.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:title': `Catálogo Municipal de Bases de Dados (CMBD) — ${p.campanha}`,
    'dct:description': 'Lista das bases de dados dos órgãos e entidades da Prefeitura de São Paulo (Decreto Municipal nº 54.779/2014). O catálogo é a identificação da existência das bases, não a sua disponibilização.',
    'dct:publisher': { '@type': 'foaf:Organization', 'foaf:name': 'Controladoria Geral do Município — CGM/COPI/DTA' },
    'dct:language': 'pt-BR',
    'dct:issued': { '@value': p.publicadaEm, '@type': 'xsd:dateTime' },
    'cmbd:campanha': p.campanha,
    'cmbd:orgaosParticipantes': p.participantes.map((o) => ({ 'cmbd:sigla': o.sigla, 'foaf:name': o.nome })),
    'cmbd:orgaosNaoParticipantes': p.naoParticipantes.map((o) => ({ 'cmbd:sigla': o.sigla, 'foaf:name': o.nome })),
    'dcat:distribution': [
      { '@type': 'dcat:Distribution', 'dcat:downloadURL': `${p.baseUrl}/dados-abertos/cmbd/${p.campanha}.csv`, 'dcat:mediaType': 'text/csv' },
      { '@type': 'dcat:Distribution', 'dcat:downloadURL': `${p.baseUrl}/dados-abertos/cmbd/${p.campanha}.jsonld`, 'dcat:mediaType': 'application/ld+json' },
    ],
    'dcat:dataset': p.itens.map((i) => ({
      '@id': `urn:uuid:${i.id}`,
      '@type': 'dcat:Dataset',
      'dct:identifier': i.id,
      'dct:title': i.titulo,
      'dct:description': i.resumo,
      'dcat:keyword': i.palavrasChave,
      'dcat:theme': i.categoriaTematica,
      'dct:publisher': { '@type': 'foaf:Organization', 'foaf:name': i.orgao, 'cmbd:sigla': i.sigla },
      'cmbd:secaoResponsavel': i.secaoResponsavel,
      'cmbd:codigoProdam': i.codigoProdam,
      'dct:provenance': i.procedencia,
      'cmbd:historico': i.historico,
      'dct:temporal': i.serieHistorica,
      'dct:accrualPeriodicity': i.periodicidade,
      'dct:spatial': i.extensaoGeografica,
      'cmbd:nivelDesagregacao': i.nivelDesagregacao,
      'cmbd:situacao': i.situacao,
      ...(i.inativaDesde ? { 'cmbd:inativaDesde': { '@value': i.inativaDesde, '@type': 'xsd:date' } } : {}),
      'dct:accessRights': i.sigilo ? `Sigilosa — ${i.sigiloBaseLegal}` : 'Pública (Lei nº 12.527/2011 e Decreto Municipal nº 53.623/2012)',
      'cmbd:sigilo': i.sigilo,
      ...(i.sigilo ? { 'cmbd:sigiloBaseLegal': i.sigiloBaseLegal } : {}),
      'cmbd:formasDisponibilizacao': i.formasDisponibilizacao,
      'dcat:contactPoint': i.enderecoAcesso,
      'cmbd:tipoArmazenamento': i.tipoArmazenamento,
      'cmbd:sgbd': i.sgbd,
      'dct:format': i.formato,
      'cmbd:extensaoArquivo': i.extensaoArquivo,
      'cmbd:ambienteProducao': i.ambienteProducao,
      'cmbd:tiposRepresentacao': i.tiposRepresentacao,
      ...(i.escala !== NAO_SE_APLICA_MAPA ? { 'cmbd:escala': i.escala } : {}),
      ...(i.sistemaReferencia !== NAO_SE_APLICA_MAPA ? { 'cmbd:sistemaReferencia': i.sistemaReferencia } : {}),
      ...(i.baseCartografica !== NAO_SE_APLICA_MAPA ? { 'cmbd:baseCartografica': i.baseCartografica } : {}),
    })),
  };
}
