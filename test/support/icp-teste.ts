/**
 * A test ICP-Brasil: a CA chain generated at run time with @peculiar/x509 (root → intermediate → citizens'
 * certificates carrying the ICP-Brasil natural-person data, SubjectAltName otherName 2.16.76.1.3.1), the CRLs of
 * both CAs served over HTTP, and a TLS-terminating proxy in front of the slot's Keycloak that asks for a client
 * certificate and passes it on as production's proxy does (RFC 9440 `Client-Cert` + the proxy's secret).
 *
 * Nothing here is trusted outside the test that creates it: every key is generated in memory per run and the
 * trusted bundle file is the slot's test file (KC_TEST.icpAncoras).
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DIA = 24 * 3600 * 1000;

/** One DER TLV (lengths up to 65535). */
function tlv(tag: number, ...partes: Uint8Array[]): Uint8Array {
  const conteudo = Buffer.concat(partes);
  const n = conteudo.length;
  const tamanho = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...tamanho]), conteudo]);
}

/** OBJECT IDENTIFIER 2.16.76.1.3.1 (ICP-Brasil: dados do titular pessoa física), hand-encoded. */
const OID_ICP_PF = Buffer.from([0x06, 0x05, 0x60, 0x4c, 0x01, 0x03, 0x01]);

/** The 51 characters of the ICP-Brasil PF data: ddmmaaaa, CPF, NIS, RG (15), órgão + UF (6). */
function dadosPf(p: { nascimento: string; cpf: string; nis?: string; rg?: string; orgaoUf?: string }): string {
  const v = p.nascimento + p.cpf + (p.nis ?? '0'.repeat(11)) + (p.rg ?? '0'.repeat(15)).padStart(15, '0') + (p.orgaoUf ?? 'SSPSP0');
  if (v.length !== 51) throw new Error(`dados PF com ${v.length} caracteres`);
  return v;
}

/** SubjectAltName with an e-mail and the ICP-Brasil otherName (value: OCTET STRING, as DOC-ICP-04 says). */
function sanIcp(email: string, dados: string | null): x509.Extension {
  const nomes: Uint8Array[] = [tlv(0x81, Buffer.from(email, 'ascii'))];
  if (dados !== null) nomes.push(tlv(0xa0, OID_ICP_PF, tlv(0xa0, tlv(0x04, Buffer.from(dados, 'ascii')))));
  return new x509.Extension('2.5.29.17', false, tlv(0x30, ...nomes));
}

export interface Credencial {
  certificado: x509.X509Certificate;
  chave: webcrypto.CryptoKeyPair;
  /** PEM of the certificate and of its PKCS#8 private key (for node:https and Playwright's clientCertificates). */
  certPem: string;
  chavePem: string;
}

async function pem(certificado: x509.X509Certificate, chave: webcrypto.CryptoKeyPair): Promise<Credencial> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', chave.privateKey);
  return { certificado, chave, certPem: certificado.toString('pem'), chavePem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

const novaChave = () => webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);

export interface IcpDeTeste {
  raiz: Credencial;
  intermediaria: Credencial;
  /** The citizens' certificates (signed by the intermediate CA unless said otherwise). */
  emitir(p: { nome: string; cpf: string | null; nascimento?: string; notBefore?: Date; notAfter?: Date; autoassinado?: boolean }): Promise<Credencial>;
  /** Adds a certificate's serial to the intermediate CA's CRL (served from then on). */
  revogar(c: Credencial): Promise<void>;
  /** The bundle Keycloak trusts: the root and the intermediate AC (a proxy passes only the citizen's certificate). */
  ancorasPem(): string;
  parar(): Promise<void>;
}

/**
 * Generates the chain and starts the CRL server on `portaCrl`. `agora` is the instant the certificates' validity is
 * relative to (Keycloak checks against its own clock, the machine's: pass the real now).
 */
