package br.gov.sp.prefeitura.lum.keycloak.icp;

import java.util.ArrayList;
import java.util.List;

/**
 * A minimal DER reader (definite lengths only, single-byte tags), enough to walk the certificate extensions this
 * package reads: SubjectAltName (otherName 2.16.76.1.3.1) and CRLDistributionPoints. Anything malformed throws
 * {@link IllegalArgumentException}; callers treat that as "not present".
 */
final class Der {

    static final int OCTET_STRING = 0x04;
    static final int OID = 0x06;
    static final int UTF8_STRING = 0x0C;
    static final int SEQUENCE = 0x30;
    static final int PRINTABLE_STRING = 0x13;
    static final int IA5_STRING = 0x16;

    /** One TLV: its tag byte and its contents. */
    record Tlv(int tag, byte[] conteudo) {

        boolean contexto(int numero) {
            return (tag & 0xC0) == 0x80 && (tag & 0x1F) == numero;
        }

        /** The TLVs inside a constructed value (SEQUENCE, explicit tag…). */
        List<Tlv> filhos() {
            return lerTodos(conteudo);
        }
    }

    private Der() {
    }

    /** Exactly one TLV filling {@code dados}. */
    static Tlv lerUnico(byte[] dados) {
        List<Tlv> todos = lerTodos(dados);
        if (todos.size() != 1) {
            throw new IllegalArgumentException("esperado um valor DER, encontrados " + todos.size());
        }
        return todos.get(0);
    }

    /** Every TLV in {@code dados}, in order, which must be consumed exactly. */
    static List<Tlv> lerTodos(byte[] dados) {
        List<Tlv> saida = new ArrayList<>();
        int i = 0;
        while (i < dados.length) {
            int tag = dados[i++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new IllegalArgumentException("tag DER de vários bytes não suportada");
            }
            if (i >= dados.length) {
                throw new IllegalArgumentException("DER truncado (comprimento)");
            }
            int b = dados[i++] & 0xFF;
            int tamanho;
            if (b < 0x80) {
                tamanho = b;
            } else {
                int n = b & 0x7F;
                if (n == 0 || n > 3) {
                    throw new IllegalArgumentException("comprimento DER não suportado");
                }
                tamanho = 0;
                for (int k = 0; k < n; k++) {
                    if (i >= dados.length) {
                        throw new IllegalArgumentException("DER truncado (comprimento longo)");
                    }
                    tamanho = (tamanho << 8) | (dados[i++] & 0xFF);
                }
            }
            if (tamanho < 0 || tamanho > dados.length - i) {
                throw new IllegalArgumentException("DER truncado (conteúdo)");
            }
            byte[] conteudo = new byte[tamanho];
            System.arraycopy(dados, i, conteudo, 0, tamanho);
            i += tamanho;
            saida.add(new Tlv(tag, conteudo));
        }
        return saida;
    }

    /** Dotted form of an OBJECT IDENTIFIER's contents. */
    static String oid(byte[] c) {
        if (c.length == 0) {
            throw new IllegalArgumentException("OID vazio");
        }
        StringBuilder sb = new StringBuilder();
        long valor = 0;
        boolean primeiro = true;
        for (int i = 0; i < c.length; i++) {
            valor = (valor << 7) | (c[i] & 0x7F);
            if (valor > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("OID grande demais");
            }
            if ((c[i] & 0x80) == 0) {
                if (primeiro) {
                    long a = Math.min(valor / 40, 2);
                    sb.append(a).append('.').append(valor - a * 40);
                    primeiro = false;
                } else {
                    sb.append('.').append(valor);
                }
                valor = 0;
            } else if (i == c.length - 1) {
                throw new IllegalArgumentException("OID truncado");
            }
        }
        return sb.toString();
    }
}
