/** Test fixtures: a complete, valid catalogue entry (a non-map table) and a valid map. Used by the CMBD tests only. */
export function baseValida(sobrescrever: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sigla: 'SMADS',
    secaoResponsavel: 'Coordenação do Observatório da Vigilância Socioassistencial',
    codigoProdam: 'Não se aplica',
    titulo: 'Cadastro de usuários dos Centros de Referência de Assistência Social',
    categoriaTematica: 'Assistência social',
    palavrasChave: ['assistência social', 'CRAS', 'atendimento'],
    resumo: 'Registra os atendimentos realizados nos CRAS do município.',
    historico: 'Criada em 2012 para acompanhar os atendimentos socioassistenciais.',
    serieHistorica: '2012-atual',
    periodicidade: 'Mensal',
    procedencia: 'Cadastro ou registro',
    extensaoGeografica: 'Município',
    nivelDesagregacao: 'Atendimento individual',
    situacao: 'ATIVA',
    sigilo: false,
    formasDisponibilizacao: ['download pela internet', 'e-mail'],
    enderecoAcesso: 'Rua Libero Badaró, 425 — pedido via e-SIC',
    tipoArmazenamento: 'Banco de Dados',
    sgbd: 'PostgreSQL',
    formato: 'Tabela',
    extensaoArquivo: '.csv',
    ambienteProducao: 'PostgreSQL 15',
    tiposRepresentacao: ['Alfanumérica'],
    escala: 'NÃO SE APLICA',
    sistemaReferencia: 'NÃO SE APLICA',
    baseCartografica: 'NÃO SE APLICA',
    ...sobrescrever,
  };
}

export function mapaValido(sobrescrever: Record<string, unknown> = {}): Record<string, unknown> {
  return baseValida({
    titulo: 'Mapa dos equipamentos socioassistenciais',
    formato: 'Mapa',
    extensaoArquivo: '.shp, .geojson',
    tiposRepresentacao: ['Vetorial'],
    escala: '1:1.000',
    sistemaReferencia: 'SIRGAS 2000 / UTM 23S',
    baseCartografica: 'Mapa Digital da Cidade - GeoSampa',
    ...sobrescrever,
  });
}
