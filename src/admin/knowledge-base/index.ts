/** The knowledge-base console's public surface. */
export { knowledgeBaseRouter, type KnowledgeBaseDeps } from './router';
