/**
 * Name lists for the synthetic data generator: common Brazilian first names and surnames with relative weights.
 * The order and rough proportions follow the most frequent names of the IBGE 2010 census ("Nomes no Brasil"); the
 * weights are rounded by hand for the generator, not official counts. Accents as registered (JOSÉ, CONCEIÇÃO).
 */
export const PRENOMES_F: readonly (readonly [string, number])[] = [
  ['MARIA', 1100], ['ANA', 360], ['FRANCISCA', 72], ['ANTÔNIA', 58], ['ADRIANA', 56], ['JULIANA', 56], ['MÁRCIA', 55],
  ['FERNANDA', 54], ['PATRÍCIA', 53], ['ALINE', 51], ['SANDRA', 46], ['CAMILA', 45], ['AMANDA', 44], ['BRUNA', 43],
  ['JÉSSICA', 43], ['LETÍCIA', 43], ['JÚLIA', 42], ['LUCIANA', 41], ['VANESSA', 41], ['MARIANA', 38], ['GABRIELA', 36],
  ['VERA', 34], ['VITÓRIA', 33], ['LARISSA', 33], ['CLÁUDIA', 32], ['BEATRIZ', 31], ['LUANA', 28], ['RITA', 28],
  ['SÔNIA', 28], ['RENATA', 27], ['ELIANE', 27], ['JOSEFA', 27], ['SIMONE', 26], ['NATÁLIA', 26], ['CRISTIANE', 25],
  ['CARLA', 25], ['DÉBORA', 24], ['ROSÂNGELA', 24], ['JAQUELINE', 24], ['ROSA', 23], ['DANIELA', 23],
  ['MÔNICA', 22], ['LUIZA', 21], ['RAQUEL', 20], ['HELENA', 20], ['CONCEIÇÃO', 19], ['TEREZINHA', 19], ['LÚCIA', 18],
  ['ISABEL', 18], ['ALICE', 17], ['SOFIA', 17], ['LAURA', 16], ['VALENTINA', 15], ['HELOÍSA', 14], ['ISADORA', 12],
  ['RAIMUNDA', 12], ['REGINA', 12], ['TATIANE', 12], ['KARINA', 10], ['IVONE', 10], ['ODETE', 8], ['GLÓRIA', 8],
];
export const PRENOMES_M: readonly (readonly [string, number])[] = [
  ['JOSÉ', 570], ['JOÃO', 300], ['ANTÔNIO', 280], ['FRANCISCO', 180], ['CARLOS', 150], ['PAULO', 140], ['PEDRO', 120],
  ['LUCAS', 110], ['LUIZ', 108], ['MARCOS', 107], ['LUIS', 88], ['GABRIEL', 86], ['RAFAEL', 80], ['DANIEL', 59],
  ['MARCELO', 59], ['BRUNO', 58], ['EDUARDO', 57], ['FELIPE', 54], ['RAIMUNDO', 51], ['RODRIGO', 51], ['MANOEL', 45],
  ['MATEUS', 42], ['ANDRÉ', 41], ['FERNANDO', 41], ['FÁBIO', 40], ['LEONARDO', 39], ['GUSTAVO', 38], ['GUILHERME', 37],
  ['LEANDRO', 36], ['TIAGO', 33], ['ANDERSON', 33], ['RICARDO', 33], ['MÁRCIO', 33], ['JORGE', 32], ['SEBASTIÃO', 31],
  ['ALEXANDRE', 31], ['ROBERTO', 31], ['EDSON', 30], ['DIEGO', 29], ['VITOR', 28], ['SÉRGIO', 28], ['CLÁUDIO', 27],
  ['MATHEUS', 27], ['THIAGO', 27], ['GERALDO', 25], ['ADRIANO', 25], ['LUCIANO', 25], ['JÚLIO', 24], ['RENATO', 24],
  ['ALEX', 23], ['VINÍCIUS', 23], ['ROGÉRIO', 23], ['SAMUEL', 22], ['RONALDO', 21], ['MÁRIO', 20], ['FLÁVIO', 20],
  ['DOUGLAS', 19], ['IGOR', 18], ['DAVI', 18], ['MIGUEL', 17], ['ARTHUR', 17], ['HEITOR', 14], ['BERNARDO', 12],
  ['BENEDITO', 12], ['JOAQUIM', 11], ['OTÁVIO', 9],
];
export const SOBRENOMES: readonly (readonly [string, number])[] = [
  ['SILVA', 1000], ['SANTOS', 620], ['OLIVEIRA', 450], ['SOUZA', 420], ['RODRIGUES', 260], ['FERREIRA', 250],
  ['ALVES', 240], ['PEREIRA', 230], ['LIMA', 220], ['GOMES', 200], ['COSTA', 190], ['RIBEIRO', 180], ['MARTINS', 170],
  ['CARVALHO', 160], ['ALMEIDA', 150], ['LOPES', 140], ['SOARES', 135], ['FERNANDES', 130], ['VIEIRA', 125],
  ['BARBOSA', 120], ['ROCHA', 115], ['DIAS', 110], ['NASCIMENTO', 108], ['ANDRADE', 100], ['MOREIRA', 98], ['NUNES', 95],
  ['MARQUES', 92], ['MACHADO', 90], ['MENDES', 88], ['FREITAS', 85], ['CARDOSO', 83], ['RAMOS', 80], ['GONÇALVES', 78],
  ['SANTANA', 76], ['TEIXEIRA', 74], ['ARAÚJO', 72], ['CONCEIÇÃO', 60], ['PINTO', 55], ['CAVALCANTI', 50], ['BATISTA', 48],
  ['CAMPOS', 46], ['MONTEIRO', 45], ['MOURA', 44], ['CORREIA', 43], ['AZEVEDO', 42], ['MIRANDA', 40], ['BEZERRA', 38],
  ['CRUZ', 37], ['BARROS', 36], ['PAIVA', 30], ['FONSECA', 29], ['PRADO', 28], ['ASSUNÇÃO', 20], ['BRAGANÇA', 12],
  ['FALCÃO', 12], ['DAMASCENO', 10], ['QUEIROZ', 25], ['TAVARES', 24], ['XAVIER', 22], ['SIQUEIRA', 21], ['ESTEVES', 15],
];
/** Municipality/UF of residence: mostly São Paulo, some neighbours and other states. */
export const MUNICIPIOS: readonly (readonly [readonly [string, string], number])[] = [
  [['SÃO PAULO', 'SP'], 850], [['GUARULHOS', 'SP'], 25], [['OSASCO', 'SP'], 15], [['SANTO ANDRÉ', 'SP'], 15],
  [['SÃO BERNARDO DO CAMPO', 'SP'], 15], [['DIADEMA', 'SP'], 10], [['TABOÃO DA SERRA', 'SP'], 10], [['SALVADOR', 'BA'], 12],
  [['RECIFE', 'PE'], 10], [['FORTALEZA', 'CE'], 10], [['BELO HORIZONTE', 'MG'], 8], [['RIO DE JANEIRO', 'RJ'], 8],
  [['TERESINA', 'PI'], 6], [['MACEIÓ', 'AL'], 6],
];
