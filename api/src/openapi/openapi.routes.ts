import express, { Router } from 'express';
import { createRequire } from 'node:module';
import { documentoOpenApi } from './documento.js';

const require = createRequire(import.meta.url);
const swaggerUiDir = (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();

const PAGINA = `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API do Cadastro Base de Pessoas — documentação</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/inicializar.js"></script>
</body>
</html>
`;

const INICIALIZAR = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

/** Public: the OpenAPI document and its docs page (Swagger UI from swagger-ui-dist). */
export function rotasOpenApi(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(documentoOpenApi());
  });
  router.get('/docs', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(PAGINA);
  });
  const estaticos = express.static(swaggerUiDir, { index: false, fallthrough: false });
  router.get('/docs/inicializar.js', (_req, res) => {
    res.type('application/javascript').send(INICIALIZAR);
  });
  router.use('/docs', (req, res, next) => {
    if (!/^\/(swagger-ui\.css|swagger-ui-bundle\.js|favicon-(16x16|32x32)\.png)$/.test(req.path)) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'public, max-age=3600');
    estaticos(req, res, next);
  });
  return router;
}
