/** The knowledge base's public surface (DESIGN.md: components talk through their index). */
export * from './model';
export { ProcedureRepository } from './repository';
export { importKnowledgeBase, parseKnowledgeBase, formatFromFileName, type ImportSummary, type Rejection, type KbFormat } from './import';
export { proceduresToCsv } from './csv';
export { searchProcedures } from './search';
export { toProcedureRef } from './nlu-ref';
export { seedSampleKnowledgeBase, SAMPLE_KB_FILE } from './seed';
