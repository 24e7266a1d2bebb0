/**
 * Renders the stewards' page `docs/pmcc.md` from `politicas.ts` (the only source). `scripts/pmcc-doc.ts` writes it;
 * `documento.unit.test.ts` fails when the committed page and the policy file disagree.
 */
import { FONTES, OPERACOES, POLITICAS, TIPOS_ATOR, VERSAO_PMCC, type Permissao, type RegraOperacao } from './politicas.js';

const ROTULO_PERMISSAO: Record<Permissao, string> = {
  nunca: '—',
  permitido: 'sim',
  'com-evidencia': 'com evidência',
  solicitacao: 'só solicita (revisão)',
  'precedencia-maior': 'precedência maior',
  'precedencia-maior-ou-igual': 'precedência ≥ (empate: mais recente)',
  'mais-recente': 'mais recente',
};
const ROTULO_OPERACAO = { insercao: 'inclusão', modificacao: 'alteração', exclusao: 'exclusão' } as const;
const ROTULO_ATOR = { cidadao: 'cidadão', gestor: 'gestor', carga: 'carga (fonte)', 'evento-keycloak': 'evento Keycloak' } as const;

function celula(r: RegraOperacao): string {
  const partes = TIPOS_ATOR.map((a) => `${ROTULO_ATOR[a]}: ${ROTULO_PERMISSAO[r[a]]}`);
  const extra = [r.fontes ? `fontes: ${r.fontes.join(', ')}` : null, r.orgaos ? `órgãos: ${r.orgaos.join(', ')}` : null].filter(Boolean);
  return [...partes, ...extra].join('<br>');
}

export function renderizarPmcc(): string {
  const linhas: string[] = [
    '# PMCC — Políticas de Manutenção dos Cadastros Centralizados',
    '',
    `<!-- Gerado por scripts/pmcc-doc.ts a partir de api/src/pmcc/politicas.ts. Não edite à mão. -->`,
    '',
    `Versão das políticas: **${VERSAO_PMCC}**. Fonte única: \`api/src/pmcc/politicas.ts\`; a decisão é \`decidir()\` em`,
    '`api/src/pmcc/decidir.ts` (função pura), aplicada pela Entrada Única a toda escrita de gestor, cidadão e evento do',
    'Login Único. A coluna "carga (fonte)" vale para a carga em lote (`npm run carga`, docs/carga.md), que aplica as',
    'mesmas decisões em lote.',
    '',
    'Resultados: **aceitar**; **rejeitar** (código + mensagem); **aceitar-e-revisar** (o valor é guardado e um item de',
    'revisão é aberto — aplicado quando vence a sobrescrita de campo crítico, não aplicado quando é solicitação do',
    'cidadão ou valor perdedor de campo crítico). Um valor perdedor de outra fonte nunca é descartado: fica como',
    '`alternativo` no histórico do campo.',
    '',
    '## Precedência das fontes',
    '',
    '| fonte | precedência | descrição |',
    '| --- | --- | --- |',
    ...Object.entries(FONTES)
      .sort((a, b) => b[1].precedencia - a[1].precedencia)
      .map(([id, f]) => `| \`${id}\` | ${f.precedencia} | ${f.nome} |`),
    '',
    'Sobrevivência: precedência maior vence; empate → a observação mais recente (nas regras "≥"); nas regras de',
    '"precedência maior" (campos críticos) o empate mantém o valor vigente e o novo vai para revisão.',
    '',
    'Variantes de nome na carga em lote (`nome`, `nomeSocial`, `nomeMae`, `nomePai`; `api/src/pmcc/variantes-nome.ts`): o',
    'mesmo nome escrito de outra forma não é conflito. Só maiúsculas, acentos, pontuação ou espaços diferentes: nada muda',
    '(a forma com mais acentos substitui a sem acentos). Um nome do meio abreviado à inicial ou omitido, ou conectivos',
    '(da, de, do, das, dos, e) a menos, com o mesmo primeiro e último nome: a forma mais completa fica ou passa a ser a',
    'vigente, qualquer que seja a precedência, e a outra é guardada como `alternativo` (código `VARIANTE_DE_NOME`), sem',
    'item de revisão. O agnome (FILHO, JÚNIOR, NETO…) omitido ou abreviado (JR) é a forma menos completa. Um tratamento',
    'antes do nome (Dr., Dra., Sr., Sra., Srta., Prof., Profa.) não faz parte dele: das duas formas das mesmas palavras',
    'fica a sem tratamento, e um nome mais completo que traria um tratamento para o registro vai para revisão. Outro',
    'sobrenome, um erro de digitação ou outra ordem continuam conflitos. Gestor e cidadão não passam por esta regra: a',
    'alteração deles é intencional.',
    '',
  ];
  for (const entidade of ['pessoa', 'pessoa_juridica'] as const) {
    linhas.push(`## ${entidade === 'pessoa' ? 'Pessoa Física' : 'Pessoa Jurídica'}`, '');
    linhas.push(`| campo | linha da tabela | crítico | ${OPERACOES.map((o) => ROTULO_OPERACAO[o]).join(' | ')} | observação |`);
    linhas.push(`| --- | --- | --- | ${OPERACOES.map(() => '---').join(' | ')} | --- |`);
    for (const p of POLITICAS.filter((x) => x.entidade === entidade)) {
      linhas.push(`| \`${p.campo}\` | ${p.linha} | ${p.critico ? 'sim' : 'não'} | ${OPERACOES.map((o) => celula(p[o])).join(' | ')} | ${p.nota} |`);
    }
    linhas.push('');
  }
  return linhas.join('\n');
}
