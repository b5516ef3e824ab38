/** The events the compliance module follows: participants joining and changing, accounts opening, payments. */
export const COMPLIANCE_EVENT_TYPES = ['participant_registered', 'participant_updated', 'transferred', 'account_opened'] as const;
