/**
 * Public, unauthenticated CMBD routes (mounted BEFORE `autenticar`): the published catalogue as open data and the
 * public page. Only what a campaign close published is served; nothing internal (personal-data link, focal points).
 */
import { Router, type Response } from 'express';
import type { DataSource } from 'typeorm';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { lerPublicacao, type Publicacao } from './campanhas.service.js';
import { PAGINA_CSS, PAGINA_HTML, PAGINA_JS } from './pagina.js';
import { paraCsv, paraJsonLd } from './publicacao.js';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function rotasCmbdPublicas({ dataSource, urlPublica }: { dataSource: DataSource; urlPublica?: string }): Router {
  const router = Router();

  async function publicacao(codigo?: string): Promise<Publicacao> {
    if (codigo !== undefined && !/^\d{4}-[12]$/.test(codigo)) throw new NaoEncontrado('Publicação do CMBD não encontrada');
    const p = await lerPublicacao(dataSource.manager, codigo);
    if (!p) throw new NaoEncontrado(codigo ? `O CMBD da campanha ${codigo} não foi publicado` : 'Nenhum catálogo do CMBD publicado ainda');
    return p;
  }
  const publico = (res: Response) => res.setHeader('Cache-Control', 'public, max-age=300').setHeader('Access-Control-Allow-Origin', '*');
  const csv = (res: Response, p: Publicacao) => {
    publico(res).type('text/csv; charset=utf-8').setHeader('Content-Disposition', `inline; filename="cmbd-${p.campanha}.csv"`).send(paraCsv(p.itens));
  };
  const jsonld = (res: Response, p: Publicacao, base: string) => {
    publico(res).type('application/ld+json; charset=utf-8').send(JSON.stringify(paraJsonLd({ ...p, baseUrl: base })));
  };
  const base = (req: { protocol: string; get(h: string): string | undefined }) => urlPublica || `${req.protocol}://${req.get('host') ?? 'localhost'}`;

  router.get('/dados-abertos/cmbd.csv', async (_req, res) => csv(res, await publicacao()));
  router.get('/dados-abertos/cmbd.jsonld', async (req, res) => jsonld(res, await publicacao(), base(req)));
  router.get('/dados-abertos/cmbd', (_req, res) => {
    res.setHeader('Content-Security-Policy', CSP).setHeader('Cache-Control', 'public, max-age=300').type('html').send(PAGINA_HTML);
  });
  router.get('/dados-abertos/cmbd/pagina.js', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300').type('application/javascript; charset=utf-8').send(PAGINA_JS);
  });
  router.get('/dados-abertos/cmbd/pagina.css', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300').type('text/css; charset=utf-8').send(PAGINA_CSS);
  });
  router.get('/dados-abertos/cmbd/:arquivo', async (req, res) => {
    const m = /^(\d{4}-[12])\.(csv|jsonld)$/.exec(req.params.arquivo);
    if (!m) throw new NaoEncontrado('Publicação do CMBD não encontrada');
    const p = await publicacao(m[1]);
    if (m[2] === 'csv') csv(res, p);
    else jsonld(res, p, base(req));
  });
  return router;
}
