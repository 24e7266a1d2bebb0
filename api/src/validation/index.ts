export * from './cpf.js';
export * from './decorators.js';
export * from './detalhes.js';
export * from './validar.js';
