/**
 * One source row (header → raw text) → the load record: every field normalised, the CPF triaged, and each value that
 * could not be used listed in `problemas` (the field becomes null). Pure; built once per mapping by `criarMapeador`.
 */
import { ehUf } from '../validation/uf.js';
import { cpfValidoOuNulo } from '../validation/cpf.js';
import { CAMPOS_REGISTRO, tipoDoCampo, type CampoRegistro, type EspecCampo, type MapeamentoFonte } from './mapeamento.js';
import { chaveCodigo, chaveNome, converterData, normalizarEmail, normalizarEspacos, normalizarNome, normalizarTelefone, somenteDigitos } from './normalizar.js';
import { cpfComoLido, triarCpf, type Triagem } from './triagem.js';

type CodigoProblema = 'chave-ausente' | 'data-invalida' | 'valor-desconhecido' | 'cpf-invalido' | 'email-invalido' | 'telefone-invalido' | 'uf-invalida';

export interface RegistroCarga {
  /** Mapping name (`bdc`, `siga`, …): the `source` of clusters and truth files. */
  readonly fonte: string;
  /** Data row number in the file (1 = first row after the header). */
  readonly linha: number;
  /** The row's key in its source (`row_id`); null when the key column is empty (see `problemas`). */
  readonly chave: string | null;
  /** CPF triage of the row's own CPF column. */
  readonly triagem: Triagem;
  /** The row's own CPF column before validation (`cpfComoLido`: no mask, padded for numeric sources); null when absent or a placeholder. */
  readonly cpfBruto: string | null;
  readonly nome: string | null;
  /** Comparison key of `nome`: no accents, letters only, no particles. */
  readonly nomeChave: string | null;
  readonly nomeSocial: string | null;
  readonly nomeMae: string | null;
  readonly nomeMaeChave: string | null;
  readonly nomePai: string | null;
  /** Valid CPFs (11 digits) or null. */
  readonly cpfMae: string | null;
  readonly cpfPai: string | null;
  /** ISO `YYYY-MM-DD`. */
  readonly dataNascimento: string | null;
  readonly dataObito: string | null;
  readonly sexo: 'M' | 'F' | null;
  /** From the source's death flag; without one, true when `dataObito` is present, else null. */
  readonly obito: boolean | null;
  readonly email: string | null;
  /** Digits, 10 or 11 (area code + number). */
  readonly telefone: string | null;
  readonly municipio: string | null;
  readonly uf: string | null;
  readonly problemas: readonly { readonly campo: string; readonly codigo: CodigoProblema; readonly valor: string }[];
}

type Mutavel = { -readonly [K in keyof RegistroCarga]: RegistroCarga[K] };
type Problema = RegistroCarga['problemas'][number];

interface CampoCompilado {
  readonly campo: CampoRegistro;
  readonly espec: EspecCampo;
  readonly nulos: ReadonlySet<string>;
  /** Length of the longest placeholder: a longer value cannot be one (skips computing its comparison key). */
  readonly maiorNulo: number;
  /** CPF fields: placeholders as digit strings (`000.000.000-00` → `00000000000`). */
  readonly nulosDigitos: ReadonlySet<string>;
  readonly valores: ReadonlyMap<string, string | boolean> | null;
  readonly formatosPor: ReadonlyMap<string, readonly string[]> | null;
}

/** Headers the file must have for this mapping (key column, every mapped column, date-format selector columns). */
export function colunasNecessarias(mapa: MapeamentoFonte): string[] {
  const cols = new Set<string>([mapa.chave]);
  for (const espec of Object.values(mapa.campos)) {
    cols.add(espec.coluna);
    if (espec.formatosPor) cols.add(espec.formatosPor.coluna);
  }
  return [...cols];
}

