/** The modules a node can run by name; kept apart from their code so the CLI's help loads none of it. */
export const MODULE_NAMES = ['notifier', 'banking', 'compliance', 'reserves', 'trade'] as const;
export type ModuleName = (typeof MODULE_NAMES)[number];
