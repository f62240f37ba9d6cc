/** All tables, one module per business component; migrations are generated from this. */
export * from './knowledge-base';
export * from './conversation';
export * from './channels';
export * from './admin';
export * from './appraisal';
export * from './licences';
export * from './broadcasts';