export async function criarIcpDeTeste(portaCrl: number, agora: Date): Promise<IcpDeTeste> {
  const urlCrl = (nome: string) => `http://127.0.0.1:${portaCrl}/${nome}.crl`;
  const chaveRaiz = await novaChave();
  const raiz = await pem(await x509.X509CertificateGenerator.createSelfSigned({
    name: 'C=BR,O=Prefeitura de Sao Paulo,OU=Testes,CN=AC Raiz de Teste LUM', keys: chaveRaiz, signingAlgorithm: ALG,
    notBefore: new Date(agora.getTime() - 30 * DIA), notAfter: new Date(agora.getTime() + 3650 * DIA),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(chaveRaiz.publicKey),
    ],
  }), chaveRaiz);
  const chaveInter = await novaChave();
  const intermediaria = await pem(await x509.X509CertificateGenerator.create({
    subject: 'C=BR,O=Prefeitura de Sao Paulo,OU=Testes,CN=AC Intermediaria de Teste LUM', issuer: raiz.certificado.subject,
    publicKey: chaveInter.publicKey, signingKey: chaveRaiz.privateKey, signingAlgorithm: ALG,
    notBefore: new Date(agora.getTime() - 30 * DIA), notAfter: new Date(agora.getTime() + 1825 * DIA),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      new x509.CRLDistributionPointsExtension([urlCrl('raiz')]),
      await x509.SubjectKeyIdentifierExtension.create(chaveInter.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(chaveRaiz.publicKey),
    ],
  }), chaveInter);

  const revogados: string[] = [];
  const crls = new Map<string, Buffer>();
  async function publicar(): Promise<void> {
    const gerar = async (emissor: Credencial, seriais: string[]) => Buffer.from((await x509.X509CrlGenerator.create({
      issuer: emissor.certificado.subject, signingKey: emissor.chave.privateKey, signingAlgorithm: ALG,
      thisUpdate: new Date(agora.getTime() - DIA), nextUpdate: new Date(agora.getTime() + 7 * DIA),
      entries: seriais.map((s) => ({ serialNumber: s, revocationDate: new Date(agora.getTime() - 3600_000) })),
      extensions: [await x509.AuthorityKeyIdentifierExtension.create(emissor.chave.publicKey)],
    })).rawData);
    crls.set('/raiz.crl', await gerar(raiz, []));
    crls.set('/intermediaria.crl', await gerar(intermediaria, revogados));
  }
  await publicar();
  const servidorCrl: Server = createHttpServer((req, res) => {
    const crl = crls.get(req.url ?? '');
    if (!crl) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': crl.length }).end(crl);
  });
  await new Promise<void>((resolve, reject) => {
    servidorCrl.once('error', reject);
    servidorCrl.listen(portaCrl, '127.0.0.1', resolve);
  });

  let serie = 0x1000;
  return {
    raiz,
    intermediaria,
    async emitir(p) {
      const chave = await novaChave();
      const extensions = [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.emailProtection]),
        sanIcp(`cidadao.${serie}@exemplo.com.br`, p.cpf === null ? null : dadosPf({ nascimento: p.nascimento ?? '15031980', cpf: p.cpf })),
      ];
      // X.500 order (C first), as ICP-Brasil certificates are encoded
      const subject = `C=BR,O=ICP-Brasil,OU=AC Intermediaria de Teste LUM,OU=Pessoa Fisica A3,CN=${p.nome}:${p.cpf ?? '00000000000'}`;
      const notBefore = p.notBefore ?? new Date(agora.getTime() - DIA);
      const notAfter = p.notAfter ?? new Date(agora.getTime() + 365 * DIA);
      const serialNumber = (serie++).toString(16);
      const certificado = p.autoassinado
        ? await x509.X509CertificateGenerator.createSelfSigned({ serialNumber, name: subject, keys: chave, signingAlgorithm: ALG, notBefore, notAfter, extensions })
        : await x509.X509CertificateGenerator.create({
          serialNumber, subject, issuer: intermediaria.certificado.subject, publicKey: chave.publicKey, signingKey: intermediaria.chave.privateKey,
          signingAlgorithm: ALG, notBefore, notAfter,
          extensions: [...extensions, new x509.CRLDistributionPointsExtension([urlCrl('intermediaria')]), await x509.AuthorityKeyIdentifierExtension.create(intermediaria.chave.publicKey)],
        });
      return pem(certificado, chave);
    },
    async revogar(c) {
      revogados.push(c.certificado.serialNumber);
      await publicar();
    },
    ancorasPem: () => `${raiz.certPem.trim()}\n${intermediaria.certPem.trim()}\n`,
    parar: () => new Promise<void>((resolve) => servidorCrl.close(() => resolve())),
  };
}

/** Writes the trusted bundle where the slot's Keycloak reads it (LUM_ICP_ANCORAS; re-read when it changes). */
export async function gravarAncoras(arquivo: string, pemTexto: string): Promise<void> {
  await mkdir(path.dirname(arquivo), { recursive: true });
  await writeFile(arquivo, pemTexto);
}

export interface ProxyTls {
  url: string;
  parar(): Promise<void>;
}

