/** What a handler gets for one incoming message, and what it may change. */
import type { AppraisalService } from '../appraisal/contract';
import type { Db } from '../db';
import type { Translator } from '../i18n';
import type { Logger } from '../logger';
import type { ProcedureRepository } from '../procedures';
import type { ConversationContext } from './context';
import type { ConversationRecord, ConversationStore, Understood } from './store';
import type { Understanding } from './types';

export interface ConversationDeps {
  /** The database handle of this message (the inbound event's transaction): flows read and write through it. */
  db: Db;
  store: ConversationStore;
  procedures: ProcedureRepository;
  nlu: Understanding;
  i18n: Translator;
  /** Minutes of silence after which the procedure under discussion is forgotten. */
  contextIdleMinutes: number;
  /** Public base URL (links in replies: calendar files, the portal). */
  appBaseUrl: string;
  /**
   * The appraisal service working on a given database handle (the turn passes its transaction);
   * absent where remote appraisal is not offered: the booking intents then say so honestly.
   */
  appraisal?: (db: Db) => AppraisalService;
  logger?: Logger;
}

export interface Turn {
  deps: ConversationDeps;
  conversation: ConversationRecord;
  /** The context as it will be saved after this message; handlers change it in place. */
  context: ConversationContext;
  now: Date;
  /** What we understood, stored with the message and its replies. */
  understood: Understood;
  /** Set by a handler that changes who answers the conversation. */
  statusChange?: { status: ConversationRecord['status']; at: Date };
}
