/**
 * A reason a row (or the whole file) cannot be imported: a key of the `licences.import.errors`
 * locale section and its parameters, translated where it is shown (the CLI in Vietnamese, the
 * console in the official's language).
 */
import type { Params } from '../../i18n';

export interface Problem {
  key: string;
  params?: Params;
}

/** The problems of one row; `line` is the file's line (CSV) or row number (XLSX), the header being 1 when first. */
export interface RowProblems {
  line: number;
  problems: Problem[];
}

export const problem = (key: string, params?: Params): Problem => (params ? { key, params } : { key });