/** Headers a client may never set itself: the proxy owns them. */
const DO_PROXY = ['client-cert', 'client-cert-chain', 'x-lum-proxy-segredo'];

/**
 * The TLS terminator of the tests, as production's (docs/certificado-icp.md): HTTPS on `porta` with a server
 * certificate for localhost, asks every client for a certificate and accepts any (`optional_no_ca`: Keycloak's
 * authenticator judges it, so an untrusted one gets a pt-BR message rather than a TLS error), strips the headers it
 * owns from the request, and passes the client's certificate and chain in RFC 9440 `Client-Cert`/`Client-Cert-Chain`
 * with `X-LUM-Proxy-Segredo`.
 *
 * Keycloak's hostname in the tests is its plain-HTTP URL (`publico`), so the proxy also rewrites that origin to its
 * own in Location headers and HTML pages: the browser then stays on the proxy's origin (no mixed content). A
 * production deployment sets Keycloak's hostname to the proxy's public URL instead and rewrites nothing.
 */
export async function iniciarProxyTls(p: { porta: number; destino: string; publico: string; segredo: string; servidor: Credencial }): Promise<ProxyTls> {
  const url = `https://localhost:${p.porta}`;
  const destino = new URL(p.destino);
  const reescrever = (s: string) => s.split(p.publico).join(url);
  const tratar = (req: IncomingMessage, res: ServerResponse) => {
    const headers: IncomingHttpHeaders = { ...req.headers };
    for (const h of DO_PROXY) delete headers[h];
    delete headers['accept-encoding'];
    const socket = req.socket as TLSSocket;
    const folha = socket.getPeerCertificate(true);
    if (folha && folha.raw) {
      headers['client-cert'] = `:${folha.raw.toString('base64')}:`;
      const cadeia: string[] = [];
      let c = folha.issuerCertificate;
      while (c && c.raw && c !== c.issuerCertificate && cadeia.length < 5) {
        cadeia.push(`:${c.raw.toString('base64')}:`);
        c = c.issuerCertificate;
      }
      if (cadeia.length) headers['client-cert-chain'] = cadeia.join(', ');
    }
    headers['x-lum-proxy-segredo'] = p.segredo;
    headers.host = new URL(p.publico).host;
    const pedido = httpRequest({ host: destino.hostname, port: destino.port, method: req.method, path: req.url, headers }, (resposta) => {
      const h = { ...resposta.headers };
      if (typeof h.location === 'string') h.location = reescrever(h.location);
      if (!String(h['content-type'] ?? '').startsWith('text/html')) {
        res.writeHead(resposta.statusCode ?? 502, h);
        resposta.pipe(res);
        return;
      }
      const partes: Buffer[] = [];
      resposta.on('data', (b: Buffer) => partes.push(b));
      resposta.on('end', () => {
        const corpo = Buffer.from(reescrever(Buffer.concat(partes).toString('utf8')), 'utf8');
        delete h['transfer-encoding'];
        h['content-length'] = String(corpo.length);
        res.writeHead(resposta.statusCode ?? 502, h);
        res.end(corpo);
      });
    });
    pedido.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(pedido);
  };
  const opcoes = { cert: p.servidor.certPem, key: p.servidor.chavePem, requestCert: true, rejectUnauthorized: false };
  // localhost may resolve to ::1 first (Playwright's client-certificate connector does): listen on both loopbacks.
  const servidores = [createHttpsServer(opcoes, tratar), createHttpsServer(opcoes, tratar)];
  await Promise.all(servidores.map((s, i) => new Promise<void>((resolve, reject) => {
    s.once('error', (err: NodeJS.ErrnoException) => (i === 1 && err.code === 'EADDRNOTAVAIL' ? resolve() : reject(err)));
    s.listen(p.porta, i === 0 ? '127.0.0.1' : '::1', resolve);
  })));
  return {
    url,
    parar: async () => {
      await Promise.all(servidores.filter((s) => s.listening).map((s) => new Promise<void>((resolve) => {
        s.closeAllConnections();
        s.close(() => resolve());
      })));
    },
  };
}

/** A server certificate for localhost, issued by its own throw-away CA (the proxy's TLS identity). */
export async function certificadoServidor(agora: Date): Promise<Credencial> {
  const chave = await novaChave();
  return pem(await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=localhost', keys: chave, signingAlgorithm: ALG, notBefore: new Date(agora.getTime() - DIA), notAfter: new Date(agora.getTime() + 30 * DIA),
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }, { type: 'ip', value: '127.0.0.1' }])],
  }), chave);
}