export function criarMapeador(mapa: MapeamentoFonte): (linha: Readonly<Record<string, string | undefined>>, numero: number) => RegistroCarga {
  const campos: CampoCompilado[] = [];
  for (const campo of CAMPOS_REGISTRO) {
    const espec = mapa.campos[campo];
    if (!espec) continue;
    const todos = [...mapa.nulos, ...espec.nulos];
    const cpf = tipoDoCampo(campo) === 'cpf';
    campos.push({
      campo,
      espec,
      nulos: new Set(todos.map(chaveCodigo)),
      maiorNulo: Math.max(0, ...todos.map((t) => chaveCodigo(t).length)),
      nulosDigitos: new Set(cpf ? todos.map(somenteDigitos).filter((d) => d !== '').map((d) => (espec.cpfNumerico ? d.padStart(11, '0') : d)) : []),
      valores: espec.valores ? new Map(Object.entries(espec.valores).map(([k, v]) => [chaveCodigo(k), v])) : null,
      formatosPor: espec.formatosPor ? new Map(Object.entries(espec.formatosPor.valores).map(([k, v]) => [chaveCodigo(k), v])) : null,
    });
  }

  return (linha, numero) => {
    const problemas: Problema[] = [];
    const chaveBruta = normalizarEspacos(linha[mapa.chave] ?? '');
    if (chaveBruta === '') problemas.push({ campo: 'chave', codigo: 'chave-ausente', valor: '' });
    const r: Mutavel = {
      fonte: mapa.fonte, linha: numero, chave: chaveBruta === '' ? null : chaveBruta, triagem: { categoria: 'sem-cpf' }, cpfBruto: null,
      nome: null, nomeChave: null, nomeSocial: null, nomeMae: null, nomeMaeChave: null, nomePai: null, cpfMae: null, cpfPai: null,
      dataNascimento: null, dataObito: null, sexo: null, obito: null, email: null, telefone: null, municipio: null, uf: null, problemas,
    };

    for (const c of campos) {
      let bruto = linha[c.espec.coluna] ?? '';
      if (c.espec.dividir) bruto = bruto.split(c.espec.dividir.separador)[c.espec.dividir.indice] ?? '';
      bruto = normalizarEspacos(bruto);
      const tipo = tipoDoCampo(c.campo);
      const ehNulo = bruto === '' || (bruto.length <= c.maiorNulo && c.nulos.has(chaveCodigo(bruto))) ||
        (tipo === 'cpf' && /^[\d.\-/ ]+$/.test(bruto) && c.nulosDigitos.has(c.espec.cpfNumerico ? somenteDigitos(bruto).padStart(11, '0') : somenteDigitos(bruto)));
      const problema = (codigo: CodigoProblema) => problemas.push({ campo: c.campo, codigo, valor: bruto });

      switch (tipo) {
        case 'cpf':
          if (c.campo === 'cpf') {
            r.triagem = triarCpf(ehNulo ? null : bruto, c.espec.cpfNumerico);
            r.cpfBruto = ehNulo ? null : cpfComoLido(bruto, c.espec.cpfNumerico) || null;
          }
          else if (!ehNulo) {
            const d = somenteDigitos(bruto);
            const v = cpfValidoOuNulo(c.espec.cpfNumerico && /^\d+$/.test(bruto) ? d.padStart(11, '0') : bruto);
            if (v === null) problema('cpf-invalido');
            r[c.campo as 'cpfMae' | 'cpfPai'] = v;
          }
          break;
        case 'nome': {
          if (ehNulo) break;
          const n = normalizarNome(bruto);
          r[c.campo as 'nome' | 'nomeSocial' | 'nomeMae' | 'nomePai'] = n;
          if (c.campo === 'nome') r.nomeChave = chaveNome(bruto);
          if (c.campo === 'nomeMae') r.nomeMaeChave = chaveNome(bruto);
          break;
        }
        case 'data': {
          if (ehNulo) break;
          let formatos = c.espec.formatos;
          if (c.espec.formatosPor && c.formatosPor) formatos = c.formatosPor.get(chaveCodigo(linha[c.espec.formatosPor.coluna] ?? '')) ?? c.espec.formatosPor.padrao;
          const iso = converterData(bruto, formatos, mapa.anoMinimo);
          if (iso === null) problema('data-invalida');
          r[c.campo as 'dataNascimento' | 'dataObito'] = iso;
          break;
        }
        case 'sexo':
        case 'booleano': {
          if (ehNulo) break;
          const v = c.valores?.get(chaveCodigo(bruto));
          if (v === undefined) problema('valor-desconhecido');
          else if (tipo === 'sexo') r.sexo = v as 'M' | 'F';
          else r.obito = v as boolean;
          break;
        }
        case 'email':
          if (ehNulo) break;
          r.email = normalizarEmail(bruto);
          if (r.email === null) problema('email-invalido');
          break;
        case 'telefone':
          if (ehNulo) break;
          r.telefone = normalizarTelefone(bruto);
          if (r.telefone === null) problema('telefone-invalido');
          break;
        case 'texto':
          if (!ehNulo) r.municipio = normalizarNome(bruto);
          break;
        case 'uf': {
          if (ehNulo) break;
          const uf = chaveCodigo(bruto);
          if (ehUf(uf)) r.uf = uf;
          else problema('uf-invalida');
          break;
        }
      }
    }
    if (r.obito === null && !mapa.campos.obito && r.dataObito !== null) r.obito = true;
    return r;
  };
}
